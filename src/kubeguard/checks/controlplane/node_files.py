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

from dataclasses import dataclass

from kubeguard.checks.controlplane._catalogue import cis, plain_rule
from kubeguard.checks.controlplane._file_checks import ownership_check, permissions_check
from kubeguard.checks.controlplane._scopes import node_file_scope
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


@dataclass(frozen=True, slots=True)
class FileRule:
    """One row of the table: a rule over the NodeFiles of ``roles``, judging either their permission
    bits (``mode``: the most open allowed) or their ``owner`` (user, group)."""

    code: str
    slug: str
    title: str
    roles: tuple[str, ...]
    severity: Severity
    cis_id: str | None
    mode: int | None = None
    owner: tuple[str, str] | None = None


TABLE: tuple[FileRule, ...] = (
    FileRule(
        code="CP110",
        slug="apiserver-manifest-permissions",
        title="API server manifest is writable or readable by others",
        roles=("apiserver-manifest",),
        mode=0o600,
        cis_id="1.1.1",
        severity=H,
    ),
    FileRule(
        code="CP111",
        slug="apiserver-manifest-ownership",
        title="API server manifest is not owned by root",
        roles=("apiserver-manifest",),
        owner=("root", "root"),
        cis_id="1.1.2",
        severity=H,
    ),
    FileRule(
        code="CP112",
        slug="controller-manager-manifest-permissions",
        title="Controller manager manifest permissions are too open",
        roles=("controller-manager-manifest",),
        mode=0o600,
        cis_id="1.1.3",
        severity=H,
    ),
    FileRule(
        code="CP113",
        slug="controller-manager-manifest-ownership",
        title="Controller manager manifest is not owned by root",
        roles=("controller-manager-manifest",),
        owner=("root", "root"),
        cis_id="1.1.4",
        severity=H,
    ),
    FileRule(
        code="CP114",
        slug="scheduler-manifest-permissions",
        title="Scheduler manifest permissions are too open",
        roles=("scheduler-manifest",),
        mode=0o600,
        cis_id="1.1.5",
        severity=H,
    ),
    FileRule(
        code="CP115",
        slug="scheduler-manifest-ownership",
        title="Scheduler manifest is not owned by root",
        roles=("scheduler-manifest",),
        owner=("root", "root"),
        cis_id="1.1.6",
        severity=H,
    ),
    FileRule(
        code="CP116",
        slug="etcd-manifest-permissions",
        title="etcd manifest permissions are too open",
        roles=("etcd-manifest",),
        mode=0o600,
        cis_id="1.1.7",
        severity=H,
    ),
    FileRule(
        code="CP117",
        slug="etcd-manifest-ownership",
        title="etcd manifest is not owned by root",
        roles=("etcd-manifest",),
        owner=("root", "root"),
        cis_id="1.1.8",
        severity=H,
    ),
    FileRule(
        code="CP118",
        slug="etcd-data-dir-permissions",
        title="etcd data directory permissions are too open",
        roles=("etcd-data-dir",),
        mode=0o700,
        cis_id="1.1.11",
        severity=H,
    ),
    FileRule(
        code="CP119",
        slug="etcd-data-dir-ownership",
        title="etcd data directory is not owned by etcd",
        roles=("etcd-data-dir",),
        owner=("etcd", "etcd"),
        cis_id="1.1.12",
        severity=M,
    ),
    FileRule(
        code="CP120",
        slug="admin-kubeconfig-permissions",
        title="Administrator kubeconfig permissions are too open",
        roles=("admin-kubeconfig",),
        mode=0o600,
        cis_id="1.1.13",
        severity=H,
    ),
    FileRule(
        code="CP121",
        slug="admin-kubeconfig-ownership",
        title="Administrator kubeconfig is not owned by root",
        roles=("admin-kubeconfig",),
        owner=("root", "root"),
        cis_id="1.1.14",
        severity=H,
    ),
    FileRule(
        code="CP122",
        slug="scheduler-kubeconfig-permissions",
        title="Scheduler kubeconfig permissions are too open",
        roles=("scheduler-kubeconfig",),
        mode=0o600,
        cis_id="1.1.15",
        severity=H,
    ),
    FileRule(
        code="CP123",
        slug="scheduler-kubeconfig-ownership",
        title="Scheduler kubeconfig is not owned by root",
        roles=("scheduler-kubeconfig",),
        owner=("root", "root"),
        cis_id="1.1.16",
        severity=H,
    ),
    FileRule(
        code="CP124",
        slug="controller-manager-kubeconfig-permissions",
        title="Controller manager kubeconfig permissions are too open",
        roles=("controller-manager-kubeconfig",),
        mode=0o600,
        cis_id="1.1.17",
        severity=H,
    ),
    FileRule(
        code="CP125",
        slug="controller-manager-kubeconfig-ownership",
        title="Controller manager kubeconfig is not owned by root",
        roles=("controller-manager-kubeconfig",),
        owner=("root", "root"),
        cis_id="1.1.18",
        severity=H,
    ),
    FileRule(
        code="CP126",
        slug="pki-ownership",
        title="PKI directory or file is not owned by root",
        roles=("pki", "pki-certificate", "pki-key"),
        owner=("root", "root"),
        cis_id="1.1.19",
        severity=H,
    ),
    FileRule(
        code="CP127",
        slug="pki-certificate-permissions",
        title="PKI certificate permissions are too open",
        roles=("pki-certificate",),
        mode=0o644,
        cis_id="1.1.20",
        severity=M,
    ),
    FileRule(
        code="CP128",
        slug="pki-key-permissions",
        title="PKI private key permissions are too open",
        roles=("pki-key",),
        mode=0o600,
        cis_id="1.1.21",
        severity=H,
    ),
    FileRule(
        code="CP129",
        slug="kubelet-service-permissions",
        title="Kubelet service file permissions are too open",
        roles=("kubelet-service",),
        mode=0o600,
        cis_id="4.1.1",
        severity=M,
    ),
    FileRule(
        code="CP130",
        slug="kubelet-service-ownership",
        title="Kubelet service file is not owned by root",
        roles=("kubelet-service",),
        owner=("root", "root"),
        cis_id="4.1.2",
        severity=M,
    ),
    FileRule(
        code="CP131",
        slug="proxy-kubeconfig-permissions",
        title="kube-proxy kubeconfig permissions are too open",
        roles=("proxy-kubeconfig",),
        mode=0o600,
        cis_id="4.1.3",
        severity=M,
    ),
    FileRule(
        code="CP132",
        slug="proxy-kubeconfig-ownership",
        title="kube-proxy kubeconfig is not owned by root",
        roles=("proxy-kubeconfig",),
        owner=("root", "root"),
        cis_id="4.1.4",
        severity=M,
    ),
    FileRule(
        code="CP133",
        slug="kubelet-kubeconfig-permissions",
        title="Kubelet kubeconfig permissions are too open",
        roles=("kubelet-kubeconfig",),
        mode=0o600,
        cis_id="4.1.5",
        severity=H,
    ),
    FileRule(
        code="CP134",
        slug="kubelet-kubeconfig-ownership",
        title="Kubelet kubeconfig is not owned by root",
        roles=("kubelet-kubeconfig",),
        owner=("root", "root"),
        cis_id="4.1.6",
        severity=H,
    ),
    FileRule(
        code="CP135",
        slug="client-ca-permissions",
        title="Kubelet client CA file permissions are too open",
        roles=("client-ca",),
        mode=0o644,
        cis_id="4.1.7",
        severity=M,
    ),
    FileRule(
        code="CP136",
        slug="client-ca-ownership",
        title="Kubelet client CA file is not owned by root",
        roles=("client-ca",),
        owner=("root", "root"),
        cis_id="4.1.8",
        severity=M,
    ),
    FileRule(
        code="CP137",
        slug="kubelet-config-permissions",
        title="Kubelet configuration file permissions are too open",
        roles=("kubelet-config",),
        mode=0o600,
        cis_id="4.1.9",
        severity=M,
    ),
    FileRule(
        code="CP138",
        slug="kubelet-config-ownership",
        title="Kubelet configuration file is not owned by root",
        roles=("kubelet-config",),
        owner=("root", "root"),
        cis_id="4.1.10",
        severity=M,
    ),
    FileRule(
        code="CP139",
        slug="static-pod-manifest-permissions",
        title="Static pod manifest permissions are too open",
        roles=("static-pod-manifest",),
        mode=0o600,
        cis_id=None,
        severity=M,
    ),
    FileRule(
        code="CP140",
        slug="static-pod-manifest-ownership",
        title="Static pod manifest is not owned by root",
        roles=("static-pod-manifest",),
        owner=("root", "root"),
        cis_id=None,
        severity=M,
    ),
    FileRule(
        code="CP141",
        slug="encryption-config-permissions",
        title="Encryption configuration permissions are too open",
        roles=("encryption-config",),
        mode=0o600,
        cis_id=None,
        severity=H,
    ),
    FileRule(
        code="CP142",
        slug="encryption-config-ownership",
        title="Encryption configuration is not owned by root",
        roles=("encryption-config",),
        owner=("root", "root"),
        cis_id=None,
        severity=H,
    ),
    FileRule(
        code="CP143",
        slug="cni-file-permissions",
        title="Container Network Interface file permissions are too open",
        roles=("cni-file",),
        mode=0o600,
        cis_id="1.1.9",
        severity=L,
    ),
    FileRule(
        code="CP144",
        slug="cni-file-ownership",
        title="Container Network Interface file is not owned by root",
        roles=("cni-file",),
        owner=("root", "root"),
        cis_id="1.1.10",
        severity=L,
    ),
)


def _make(row: FileRule) -> Rule:
    roles = row.roles
    paths = ROLES[roles[0]][0]  # the first role's description covers the others
    example_path = ROLES[roles[0]][1]
    why_file = ROLES[roles[0]][2]
    recursive = "-R " if roles[0] in ("pki", "etcd-data-dir") else ""
    if row.mode is not None:
        want = row.mode
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
        assert row.owner is not None, f"{row.code}: a row sets mode or owner"
        user, group = row.owner
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
    if row.cis_id is None:
        what += " (Not a CIS recommendation; the same standard as the CIS checks of similar files.)"
    return plain_rule(
        code=row.code,
        slug=row.slug,
        title=row.title,
        severity=row.severity,
        scope=node_file_scope(frozenset(roles), f"node files: {', '.join(roles)}"),
        check=check,
        compliance=cis(row.cis_id) if row.cis_id else {},
        what=what,
        why=why,
        example=example,
        fix=fix,
        references=(
            "https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/implementation-details/",
        ),
    )


RULES = tuple(_make(row) for row in TABLE)
