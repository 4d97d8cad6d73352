require ["include", "fileinto"];
include "returns-early";
fileinto "continued";
return;
fileinto "unreachable";
