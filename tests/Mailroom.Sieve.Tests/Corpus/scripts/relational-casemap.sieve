require ["relational", "fileinto"];
if header :value "gt" "date" "T" { fileinto "after-t"; }
if header :value "lt" "from" "G" { fileinto "before-g"; }
if header :value "le" :comparator "i;octet" "subject" "Z" { fileinto "octet-le-Z"; }
if header :count "ne" "x-nothing" "0" { fileinto "never"; }
