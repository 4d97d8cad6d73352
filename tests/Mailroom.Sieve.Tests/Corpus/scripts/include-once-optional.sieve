require "include";
include :once "helper";
include :once "helper";
include :optional "does-not-exist";
include :global "site";
