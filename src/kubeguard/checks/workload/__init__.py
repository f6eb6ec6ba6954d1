"""Workload hardening rules (family WKL): beyond the Pod Security Standards."""
