require ["ihave", "fileinto"];
if ihave "imap4flags" { addflag "\\Seen"; }
if ihave "x-unknown-extension" { frobnicate :now "x"; } else { fileinto "no-unknown"; }
