require ["date", "index", "relational", "fileinto", "variables"];
if date :index 1 :last "received" "time" "05:59:58" { fileinto "first-hop"; }
if date :index 1 "received" "date" "2025-04-01" { fileinto "last-hop"; }
if header :index 2 :contains "received" "list.example.net" { fileinto "second-received"; }
if address :index 2 :is "to" "team@example.org" { fileinto "second-to"; }
if date :matches "date" "std11" "*" { set "d" "${1}"; fileinto "std11"; }
