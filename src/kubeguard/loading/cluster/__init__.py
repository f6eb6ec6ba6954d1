"""A live cluster (or a snapshot of one) as an input source, producing the same Resources as files.

- :mod:`.source`: what to read (:class:`ClusterSource`, :class:`KindSelection`), what was read
  (:class:`ClusterInfo`), the location URI of collected objects, :class:`ClusterError`;
- :mod:`.connection`: the official ``kubernetes`` client for configuration and authentication
  (kubeconfig with exec plugins, client certificates, tokens, OIDC; in-cluster service account),
  raw GETs whose JSON pages are decoded here, never into client model objects;
- :mod:`.discovery`: which resources the server serves (built-in kinds and CRDs);
- :mod:`.collect`: paged lists with bounded concurrency, objects trimmed on arrival (:mod:`.trim`);
- :mod:`.snapshot`: the same objects as one compressed, versioned file, read back as a cluster.

The ``kubernetes`` client is imported only when a live cluster is read.
"""
