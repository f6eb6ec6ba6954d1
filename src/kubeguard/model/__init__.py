"""Typed, read-only views of Kubernetes objects. Imports nothing else of kubeguard."""
