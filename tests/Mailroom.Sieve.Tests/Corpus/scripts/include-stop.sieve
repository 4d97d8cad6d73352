require ["include", "fileinto"];
include "stops";
fileinto "unreachable";
