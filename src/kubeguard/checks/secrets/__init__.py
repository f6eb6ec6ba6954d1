"""Secrets (``SEC``): hard-coded credentials, plain Secrets, long-lived tokens, secrets in env vars.

No message of this family ever holds a secret value: only keys, kinds and
:func:`kubeguard.model.redact.hint`.
"""
