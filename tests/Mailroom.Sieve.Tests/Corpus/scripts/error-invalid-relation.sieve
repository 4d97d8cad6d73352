require "relational";

if header :value "gtx" "subject" "x" { keep; }
