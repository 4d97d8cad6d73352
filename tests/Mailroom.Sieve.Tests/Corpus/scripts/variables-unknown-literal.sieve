require ["variables", "fileinto"];
set "company" "ACME";
fileinto "${BAD${Company}";
fileinto "x-${doh!}";
