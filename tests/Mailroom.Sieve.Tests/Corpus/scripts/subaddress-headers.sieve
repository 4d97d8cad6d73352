require ["subaddress", "fileinto"];
if address :detail "cc" "work" { fileinto "cc-detail"; }
if address :user "to" "samt" { fileinto "to-user"; }
if address :detail :is "from" "" { fileinto "empty-detail"; }
