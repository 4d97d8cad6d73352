require ["relational", "comparator-i;ascii-numeric", "fileinto"];
if header :value "ge" :comparator "i;ascii-numeric" "x-priority" "1" { fileinto "prio"; }
if header :value "lt" :comparator "i;ascii-numeric" "x-count" "50" { fileinto "count-lt-50"; }
if header :count "ge" :comparator "i;ascii-numeric" "received" "2" { fileinto "two-hops"; }
if address :count "eq" :comparator "i;ascii-numeric" ["to", "cc"] "3" { fileinto "three-rcpts"; }
if header :is :comparator "i;ascii-numeric" "x-count" "42" { fileinto "numeric-42"; }
