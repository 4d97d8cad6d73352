require "fileinto";
if header :contains "subject" "digest" { fileinto "from-helper"; }
