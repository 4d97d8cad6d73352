require ["include", "variables", "fileinto"];
global "folder";
set "folder" "start";
include "set-folder";
fileinto "${folder}";
fileinto "${global.folder}-again";
