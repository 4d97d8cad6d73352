require "fileinto";
fileinto :frob "x";
