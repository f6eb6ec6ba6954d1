"""File ownership and permissions on control plane and worker nodes (CIS Kubernetes Benchmark v1.12
sections 1.1 and 4.1), judged on the NodeFile resources ``kubeguard node`` builds from the node's
files (under ``--root`` for a copied tree).

## What it does
One rule per CIS recommendation and kind of file; see each rule's own documentation.

## Why it matters
These files hold cluster-admin credentials, private keys and the definition of the control plane.

## Example
```yaml
spec: {path: /etc/kubernetes/admin.conf, mode: "0644", owner: root, group: root}
```

## Fix
`chmod` and `chown` as each rule says.

## References
- https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/
"""

from __future__ import annotations

from kubeguard.analyzers.controlplane.catalogue import cis, plain_rule
from kubeguard.analyzers.controlplane.nodefiles import ownership_check, permissions_check
from kubeguard.analyzers.controlplane.scopes import node_file_scope
from kubeguard.rules.rule import Rule, Severity

H, M, L = Severity.HIGH, Severity.MEDIUM, Severity.LOW

#: The kinds of files: where ``kubeguard node`` finds them, an example path, and why they matter.
ROLES: dict[str, tuple[str, str, str]] = {
    "apiserver-manifest": (
        "the API server's static pod manifest",
        "/etc/kubernetes/manifests/kube-apiserver.yaml",
        "defines the API server and its flags",
    ),
    "controller-manager-manifest": (
        "the controller manager's static pod manifest",
        "/etc/kubernetes/manifests/kube-controller-manager.yaml",
        "defines the controller manager and its flags",
    ),
    "scheduler-manifest": (
        "the scheduler's static pod manifest",
        "/etc/kubernetes/manifests/kube-scheduler.yaml",
        "defines the scheduler and its flags",
    ),
    "etcd-manifest": (
        "etcd's static pod manifest",
        "/etc/kubernetes/manifests/etcd.yaml",
        "defines etcd and its flags",
    ),
    "static-pod-manifest": (
        "any other static pod manifest (in the kubelet's staticPodPath)",
        "/etc/kubernetes/manifests/haproxy.yaml",
        "is run by the kubelet as a static pod, outside any admission control",
    ),
    "etcd-data-dir": (
        "etcd's data directory (--data-dir, default /var/lib/etcd)",
        "/var/lib/etcd",
        "holds every object of the cluster, Secrets included",
    ),
    "admin-kubeconfig": (
        "/etc/kubernetes/admin.conf and /etc/kubernetes/super-admin.conf",
        "/etc/kubernetes/admin.conf",
        "holds cluster-admin credentials",
    ),
    "scheduler-kubeconfig": (
        "/etc/kubernetes/scheduler.conf",
        "/etc/kubernetes/scheduler.conf",
        "holds the scheduler's credentials",
    ),
    "controller-manager-kubeconfig": (
        "/etc/kubernetes/controller-manager.conf",
        "/etc/kubernetes/controller-manager.conf",
        "holds the controller manager's credentials",
    ),
    "pki": (
        "/etc/kubernetes/pki, its folders and every file in them",
        "/etc/kubernetes/pki/ca.key",
        "holds the cluster's certificate authorities and keys",
    ),
    "pki-certificate": (
        "every *.crt under /etc/kubernetes/pki",
        "/etc/kubernetes/pki/apiserver.crt",
        "is trusted by the cluster's components",
    ),
    "pki-key": (
        "every *.key under /etc/kubernetes/pki",
        "/etc/kubernetes/pki/ca.key",
        "is a private key of the cluster (CA keys included)",
    ),
    "kubelet-service": (
        "kubelet.service and its drop-ins",
        "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
        "decides the kubelet's command line",
    ),
    "proxy-kubeconfig": (
        "kube-proxy's kubeconfig on the node, if present",
        "/var/lib/kube-proxy/kubeconfig.conf",
        "holds kube-proxy's credentials",
    ),
    "kubelet-kubeconfig": (
        "the kubelet's --kubeconfig (default /etc/kubernetes/kubelet.conf)",
        "/etc/kubernetes/kubelet.conf",
        "holds the kubelet's credentials",
    ),
    "client-ca": (
        "the kubelet's client CA file (clientCAFile)",
        "/etc/kubernetes/pki/ca.crt",
        "decides whom the kubelet trusts",
    ),
    "kubelet-config": (
        "the kubelet's --config file",
        "/var/lib/kubelet/config.yaml",
        "decides the kubelet's security settings",
    ),
    "encryption-config": (
        "the API server's --encryption-provider-config",
        "/etc/kubernetes/enc/encryption.yaml",
        "holds the keys that encrypt Secrets",
    ),
    "cni-file": (
        "every file under /etc/cni/net.d and /var/lib/cni/networks",
        "/etc/cni/net.d/10-calico.conflist",
        "configures pod networking on the node",
    ),
}

#: (code, slug, title, roles, kind, limit or owner, cis v1.12 id, severity)
TABLE: tuple[tuple[str, str, str, tuple[str, ...], str, object, str | None, Severity], ...] = (
    (
        "CP110",
        "apiserver-manifest-permissions",
        "API server manifest is writable or readable by others",
        ("apiserver-manifest",),
        "mode",
        0o600,
        "1.1.1",
        H,
    ),
    (
        "CP111",
        "apiserver-manifest-ownership",
        "API server manifest is not owned by root",
        ("apiserver-manifest",),
        "owner",
        ("root", "root"),
        "1.1.2",
        H,
    ),
    (
        "CP112",
        "controller-manager-manifest-permissions",
        "Controller manager manifest permissions are too open",
        ("controller-manager-manifest",),
        "mode",
        0o600,
        "1.1.3",
        H,
    ),
    (
        "CP113",
        "controller-manager-manifest-ownership",
        "Controller manager manifest is not owned by root",
        ("controller-manager-manifest",),
        "owner",
        ("root", "root"),
        "1.1.4",
        H,
    ),
    (
        "CP114",
        "scheduler-manifest-permissions",
        "Scheduler manifest permissions are too open",
        ("scheduler-manifest",),
        "mode",
        0o600,
        "1.1.5",
        H,
    ),
    (
        "CP115",
        "scheduler-manifest-ownership",
        "Scheduler manifest is not owned by root",
        ("scheduler-manifest",),
        "owner",
        ("root", "root"),
        "1.1.6",
        H,
    ),
    (
        "CP116",
        "etcd-manifest-permissions",
        "etcd manifest permissions are too open",
        ("etcd-manifest",),
        "mode",
        0o600,
        "1.1.7",
        H,
    ),
    (
        "CP117",
        "etcd-manifest-ownership",
        "etcd manifest is not owned by root",
        ("etcd-manifest",),
        "owner",
        ("root", "root"),
        "1.1.8",
        H,
    ),
    (
        "CP118",
        "etcd-data-dir-permissions",
        "etcd data directory permissions are too open",
        ("etcd-data-dir",),
        "mode",
        0o700,
        "1.1.11",
        H,
    ),
    (
        "CP119",
        "etcd-data-dir-ownership",
        "etcd data directory is not owned by etcd",
        ("etcd-data-dir",),
        "owner",
        ("etcd", "etcd"),
        "1.1.12",
        M,
    ),
    (
        "CP120",
        "admin-kubeconfig-permissions",
        "Administrator kubeconfig permissions are too open",
        ("admin-kubeconfig",),
        "mode",
        0o600,
        "1.1.13",
        H,
    ),
    (
        "CP121",
        "admin-kubeconfig-ownership",
        "Administrator kubeconfig is not owned by root",
        ("admin-kubeconfig",),
        "owner",
        ("root", "root"),
        "1.1.14",
        H,
    ),
    (
        "CP122",
        "scheduler-kubeconfig-permissions",
        "Scheduler kubeconfig permissions are too open",
        ("scheduler-kubeconfig",),
        "mode",
        0o600,
        "1.1.15",
        H,
    ),
    (
        "CP123",
        "scheduler-kubeconfig-ownership",
        "Scheduler kubeconfig is not owned by root",
        ("scheduler-kubeconfig",),
        "owner",
        ("root", "root"),
        "1.1.16",
        H,
    ),
    (
        "CP124",
        "controller-manager-kubeconfig-permissions",
        "Controller manager kubeconfig permissions are too open",
        ("controller-manager-kubeconfig",),
        "mode",
        0o600,
        "1.1.17",
        H,
    ),
    (
        "CP125",
        "controller-manager-kubeconfig-ownership",
        "Controller manager kubeconfig is not owned by root",
        ("controller-manager-kubeconfig",),
        "owner",
        ("root", "root"),
        "1.1.18",
        H,
    ),
    (
        "CP126",
        "pki-ownership",
        "PKI directory or file is not owned by root",
        ("pki", "pki-certificate", "pki-key"),
        "owner",
        ("root", "root"),
        "1.1.19",
        H,
    ),
    (
        "CP127",
        "pki-certificate-permissions",
        "PKI certificate permissions are too open",
        ("pki-certificate",),
        "mode",
        0o644,
        "1.1.20",
        M,
    ),
    (
        "CP128",
        "pki-key-permissions",
        "PKI private key permissions are too open",
        ("pki-key",),
        "mode",
        0o600,
        "1.1.21",
        H,
    ),
    (
        "CP129",
        "kubelet-service-permissions",
        "Kubelet service file permissions are too open",
        ("kubelet-service",),
        "mode",
        0o600,
        "4.1.1",
        M,
    ),
    (
        "CP130",
        "kubelet-service-ownership",
        "Kubelet service file is not owned by root",
        ("kubelet-service",),
        "owner",
        ("root", "root"),
        "4.1.2",
        M,
    ),
    (
        "CP131",
        "proxy-kubeconfig-permissions",
        "kube-proxy kubeconfig permissions are too open",
        ("proxy-kubeconfig",),
        "mode",
        0o600,
        "4.1.3",
        M,
    ),
    (
        "CP132",
        "proxy-kubeconfig-ownership",
        "kube-proxy kubeconfig is not owned by root",
        ("proxy-kubeconfig",),
        "owner",
        ("root", "root"),
        "4.1.4",
        M,
    ),
    (
        "CP133",
        "kubelet-kubeconfig-permissions",
        "Kubelet kubeconfig permissions are too open",
        ("kubelet-kubeconfig",),
        "mode",
        0o600,
        "4.1.5",
        H,
    ),
    (
        "CP134",
        "kubelet-kubeconfig-ownership",
        "Kubelet kubeconfig is not owned by root",
        ("kubelet-kubeconfig",),
        "owner",
        ("root", "root"),
        "4.1.6",
        H,
    ),
    (
        "CP135",
        "client-ca-permissions",
        "Kubelet client CA file permissions are too open",
        ("client-ca",),
        "mode",
        0o644,
        "4.1.7",
        M,
    ),
    (
        "CP136",
        "client-ca-ownership",
        "Kubelet client CA file is not owned by root",
        ("client-ca",),
        "owner",
        ("root", "root"),
        "4.1.8",
        M,
    ),
    (
        "CP137",
        "kubelet-config-permissions",
        "Kubelet configuration file permissions are too open",
        ("kubelet-config",),
        "mode",
        0o600,
        "4.1.9",
        M,
    ),
    (
        "CP138",
        "kubelet-config-ownership",
        "Kubelet configuration file is not owned by root",
        ("kubelet-config",),
        "owner",
        ("root", "root"),
        "4.1.10",
        M,
    ),
    (
        "CP139",
        "static-pod-manifest-permissions",
        "Static pod manifest permissions are too open",
        ("static-pod-manifest",),
        "mode",
        0o600,
        None,
        M,
    ),
    (
        "CP140",
        "static-pod-manifest-ownership",
        "Static pod manifest is not owned by root",
        ("static-pod-manifest",),
        "owner",
        ("root", "root"),
        None,
        M,
    ),
    (
        "CP141",
        "encryption-config-permissions",
        "Encryption configuration permissions are too open",
        ("encryption-config",),
        "mode",
        0o600,
        None,
        H,
    ),
    (
        "CP142",
        "encryption-config-ownership",
        "Encryption configuration is not owned by root",
        ("encryption-config",),
        "owner",
        ("root", "root"),
        None,
        H,
    ),
    (
        "CP143",
        "cni-file-permissions",
        "Container Network Interface file permissions are too open",
        ("cni-file",),
        "mode",
        0o600,
        "1.1.9",
        L,
    ),
    (
        "CP144",
        "cni-file-ownership",
        "Container Network Interface file is not owned by root",
        ("cni-file",),
        "owner",
        ("root", "root"),
        "1.1.10",
        L,
    ),
)


def _make(
    code: str,
    slug: str,
    title: str,
    roles: tuple[str, ...],
    kind: str,
    want: object,
    cis_id: str | None,
    severity: Severity,
) -> Rule:
    paths = ROLES[roles[0]][0]  # the first role's description covers the others
    example_path = ROLES[roles[0]][1]
    why_file = ROLES[roles[0]][2]
    recursive = "-R " if roles[0] in ("pki", "etcd-data-dir") else ""
    if kind == "mode":
        assert isinstance(want, int)
        check = permissions_check(want)
        what = f"Flags {paths} when its permissions are more open than {want:03o}."
        why = (
            f"It {why_file}. Any permission bit beyond {want:03o} lets other local users (or processes in "
            "containers that mount the host) read or change it."
        )
        loose = "0644" if want != 0o644 else "0664"
        example = f'spec:\n  path: {example_path}\n  mode: "{loose}"   # flagged'
        fix = f"`chmod {want:o} {example_path}`."
    else:
        assert isinstance(want, tuple)
        user, group = want
        check = ownership_check(user, group)
        what = f"Flags {paths} when not owned by {user}:{group}."
        why = f"It {why_file}. Its owner can change it; only {user} should."
        example = f"spec:\n  path: {example_path}\n  owner: kube\n  group: kube   # flagged"
        target = "/etc/kubernetes/pki" if roles[0] == "pki" else example_path
        fix = f"`chown {recursive}{user}:{group} {target}`."
        if user == "etcd":
            why += (
                " CIS expects etcd to run as its own user; kubeadm runs etcd as root and leaves the "
                "folder root:root, which this rule reports (record an exception if you accept that)."
            )
    if cis_id is None:
        what += " (Not a CIS recommendation; the same standard as the CIS checks of similar files.)"
    return plain_rule(
        code=code,
        slug=slug,
        title=title,
        severity=severity,
        scope=node_file_scope(frozenset(roles), f"node files: {', '.join(roles)}"),
        check=check,
        compliance=cis(cis_id) if cis_id else {},
        what=what,
        why=why,
        example=example,
        fix=fix,
        references=(
            "https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/implementation-details/",
        ),
    )


RULES = tuple(_make(*row) for row in TABLE)
