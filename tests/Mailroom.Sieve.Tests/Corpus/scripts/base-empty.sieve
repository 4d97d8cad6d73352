# nothing: the implicit keep
