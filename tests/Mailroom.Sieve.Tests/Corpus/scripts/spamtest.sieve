require ["spamtest", "relational", "comparator-i;ascii-numeric", "fileinto"];
if spamtest :value "ge" :comparator "i;ascii-numeric" "8" { fileinto "Junk"; }
elsif spamtest :value "eq" :comparator "i;ascii-numeric" "0" { fileinto "unscanned"; }
elsif spamtest :value "lt" :comparator "i;ascii-numeric" "5" { fileinto "ham"; }
