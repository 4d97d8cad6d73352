require ["include", "fileinto"];
fileinto "before-return";
return;
fileinto "after-return";
