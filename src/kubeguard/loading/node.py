"""Reading a node's files (under a root folder, ``/`` on the node itself) into resources for the
``CP`` rules: static pod manifests, the files the API server names (audit policy, encryption
configuration), the kubelet's systemd units and environment files, its configuration file, and a
``NodeFile`` resource with the ownership and permissions of every file the CIS benchmark looks at.

Paths inside the tree are the node's paths (``/etc/kubernetes/admin.conf``); a NodeFile is named after
that path, whatever the root. Owners are resolved with the tree's own ``/etc/passwd`` and
``/etc/group`` when it has them (a copied tree keeps the node's names), else with this host's.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kubeguard.loading.files import LoadOptions, load
from kubeguard.loading.systemd import kubelet_command_flags, parse_unit
from kubeguard.model.controlplane.components import APISERVER, ETCD
from kubeguard.model.controlplane.flags import FlagSet
from kubeguard.model.controlplane.static_pod import pod_component, static_pod_component
from kubeguard.model.errors import InputError
from kubeguard.model.nodefile import node_file
from kubeguard.model.resource import Resource, SourceLocation

MANIFESTS = "/etc/kubernetes/manifests"
KUBECONFIGS = {
    "/etc/kubernetes/admin.conf": "admin-kubeconfig",
    "/etc/kubernetes/super-admin.conf": "admin-kubeconfig",
    "/etc/kubernetes/scheduler.conf": "scheduler-kubeconfig",
    "/etc/kubernetes/controller-manager.conf": "controller-manager-kubeconfig",
}
PKI = "/etc/kubernetes/pki"
UNIT_DIRS = ("/etc/systemd/system", "/run/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system")
KUBELET_CONFIG = "/var/lib/kubelet/config.yaml"
KUBELET_KUBECONFIG = "/etc/kubernetes/kubelet.conf"
DEFAULT_CLIENT_CA = "/etc/kubernetes/pki/ca.crt"
PROXY_KUBECONFIGS = ("/var/lib/kube-proxy/kubeconfig.conf", "/etc/kubernetes/proxy.conf")
ETCD_DATA_DIR = "/var/lib/etcd"
CNI_DIRS = ("/etc/cni/net.d", "/var/lib/cni/networks")
COMPONENT_MANIFEST_ROLES = {
    "kube-apiserver": "apiserver-manifest",
    "kube-controller-manager": "controller-manager-manifest",
    "kube-scheduler": "scheduler-manifest",
    "etcd": "etcd-manifest",
}
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json", ".manifest")


@dataclass(frozen=True, slots=True)
class NodeKubelet:
    """The kubelet command line found on a node.

    ``flags`` apply to the KubeletConfiguration read from ``config_file`` (``None`` when the kubelet
    runs without ``--config``; then the node command adds an empty stand-in resource whose source is
    ``stand_in_file``).
    """

    flags: FlagSet
    config_file: str | None
    stand_in_file: str = ""


@dataclass(slots=True)
class NodeScan:
    """What was found on a node: resources to evaluate, unreadable inputs, kept texts, the kubelet
    command line, and a human list of what was read."""

    root: str
    resources: list[Resource] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    kubelet: NodeKubelet | None = None
    found: list[str] = field(default_factory=list)
    files: int = 0
    #: Files the API server's flags name (as written in the flag) that are not on the node.
    missing: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.resources


class _Owners:
    """uid/gid to names, from the tree's /etc/passwd and /etc/group, else from this host."""

    def __init__(self, root: str) -> None:
        self.users = self._read(os.path.join(root, "etc/passwd"))
        self.groups = self._read(os.path.join(root, "etc/group"))
        self.local = not self.users and not self.groups

    @staticmethod
    def _read(path: str) -> dict[int, str]:
        out: dict[int, str] = {}
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    parts = line.strip().split(":")
                    if len(parts) >= 3 and parts[2].isdigit():
                        out.setdefault(int(parts[2]), parts[0])
        except OSError:
            pass
        return out

    def user(self, uid: int) -> str | None:
        if uid in self.users:
            return self.users[uid]
        if self.local or not self.users:
            try:
                import pwd

                return pwd.getpwuid(uid).pw_name
            except (KeyError, ImportError):
                return None
        return None

    def group(self, gid: int) -> str | None:
        if gid in self.groups:
            return self.groups[gid]
        if self.local or not self.groups:
            try:
                import grp

                return grp.getgrgid(gid).gr_name
            except (KeyError, ImportError):
                return None
        return None


class _Collector:
    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)
        self.scan = NodeScan(self.root)
        self.owners = _Owners(self.root)
        self.roles: dict[str, list[str]] = {}  # node path -> roles, in discovery order
        self.static_pod_path: str | None = None  # the kubelet's staticPodPath / --pod-manifest-path

    # paths ------------------------------------------------------------------------------------

    def host(self, node_path: str) -> str:
        """The real path of a node path under the root."""
        return os.path.join(self.root, node_path.lstrip("/"))

    def node_path(self, host_path: str) -> str:
        rel = os.path.relpath(host_path, self.root)
        return "/" + rel.replace(os.sep, "/") if rel != "." else "/"

    def exists(self, node_path: str) -> bool:
        return os.path.exists(self.host(node_path))

    def read(self, node_path: str) -> str | None:
        try:
            with open(self.host(node_path), encoding="utf-8", errors="replace") as fh:
                return fh.read()
        except OSError:
            return None

    def add_role(self, node_path: str, role: str) -> None:
        roles = self.roles.setdefault(posixpath.normpath(node_path), [])
        if role not in roles:
            roles.append(role)

    # loading ----------------------------------------------------------------------------------

    def load(self, node_path: str) -> list[Resource]:
        result = load([self.host(node_path)], LoadOptions(render=False))
        self.scan.errors.extend(result.errors)
        self.scan.texts.update(result.texts)
        self.scan.files += result.files
        self.scan.resources.extend(result.resources)
        return result.resources

    # the parts of a node -----------------------------------------------------------------------

    def manifests(self) -> list[Resource]:
        manifests = posixpath.normpath(self.static_pod_path or MANIFESTS)
        folder = self.host(manifests)
        pods: list[Resource] = []
        if not os.path.isdir(folder):
            return pods
        self.scan.found.append(f"static pod manifests in {manifests}")
        for name in sorted(os.listdir(folder)):
            path = f"{manifests}/{name}"
            if (
                name.startswith(".")
                or not name.endswith(MANIFEST_SUFFIXES)
                or not os.path.isfile(self.host(path))
            ):
                continue
            loaded = self.load(path)
            role = "static-pod-manifest"
            for r in loaded:
                comp = pod_component(r) if r.kind == "Pod" else None
                if comp in COMPONENT_MANIFEST_ROLES:
                    role = COMPONENT_MANIFEST_ROLES[comp]
                pods.append(r)
            self.add_role(path, role)
        return pods

    def referenced_files(self, pods: Iterable[Resource]) -> None:
        """Files the API server and etcd name: audit policy, encryption config, etcd data dir."""
        for pod in pods:
            api = static_pod_component(pod, APISERVER)
            if api is not None:
                for flag, role in (
                    ("audit-policy-file", "audit-policy"),
                    ("encryption-provider-config", "encryption-config"),
                    ("admission-control-config-file", "admission-config"),
                    ("authorization-config", "authorization-config"),
                    ("authentication-config", "authentication-config"),
                ):
                    value = api.flags.value(flag)
                    if not value:
                        continue
                    path = host_path_of(pod.raw, api.container, value)
                    if self.exists(path):
                        self.scan.found.append(f"--{flag} {path}")
                        self.load(path)
                        self.add_role(path, role)
                    else:
                        self.scan.missing.append(value)  # reported by CP032 at the flag
            etcd = static_pod_component(pod, ETCD)
            if etcd is not None:
                data_dir = host_path_of(
                    pod.raw, etcd.container, etcd.flags.value("data-dir") or ETCD_DATA_DIR
                )
                if os.path.isdir(self.host(data_dir)):
                    self.add_role(data_dir, "etcd-data-dir")

    def kubeconfigs(self) -> None:
        for path, role in KUBECONFIGS.items():
            if self.exists(path):
                self.scan.found.append(path)
                self.add_role(path, role)
        for path in PROXY_KUBECONFIGS:
            if self.exists(path):
                self.scan.found.append(path)
                self.add_role(path, "proxy-kubeconfig")

    def pki(self) -> None:
        top = self.host(PKI)
        if not os.path.isdir(top):
            return
        self.scan.found.append(f"{PKI}/")
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            self.add_role(self.node_path(dirpath), "pki")
            for name in sorted(filenames):
                node = self.node_path(os.path.join(dirpath, name))
                if name.endswith(".crt"):
                    self.add_role(node, "pki-certificate")
                elif name.endswith(".key"):
                    self.add_role(node, "pki-key")
                else:
                    self.add_role(node, "pki")

    def cni(self) -> None:
        for top in CNI_DIRS:
            folder = self.host(top)
            if not os.path.isdir(folder):
                continue
            self.scan.found.append(f"{top}/")
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames.sort()
                for name in sorted(filenames):
                    self.add_role(self.node_path(os.path.join(dirpath, name)), "cni-file")

    def kubelet(self) -> None:
        units: list[tuple[str, str]] = []
        main = next((f"{d}/kubelet.service" for d in UNIT_DIRS if self.exists(f"{d}/kubelet.service")), None)
        if main is not None:
            units.append((main, self.read(main) or ""))
        dropins: dict[str, str] = {}
        for d in reversed(UNIT_DIRS):  # /etc wins over /usr/lib for a drop-in of the same name
            folder = self.host(f"{d}/kubelet.service.d")
            if os.path.isdir(folder):
                for name in os.listdir(folder):
                    if name.endswith(".conf"):
                        dropins[name] = f"{d}/kubelet.service.d/{name}"
        for name in sorted(dropins):
            units.append((dropins[name], self.read(dropins[name]) or ""))
        for path, _ in units:
            self.add_role(path, "kubelet-service")
        flags = FlagSet()
        found_exec = False
        if units:
            self.scan.found.append("kubelet systemd unit " + ", ".join(p for p, _ in units))
            unit = parse_unit(units)
            env_texts: dict[str, str] = {}
            for spec in unit.environment_files:
                path = spec.lstrip("-").strip()
                text = self.read(path)
                if text is not None:
                    env_texts[path] = text
                    self.scan.found.append(f"kubelet environment file {path}")
            flags, found_exec = kubelet_command_flags(unit, env_texts)
        config_path: str | None
        if found_exec:
            config_path = flags.value("config")
        else:
            config_path = KUBELET_CONFIG if self.exists(KUBELET_CONFIG) else None
        config_value: dict[str, Any] | None = None
        if config_path:
            if self.exists(config_path):
                self.scan.found.append(f"kubelet configuration {config_path}")
                loaded = [r for r in self.load(config_path) if r.kind == "KubeletConfiguration"]
                self.add_role(config_path, "kubelet-config")
                if loaded:
                    config_value = loaded[0].raw
                    self.scan.kubelet = NodeKubelet(flags, loaded[0].source.file)
                    pod_path = config_value.get("staticPodPath")
                    if isinstance(pod_path, str) and pod_path.startswith("/"):
                        self.static_pod_path = pod_path
            else:
                self.scan.errors.append(
                    InputError(
                        self.host(config_path),
                        f"the kubelet's --config names {config_path}, which is not in the node tree",
                    )
                )
        if found_exec and self.scan.kubelet is None and not config_path:
            # The kubelet runs on flags alone: judge them against the kubelet's command-line defaults.
            stand_in = units[-1][0] if units else "kubelet"
            raw = {
                "apiVersion": "kubelet.config.k8s.io/v1beta1",
                "kind": "KubeletConfiguration",
                "metadata": {"name": "kubelet (command line)"},
            }
            self.scan.resources.append(
                Resource(raw, SourceLocation(self.host(stand_in), 0, None, origin="node"))
            )
            self.scan.kubelet = NodeKubelet(flags, None, self.host(stand_in))
        flag_pod_path = flags.value("pod-manifest-path")
        if flag_pod_path and flag_pod_path.startswith("/"):
            self.static_pod_path = flag_pod_path  # a flag wins over the configuration file
        if found_exec or config_value is not None:
            kubeconfig = flags.value("kubeconfig") or KUBELET_KUBECONFIG
            if self.exists(kubeconfig):
                self.add_role(kubeconfig, "kubelet-kubeconfig")
            ca = flags.value("client-ca-file")
            if ca is None and config_value is not None:
                auth = config_value.get("authentication")
                x509 = auth.get("x509") if isinstance(auth, dict) else None
                ca = x509.get("clientCAFile") if isinstance(x509, dict) else None
            ca = str(ca) if ca else DEFAULT_CLIENT_CA
            if self.exists(ca):
                self.add_role(ca, "client-ca")
        elif self.exists(KUBELET_KUBECONFIG):
            self.add_role(KUBELET_KUBECONFIG, "kubelet-kubeconfig")

    def node_files(self) -> None:
        for node_path, roles in self.roles.items():
            host = self.host(node_path)
            try:
                st = os.stat(host)
            except OSError as exc:
                self.scan.errors.append(InputError(host, f"cannot stat: {exc.strerror or exc}"))
                continue
            raw = node_file(
                node_path,
                roles,
                stat.S_IMODE(st.st_mode),
                self.owners.user(st.st_uid),
                self.owners.group(st.st_gid),
                st.st_uid,
                st.st_gid,
                stat.S_ISDIR(st.st_mode),
            )
            self.scan.resources.append(Resource(raw, SourceLocation(host, 0, None, origin="node")))


def host_path_of(pod: dict[str, Any], container_name: str, path: str) -> str:
    """The node path of a file a static pod's container sees at ``path`` (through hostPath mounts)."""
    spec = pod.get("spec") if isinstance(pod.get("spec"), dict) else {}
    assert isinstance(spec, dict)
    volumes = {
        v.get("name"): v["hostPath"].get("path")
        for v in spec.get("volumes") or []
        if isinstance(v, dict) and isinstance(v.get("hostPath"), dict)
    }
    best: tuple[int, str] | None = None
    for c in spec.get("containers") or []:
        if not isinstance(c, dict) or (container_name and c.get("name") != container_name):
            continue
        for m in c.get("volumeMounts") or []:
            if not isinstance(m, dict):
                continue
            mount = str(m.get("mountPath") or "").rstrip("/")
            host = volumes.get(m.get("name"))
            if not mount or not isinstance(host, str):
                continue
            if (path == mount or path.startswith(mount + "/")) and (best is None or len(mount) > best[0]):
                best = (len(mount), host.rstrip("/") + path[len(mount) :])
    return best[1] if best else path


def collect(root: str = "/") -> NodeScan:
    """Everything ``kubeguard node`` checks, read from the node tree under ``root``."""
    c = _Collector(root)
    c.kubelet()  # first: it says where the static pod manifests are
    pods = c.manifests()
    c.referenced_files(pods)
    c.kubeconfigs()
    c.pki()
    c.cni()
    c.node_files()
    return c.scan
