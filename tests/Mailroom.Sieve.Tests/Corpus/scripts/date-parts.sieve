require ["date", "relational", "fileinto"];
if date :value "ge" "date" "date" "2025-04-02" { fileinto "april2"; }
if date :is "date" "weekday" "3" { fileinto "wednesday"; }
if date :originalzone :is "date" "zone" "+0200" { fileinto "cest"; }
if date :zone "-0500" :is "date" "hour" "04" { fileinto "hour4-est"; }
if date :is "date" "julian" "60767" { fileinto "julian"; }
if date :matches "date" "iso8601" "2025-04-0*" { fileinto "iso"; }
if currentdate :value "ge" "year" "2020" { fileinto "now"; }
