require ["mailbox", "fileinto"];
if mailboxexists "Lists" { fileinto "Lists"; }
if mailboxexists ["Lists", "Nope"] { fileinto "Nope"; }
if mailboxexists "INBOX" { fileinto "inbox-exists"; }
