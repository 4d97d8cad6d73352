require "vacation";
vacation "one";
vacation :handle "other" "two";
