require "fileinto";
if allof (exists "from", not exists "list-id", anyof (header :contains "subject" "lunch", address :domain "from" "example.org")) { fileinto "personal"; }
if anyof (false, not true) { fileinto "never"; }
if allof (true) { fileinto "always"; }
