"""RBAC rules (family ``RBAC``): risky permissions, risky subjects and escalation paths."""
