"""``CP``: control plane and node configuration against the CIS Kubernetes Benchmark v1.12."""
