"""In-cluster deployment of kubeguard: a scheduled scanner writing to a results store, and a dashboard.

:func:`manifests.fleet_manifests` builds them; ``kubeguard deploy manifests`` prints them. The
scanner's namespace, ServiceAccount, read-only ClusterRole and binding are read from the one file
that defines them, ``deploy/kubeguard-scanner-rbac.yaml`` (packaged as ``scanner-rbac.yaml``, a link
to it), never written out a second time here.
"""
