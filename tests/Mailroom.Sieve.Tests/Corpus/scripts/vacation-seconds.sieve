require ["vacation-seconds"];
vacation :seconds 7200 "Back soon.";
vacation :seconds 10 "dup";
