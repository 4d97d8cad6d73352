require ["variables", "fileinto"];
if header :matches "subject" "[*] *" {
  fileinto "list-${1}";
}
if address :matches "from" "*@*" {
  set "user" "${1}";
  set "dom" "${2}";
  fileinto "from-${dom}";
}
if header :matches "x-count" "00*" { fileinto "count-${1}-${0}"; }
