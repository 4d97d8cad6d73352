require "reject";
if header :contains "subject" "pills" { reject "No spam, thanks."; }
