"""Running rules: discovery, selection, evaluation, suppression."""
