require ["environment", "fileinto", "variables"];
if environment :is "phase" "post" { fileinto "post"; }
if environment :contains "nonexistent-item" "" { fileinto "never"; }
