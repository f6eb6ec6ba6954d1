"""The rule framework: rule metadata, violations, scopes, the context a rule sees, selection."""
