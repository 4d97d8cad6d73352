require ["include", "fileinto"];
include :personal "helper";
fileinto "after-include";
