require ["body", "fileinto"];
if body :text :contains "release" { fileinto "release"; }
if body :contains "tracking" { fileinto "script-text"; }
if body :text :contains "café" { fileinto "decoded"; }
