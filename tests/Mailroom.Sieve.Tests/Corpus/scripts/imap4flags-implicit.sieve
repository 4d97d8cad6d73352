require "imap4flags";
setflag "\\Seen $Junk \\Seen";
if hasflag :is "$junk" { addflag "second"; }
