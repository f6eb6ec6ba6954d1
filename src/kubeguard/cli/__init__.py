"""The command line: one module per command, each thin (parse, call the library, render).

``main`` discovers every module here that defines ``COMMAND`` (a click command or group)."""
