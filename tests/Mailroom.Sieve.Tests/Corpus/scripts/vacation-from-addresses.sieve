require "vacation";
vacation :from "Sam T <samt@example.org>" :addresses ["samt@example.org", "s.t@example.org"] :handle "ooo" "Away.";
