require ["duplicate", "fileinto"];
if duplicate { discard; stop; }
if duplicate :header "subject" :seconds 60 { fileinto "dup-subject"; }
if duplicate :uniqueid "abc" :handle "h" :last { fileinto "dup-id"; }
