require ["variables", "relational", "comparator-i;ascii-numeric", "fileinto"];
set "x" "";
set "y" "v";
if string :count "eq" :comparator "i;ascii-numeric" ["${x}", "${y}", "z"] "2" { fileinto "two"; }
if string :value "gt" :comparator "i;ascii-numeric" "${unknown}" "9" { fileinto "empty-is-infinite"; }
