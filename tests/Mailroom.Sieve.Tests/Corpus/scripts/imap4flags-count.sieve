require ["imap4flags", "relational", "comparator-i;ascii-numeric", "fileinto"];
setflag ["a", "b", "c"];
if hasflag :count "eq" :comparator "i;ascii-numeric" "3" { fileinto "three"; }
