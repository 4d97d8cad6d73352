require ["imap4flags", "fileinto"];
setflag "\\Seen";
addflag ["\\Flagged", "$Important"];
removeflag "\\Seen";
if hasflag :contains "important" { fileinto "has-important"; }
fileinto "A";
addflag "\\Answered";
