header "subject" "x";
