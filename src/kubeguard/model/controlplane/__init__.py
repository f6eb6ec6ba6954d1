"""Control plane components and their command lines, parsed once.

The package holds one module per concern: ``components`` (names, :class:`ComponentConfig`),
``flags`` (the pflag model), ``commands`` (which program a container starts: ``sh -c`` unwrapping,
``hyperkube``), ``etcd`` (``ETCD_*`` variables), ``static_pod`` (components in Pods), ``kubeadm``
(ClusterConfiguration extraArgs over the flags kubeadm writes), ``sources`` (any of these by resource).

A component (kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kubelet) is configured by
flags. They reach kubeguard in four shapes, all turned into one ``FlagSet``:

- a static pod manifest: a Pod whose container ``command`` (plus ``args``) starts the component;
  ``--flag=value``, ``--flag value``, bare boolean flags and repeated flags are understood the way
  the components' flag library (pflag) understands them, and etcd's ``ETCD_*`` environment
  variables count as flags (a flag given on the command line wins);
- kubeadm's ``ClusterConfiguration`` ``extraArgs`` (v1beta3 map or v1beta4 list of name/value),
  laid over the flags kubeadm itself writes into the manifests;
- kubeadm's ``nodeRegistration.kubeletExtraArgs`` (Init/JoinConfiguration), for the kubelet;
- a kubelet started by systemd: unit files and drop-ins and the environment files they read
  (parsed in :mod:`kubeguard.loading.systemd`, which hands the command line to ``parse_argv``).

Every flag keeps the pointer of the field that set it, so a finding points at the exact list item or
``extraArgs`` entry. Nothing here reads files: callers pass texts in.
"""
