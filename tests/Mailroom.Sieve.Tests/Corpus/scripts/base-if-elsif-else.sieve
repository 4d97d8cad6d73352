require "fileinto";
if header :is "x-priority" "1" {
  fileinto "Urgent";
} elsif exists "list-id" {
  fileinto "Lists";
} elsif header :matches "subject" "*!!!*" {
  fileinto "Junk";
} else {
  keep;
}
