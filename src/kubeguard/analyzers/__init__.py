"""Cross-resource analyses built once per scan (reachability, RBAC graphs, ...) for checks and commands."""
