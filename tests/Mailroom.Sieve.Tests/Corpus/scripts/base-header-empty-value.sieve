require "fileinto";
if header :is "x-empty" "" { fileinto "empty"; }
if header :contains "x-missing" "" { fileinto "missing"; }
