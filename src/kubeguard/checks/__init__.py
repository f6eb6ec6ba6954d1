"""Rules, one module per rule, grouped by family. The engine discovers them; nothing registers itself."""
