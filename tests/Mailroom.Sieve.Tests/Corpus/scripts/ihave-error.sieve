require "ihave";
if header :contains "subject" "pills" { error "refusing to handle this"; }
keep;
