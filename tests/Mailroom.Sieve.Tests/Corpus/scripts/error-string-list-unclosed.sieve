require ["fileinto" "reject"];
