require "fileinto";
if address :domain :is "from" "example.org" { fileinto "domain"; }
if address :localpart :is ["to", "cc"] "samt" { fileinto "localpart"; }
if address :all :contains "reply-to" "replies" { fileinto "reply-to"; }
if address :is "sender" "assistant@example.org" { fileinto "sender"; }
if address :all :is "to" "undisclosed-recipients:;" { fileinto "undisclosed"; }
