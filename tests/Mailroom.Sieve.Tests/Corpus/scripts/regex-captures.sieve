require ["regex", "variables", "fileinto"];
if header :regex "subject" "^\\[([a-z]+)\\] (.*) #([0-9]+)$" { fileinto "${1}/${3}"; }
if address :regex :domain "from" "^(example|lists)\\." { fileinto "re-domain-${1}"; }
if header :regex :comparator "i;octet" "subject" "PILLS" { fileinto "octet-never"; }
if header :regex "subject" "[[:digit:]]{2}%" { fileinto "percent"; }
