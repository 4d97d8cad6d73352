require ["encoded-character", "fileinto"];
if header :contains "subject" "${hex: 42 75 64}get" { fileinto "${unicode:0046}older"; }
if header :contains "subject" "${hex:xx}" { fileinto "literal"; }
