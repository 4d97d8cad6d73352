require "fileinto";
if exists ["date", "message-id"] { fileinto "dated"; }
if not exists "x-spam-score" { fileinto "unscanned"; }
if size :over 1K { fileinto "big"; }
if size :under 100 { fileinto "tiny"; }
if size :under 50M { fileinto "normal"; }
