require ["fileinto", "copy", "mailbox"];
fileinto :copy "Archive";
fileinto :create "Lists/Dev";
fileinto "INBOX";
