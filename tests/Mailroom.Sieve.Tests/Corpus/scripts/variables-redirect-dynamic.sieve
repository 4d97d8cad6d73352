require "variables";
if header :matches "from" "*<*>*" { set "addr" "${2}"; }
redirect "${addr}";
