redirect "archive@example.net";
redirect "archive@example.net";
redirect "Other <other@example.com>";
