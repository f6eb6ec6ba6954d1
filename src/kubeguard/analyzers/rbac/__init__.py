"""RBAC analysis: the authorizer's semantics over the input (plus Kubernetes' bootstrap policy),
who-can / can / permissions queries, and privilege-escalation paths."""
