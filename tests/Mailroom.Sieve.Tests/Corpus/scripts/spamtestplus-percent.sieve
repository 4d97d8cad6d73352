require ["spamtestplus", "relational", "comparator-i;ascii-numeric", "fileinto"];
if spamtest :percent :value "gt" :comparator "i;ascii-numeric" "80" { fileinto "over80"; }
if spamtest :percent :is "25" { fileinto "exactly25"; }
