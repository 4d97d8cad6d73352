require ["body", "fileinto"];
if body :raw :contains "caf=C3=A9" { fileinto "raw-qp"; }
if body :content "text/html" :contains "<b>" { fileinto "html"; }
if body :content "application" :contains "attachment" { fileinto "attachment"; }
if body :content "text" :contains "lunch" { fileinto "lunch"; }
