require "fileinto";
if header :contains ["subject", "x-nothing"] ["digest", "budget"] { fileinto "contains"; }
if header :matches "subject" "*udget r*" { fileinto "matches"; }
if header :is "from" "friend@example.com" { fileinto "is"; }
if header :comparator "i;octet" :contains "subject" "BUDGET" { fileinto "octet"; }
