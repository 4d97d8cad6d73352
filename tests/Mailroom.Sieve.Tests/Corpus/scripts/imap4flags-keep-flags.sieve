require "imap4flags";
if header :contains "subject" "budget" { addflag "\\Flagged"; }
keep :flags ["\\Seen", "work"];
