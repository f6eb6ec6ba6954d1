"""Control plane and node configuration: what the components' flags and configuration files mean
(defaults of current Kubernetes, admission plugin sets, kubelet flag-over-file precedence, audit
policy first-match evaluation, encryption providers), shared by the ``CP`` checks and ``kubeguard node``."""
