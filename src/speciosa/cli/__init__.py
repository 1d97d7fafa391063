"""The command-line tool: thin commands that parse, call the library and render."""
