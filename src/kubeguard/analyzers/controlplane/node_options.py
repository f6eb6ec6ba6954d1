"""What ``kubeguard node`` hands to the ``CP`` rules beside the resources it read: keys of
``ScanOptions.extra``.
"""

from __future__ import annotations

#: Key of ``ScanOptions.extra`` holding a :class:`~kubeguard.loading.node.NodeKubelet`: the node's
#: kubelet command line, laid over its configuration file by the kubelet rules.
NODE_KUBELET = "controlplane.kubelet"

#: Key of ``ScanOptions.extra``: the files the API server names that the node does not have.
NODE_MISSING_FILES = "controlplane.missing_files"
