"""Container image rules (family IMG): tags, digests, pull policy, registries, pull secrets."""
