require ["imap4flags", "variables", "fileinto"];
set "f" "";
addflag "f" "\\Draft";
addflag "f" ["a b", "c"];
removeflag "f" "b";
if hasflag "f" :matches "\\d*" { fileinto "drafty"; }
fileinto :flags "${f}" "Flags";
if string :is "${f}" "\\Draft a c" { fileinto "string-ok"; }
