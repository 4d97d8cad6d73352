require ["envelope", "fileinto", "subaddress"];
if envelope :detail "to" "lists" { fileinto "detail"; }
if envelope :user "to" "samt" { fileinto "user"; }
if envelope :domain :is "from" "example.com" { fileinto "from-domain"; }
if envelope :all :is "to" "samt+lists@example.org" { fileinto "all"; }
if envelope :localpart :contains "to" "+" { fileinto "localpart"; }
