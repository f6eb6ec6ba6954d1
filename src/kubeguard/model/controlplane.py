"""Control plane components and their command lines, parsed once.

A component (kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kubelet) is configured by
flags. They reach kubeguard in four shapes, all turned into one :class:`FlagSet`:

- a static pod manifest: a Pod whose container ``command`` (plus ``args``) starts the component;
  ``--flag=value``, ``--flag value``, bare boolean flags and repeated flags are understood the way
  the components' flag library (pflag) understands them, and etcd's ``ETCD_*`` environment
  variables count as flags (a flag given on the command line wins);
- kubeadm's ``ClusterConfiguration`` ``extraArgs`` (v1beta3 map or v1beta4 list of name/value),
  laid over the flags kubeadm itself writes into the manifests;
- kubeadm's ``nodeRegistration.kubeletExtraArgs`` (Init/JoinConfiguration), for the kubelet;
- a kubelet started by systemd: unit files and drop-ins and the environment files they read
  (parsed in :mod:`kubeguard.loading.systemd`, which hands the command line to :func:`parse_argv`).

Every flag keeps the pointer of the field that set it, so a finding points at the exact list item or
``extraArgs`` entry. Nothing here reads files: callers pass texts in.
"""

from __future__ import annotations

import posixpath
import shlex
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kubeguard.model.pointer import ROOT, Pointer

if TYPE_CHECKING:
    from kubeguard.model.resource import Resource

APISERVER = "kube-apiserver"
CONTROLLER_MANAGER = "kube-controller-manager"
SCHEDULER = "kube-scheduler"
ETCD = "etcd"
KUBELET = "kubelet"
CONTROL_PLANE_COMPONENTS = (APISERVER, CONTROLLER_MANAGER, SCHEDULER, ETCD)
COMPONENTS = (*CONTROL_PLANE_COMPONENTS, KUBELET)

#: Boolean flags never take the next argument as their value (``--profiling false`` sets profiling
#: to true and leaves ``false`` as a stray argument), exactly as in pflag.
BOOL_FLAGS = frozenset(
    {
        # kube-apiserver
        "anonymous-auth",
        "profiling",
        "service-account-lookup",
        "allow-privileged",
        "enable-bootstrap-token-auth",
        "service-account-extend-token-expiration",
        "enable-aggregator-routing",
        "audit-log-compress",
        "contention-profiling",
        "enable-garbage-collector",
        "enable-priority-and-fairness",
        "strict-transport-security-directives",
        "kubelet-https",
        "insecure-skip-tls-verify",
        # kube-controller-manager / kube-scheduler
        "use-service-account-credentials",
        "leader-elect",
        "allocate-node-cidrs",
        "configure-cloud-routes",
        "enable-hostpath-provisioner",
        # etcd
        "client-cert-auth",
        "auto-tls",
        "peer-client-cert-auth",
        "peer-auto-tls",
        "strict-reconfig-check",
        "enable-v2",
        "debug",
        "experimental-initial-corrupt-check",
        "enable-pprof",
        # kubelet
        "make-iptables-util-chains",
        "protect-kernel-defaults",
        "rotate-certificates",
        "rotate-server-certificates",
        "seccomp-default",
        "fail-swap-on",
        "serialize-image-pulls",
        "cgroups-per-qos",
        "register-node",
        "enable-server",
        "enable-debugging-handlers",
        "exit-on-lock-contention",
        "kernel-memcg-notification",
        "keep-terminated-pod-volumes",
        "localStorageCapacityIsolation",
        # shared
        "help",
        "version",
        "logtostderr",
        "alsologtostderr",
        "add-dir-header",
        "skip-headers",
        "one-output",
    }
)

_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def parse_bool(value: str | None) -> bool | None:
    """pflag's strconv.ParseBool: ``None`` when the text is not a boolean. A bare flag is true."""
    if value is None:
        return True
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


@dataclass(frozen=True, slots=True)
class Flag:
    """One occurrence of a flag: its name (without dashes), its value (``None`` for a bare flag),
    where it was written, and where it came from (``command``, ``args``, ``env``, ``extraArgs``,
    ``kubeadm default``, a file name ...)."""

    name: str
    value: str | None
    at: Pointer = ROOT
    origin: str = "command"

    @property
    def text(self) -> str:
        return f"--{self.name}" if self.value is None else f"--{self.name}={self.value}"


class FlagSet:
    """The flags of one component, in order; lookups follow pflag: the last occurrence wins for a
    scalar flag, list flags (comma-separated) accumulate across repetitions."""

    __slots__ = ("_by_name", "entries", "insert_at", "where")

    def __init__(self, entries: Iterable[Flag] = (), insert_at: Pointer = ROOT, where: str = "") -> None:
        self.entries: tuple[Flag, ...] = tuple(entries)
        #: Where a missing flag should be added (the command list, the extraArgs field ...).
        self.insert_at = insert_at
        #: Human description of where the flags live, for messages ("the kube-apiserver command").
        self.where = where
        by_name: dict[str, list[Flag]] = {}
        for f in self.entries:
            by_name.setdefault(f.name, []).append(f)
        self._by_name = by_name

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Flag]:
        return iter(self.entries)

    def names(self) -> list[str]:
        return list(self._by_name)

    def last(self, name: str) -> Flag | None:
        found = self._by_name.get(name)
        return found[-1] if found else None

    def all(self, name: str) -> list[Flag]:
        return list(self._by_name.get(name, ()))

    def has(self, name: str) -> bool:
        """Set with a non-empty value (``--token-auth-file=`` counts as unset, like in the components)."""
        f = self.last(name)
        return f is not None and (f.value is None or f.value.strip() != "")

    def value(self, name: str) -> str | None:
        """The effective value: the last occurrence; a bare flag reads ``"true"``; ``None`` if absent."""
        f = self.last(name)
        if f is None:
            return None
        return "true" if f.value is None else f.value

    def bool(self, name: str, default: bool) -> bool | None:
        """The flag as a boolean, ``default`` when absent, ``None`` when it is not a boolean."""
        f = self.last(name)
        if f is None:
            return default
        return parse_bool(f.value)

    def list(self, name: str) -> list[str]:
        """A comma-separated list flag, accumulated over repetitions, blanks dropped."""
        out: list[str] = []
        for f in self._by_name.get(name, ()):
            if f.value:
                out.extend(p.strip() for p in f.value.split(",") if p.strip())
        return out

    def mapping(self, name: str) -> dict[str, str]:
        """A ``key=value,key=value`` flag such as ``--feature-gates``; later keys win."""
        out: dict[str, str] = {}
        for item in self.list(name):
            key, _, value = item.partition("=")
            out[key.strip()] = value.strip()
        return out

    def at(self, name: str) -> Pointer:
        """The field that sets ``name`` (its last occurrence), else where it should be added."""
        f = self.last(name)
        return f.at if f is not None else self.insert_at

    def origin(self, name: str) -> str | None:
        f = self.last(name)
        return f.origin if f is not None else None

    def overlay(self, other: FlagSet) -> FlagSet:
        """``other``'s flags replace these (by name); used for kubeadm defaults under extraArgs."""
        replaced = set(other._by_name)
        kept = [f for f in self.entries if f.name not in replaced]
        return FlagSet([*kept, *other.entries], other.insert_at, other.where or self.where)

    def __repr__(self) -> str:
        return f"FlagSet({' '.join(f.text for f in self.entries)})"


def parse_argv(
    tokens: Sequence[tuple[str, Pointer]], origin: str = "command", origins: Sequence[str] | None = None
) -> list[Flag]:
    """Flags from an argument vector (without the program name); each token carries its pointer
    (and, with ``origins``, its own origin).

    ``--a=b`` and ``-a=b``; ``--a b`` unless ``a`` is a boolean flag or ``b`` looks like a flag;
    ``--`` ends the flags; other arguments are ignored.
    """
    out: list[Flag] = []
    i = 0
    n = len(tokens)
    while i < n:
        text, at = tokens[i]
        here = origins[i] if origins is not None else origin
        i += 1
        if text == "--":
            break
        if not text.startswith("-") or text == "-":
            continue
        body = text.lstrip("-")
        if not body:
            continue
        name, eq, value = body.partition("=")
        name = name.strip()
        if not name:
            continue
        if eq:
            out.append(Flag(name, value, at, here))
            continue
        if name not in BOOL_FLAGS and i < n and not tokens[i][0].startswith("-"):
            out.append(Flag(name, tokens[i][0], at, here))
            i += 1
            continue
        out.append(Flag(name, None, at, here))
    return out


# --- which component a command starts -----------------------------------------------------------

_COMPONENT_BY_BINARY = {
    "kube-apiserver": APISERVER,
    "apiserver": APISERVER,
    "kube-controller-manager": CONTROLLER_MANAGER,
    "controller-manager": CONTROLLER_MANAGER,
    "kube-scheduler": SCHEDULER,
    "scheduler": SCHEDULER,
    "etcd": ETCD,
    "kubelet": KUBELET,
}
_SHELLS = frozenset({"sh", "bash", "ash", "dash"})


def component_of_binary(program: str) -> str | None:
    """``/usr/local/bin/kube-apiserver`` -> ``kube-apiserver``; unknown programs -> ``None``."""
    return _COMPONENT_BY_BINARY.get(posixpath.basename(program.strip()))


def _str_list(value: Any) -> list[str] | None:
    if not isinstance(value, list):
        return None
    return [str(v) if not isinstance(v, str) else v for v in value]


def container_argv(
    container: Mapping[str, Any], pointer: Pointer
) -> tuple[str, list[tuple[str, Pointer]]] | None:
    """The program and its arguments (with pointers) of a container: ``command`` then ``args``.

    A ``sh -c "kube-apiserver --a=b ..."`` wrapper is unwrapped (the script is split like a shell
    would; its flags all point at the script). ``hyperkube <component>`` is understood.
    """
    command = _str_list(container.get("command")) or []
    args = _str_list(container.get("args")) or []
    tokens = [(t, pointer / "command" / i) for i, t in enumerate(command)]
    tokens += [(t, pointer / "args" / i) for i, t in enumerate(args)]
    if not tokens:
        return None
    program = tokens[0][0]
    rest = tokens[1:]
    if posixpath.basename(program) in _SHELLS:
        for j, (tok, _at) in enumerate(rest):
            if tok == "-c" and j + 1 < len(rest):
                script, script_at = rest[j + 1]
                try:
                    words = shlex.split(script, comments=False)
                except ValueError:
                    return None
                words = [w for w in words if w != "exec"]
                if not words:
                    return None
                return words[0], [(w, script_at) for w in words[1:]]
        return None
    if posixpath.basename(program) == "hyperkube" and rest:
        return rest[0][0], rest[1:]
    return program, rest


def _etcd_env_flags(container: Mapping[str, Any], pointer: Pointer) -> list[Flag]:
    """etcd reads every flag from ``ETCD_<FLAG_NAME>`` as well (a command-line flag wins)."""
    env = container.get("env")
    out: list[Flag] = []
    if not isinstance(env, list):
        return out
    for i, item in enumerate(env):
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        value = item.get("value")
        if isinstance(name, str) and name.startswith("ETCD_") and isinstance(value, (str, int, bool)):
            text = str(value).lower() if isinstance(value, bool) else str(value)
            out.append(Flag(name[5:].lower().replace("_", "-"), text, pointer / "env" / i / "value", "env"))
    return out


@dataclass(frozen=True, slots=True)
class ComponentConfig:
    """One component's flags as found in one resource.

    ``kind`` says where they come from: ``static-pod``, ``kubeadm`` or ``kubelet-flags``. For kubeadm,
    ``flags`` already includes the flags kubeadm writes itself (origin ``kubeadm default``).
    """

    component: str
    flags: FlagSet
    kind: str
    container: str = ""
    pointer: Pointer = ROOT

    @property
    def label(self) -> str:
        if self.kind == "static-pod":
            return f"{self.component} (container {self.container!r})"
        if self.kind == "kubeadm":
            return f"{self.component} (kubeadm extraArgs)"
        return self.component


def _containers(raw: Mapping[str, Any]) -> Iterator[tuple[Mapping[str, Any], Pointer]]:
    spec = raw.get("spec")
    if not isinstance(spec, dict):
        return
    for list_name in ("containers", "initContainers"):
        items = spec.get(list_name)
        if isinstance(items, list):
            for i, c in enumerate(items):
                if isinstance(c, dict):
                    yield c, Pointer(("spec", list_name, i))


_last_pod: list[Any] = [None, None]  # (raw, component) of the last pod asked about


def pod_component(raw: Mapping[str, Any]) -> str | None:
    """Cheap test: the component a Pod's first matching container starts, without parsing flags.

    Called once per Pod by each component's scope; the last answer is kept (with the object
    itself, so its identity cannot be reused) because those calls come one after another.
    """
    if _last_pod[0] is raw:
        return _last_pod[1]  # type: ignore[no-any-return]
    result = _pod_component(raw)
    _last_pod[0] = raw
    _last_pod[1] = result
    return result


def _pod_component(raw: Mapping[str, Any]) -> str | None:
    spec = raw.get("spec")
    if not isinstance(spec, dict):
        return None
    for list_name in ("containers", "initContainers"):
        items = spec.get(list_name)
        if not isinstance(items, list):
            continue
        for container in items:
            if not isinstance(container, dict):
                continue
            command = container.get("command") or container.get("args")
            if not isinstance(command, list) or not command or not isinstance(command[0], str):
                continue
            base = command[0].rpartition("/")[2].strip()
            comp = _COMPONENT_BY_BINARY.get(base)
            if comp is not None:
                return comp
            if base in _SHELLS or base == "hyperkube":
                argv = container_argv(container, ROOT)
                if argv is not None and (comp := component_of_binary(argv[0])) is not None:
                    return comp
    return None


def static_pod_component(resource: Resource, component: str | None = None) -> ComponentConfig | None:
    """The component a Pod runs (or ``component`` only), with its parsed flags; ``None`` otherwise."""
    if resource.kind != "Pod":
        return None
    for container, ptr in _containers(resource.raw):
        argv = container_argv(container, ptr)
        if argv is None:
            continue
        program, rest = argv
        comp = component_of_binary(program)
        if comp is None or (component is not None and comp != component):
            continue
        flags = parse_argv(rest)
        if comp == ETCD:
            given = {f.name for f in flags}
            flags = [f for f in _etcd_env_flags(container, ptr) if f.name not in given] + flags
        has_command = isinstance(container.get("command"), list) and bool(container.get("command"))
        insert = ptr / ("command" if has_command else "args")
        name = str(container.get("name") or "")
        return ComponentConfig(comp, FlagSet(flags, insert, f"the {comp} command"), "static-pod", name, ptr)
    return None


# --- kubeadm ------------------------------------------------------------------------------------

#: Flags kubeadm (v1.31) writes into the static pod manifests it generates, before extraArgs.
#: Addresses and CIDRs are left out: no CIS recommendation reads them.
KUBEADM_DEFAULT_FLAGS: dict[str, tuple[tuple[str, str], ...]] = {
    APISERVER: (
        ("allow-privileged", "true"),
        ("authorization-mode", "Node,RBAC"),
        ("client-ca-file", "/etc/kubernetes/pki/ca.crt"),
        ("enable-admission-plugins", "NodeRestriction"),
        ("enable-bootstrap-token-auth", "true"),
        ("etcd-cafile", "/etc/kubernetes/pki/etcd/ca.crt"),
        ("etcd-certfile", "/etc/kubernetes/pki/apiserver-etcd-client.crt"),
        ("etcd-keyfile", "/etc/kubernetes/pki/apiserver-etcd-client.key"),
        ("kubelet-client-certificate", "/etc/kubernetes/pki/apiserver-kubelet-client.crt"),
        ("kubelet-client-key", "/etc/kubernetes/pki/apiserver-kubelet-client.key"),
        ("proxy-client-cert-file", "/etc/kubernetes/pki/front-proxy-client.crt"),
        ("proxy-client-key-file", "/etc/kubernetes/pki/front-proxy-client.key"),
        ("requestheader-client-ca-file", "/etc/kubernetes/pki/front-proxy-ca.crt"),
        ("secure-port", "6443"),
        ("service-account-issuer", "https://kubernetes.default.svc.cluster.local"),
        ("service-account-key-file", "/etc/kubernetes/pki/sa.pub"),
        ("service-account-signing-key-file", "/etc/kubernetes/pki/sa.key"),
        ("tls-cert-file", "/etc/kubernetes/pki/apiserver.crt"),
        ("tls-private-key-file", "/etc/kubernetes/pki/apiserver.key"),
    ),
    CONTROLLER_MANAGER: (
        ("authentication-kubeconfig", "/etc/kubernetes/controller-manager.conf"),
        ("authorization-kubeconfig", "/etc/kubernetes/controller-manager.conf"),
        ("bind-address", "127.0.0.1"),
        ("client-ca-file", "/etc/kubernetes/pki/ca.crt"),
        ("cluster-signing-cert-file", "/etc/kubernetes/pki/ca.crt"),
        ("cluster-signing-key-file", "/etc/kubernetes/pki/ca.key"),
        ("controllers", "*,bootstrapsigner,tokencleaner"),
        ("kubeconfig", "/etc/kubernetes/controller-manager.conf"),
        ("leader-elect", "true"),
        ("requestheader-client-ca-file", "/etc/kubernetes/pki/front-proxy-ca.crt"),
        ("root-ca-file", "/etc/kubernetes/pki/ca.crt"),
        ("service-account-private-key-file", "/etc/kubernetes/pki/sa.key"),
        ("use-service-account-credentials", "true"),
    ),
    SCHEDULER: (
        ("authentication-kubeconfig", "/etc/kubernetes/scheduler.conf"),
        ("authorization-kubeconfig", "/etc/kubernetes/scheduler.conf"),
        ("bind-address", "127.0.0.1"),
        ("kubeconfig", "/etc/kubernetes/scheduler.conf"),
        ("leader-elect", "true"),
    ),
    ETCD: (
        ("cert-file", "/etc/kubernetes/pki/etcd/server.crt"),
        ("client-cert-auth", "true"),
        ("data-dir", "/var/lib/etcd"),
        ("key-file", "/etc/kubernetes/pki/etcd/server.key"),
        ("peer-cert-file", "/etc/kubernetes/pki/etcd/peer.crt"),
        ("peer-client-cert-auth", "true"),
        ("peer-key-file", "/etc/kubernetes/pki/etcd/peer.key"),
        ("peer-trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"),
        ("snapshot-count", "10000"),
        ("trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"),
    ),
}

#: Where each component's settings live in a kubeadm ClusterConfiguration.
KUBEADM_SECTIONS: dict[str, Pointer] = {
    APISERVER: Pointer(("apiServer",)),
    CONTROLLER_MANAGER: Pointer(("controllerManager",)),
    SCHEDULER: Pointer(("scheduler",)),
    ETCD: Pointer(("etcd", "local")),
}

KUBEADM_GROUP = "kubeadm.k8s.io"


def extra_args(value: Any, pointer: Pointer, origin: str = "extraArgs") -> list[Flag]:
    """kubeadm ``extraArgs``: the v1beta3 map ``{flag: value}`` or the v1beta4 list ``[{name, value}]``."""
    out: list[Flag] = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append(Flag(str(k).lstrip("-"), _scalar_text(v), pointer / str(k), origin))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict) and item.get("name") is not None:
                out.append(
                    Flag(
                        str(item["name"]).lstrip("-"),
                        _scalar_text(item.get("value")),
                        pointer / i / "value",
                        origin,
                    )
                )
    return out


def _scalar_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return "" if v is None else str(v)


def _section(raw: Mapping[str, Any], ptr: Pointer) -> Mapping[str, Any] | None:
    node: Any = raw
    for part in ptr:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node if isinstance(node, dict) else None


def kubeadm_component(resource: Resource, component: str) -> ComponentConfig | None:
    """A control plane component as a kubeadm ClusterConfiguration configures it.

    ``None`` for etcd when the configuration uses an external etcd (kubeadm does not run it).
    """
    if resource.kind != "ClusterConfiguration" or resource.group != KUBEADM_GROUP:
        return None
    section_ptr = KUBEADM_SECTIONS.get(component)
    if section_ptr is None:
        return None
    raw = resource.raw
    if component == ETCD:
        etcd = raw.get("etcd")
        if isinstance(etcd, dict) and "external" in etcd and "local" not in etcd:
            return None
    section = _section(raw, section_ptr)
    args_ptr = section_ptr / "extraArgs"
    defaults = FlagSet(
        [Flag(n, v, args_ptr, "kubeadm default") for n, v in KUBEADM_DEFAULT_FLAGS[component]], args_ptr
    )
    given = FlagSet(
        extra_args(section.get("extraArgs") if section else None, args_ptr),
        args_ptr,
        f"{component} extraArgs of the kubeadm ClusterConfiguration",
    )
    return ComponentConfig(component, defaults.overlay(given), "kubeadm", "", section_ptr)


def kubeadm_kubelet_flags(resource: Resource) -> FlagSet | None:
    """``nodeRegistration.kubeletExtraArgs`` of a kubeadm Init/JoinConfiguration."""
    if resource.kind not in ("InitConfiguration", "JoinConfiguration") or resource.group != KUBEADM_GROUP:
        return None
    ptr = Pointer(("nodeRegistration", "kubeletExtraArgs"))
    reg = resource.raw.get("nodeRegistration")
    value = reg.get("kubeletExtraArgs") if isinstance(reg, dict) else None
    return FlagSet(extra_args(value, ptr, "kubeletExtraArgs"), ptr, "nodeRegistration.kubeletExtraArgs")


def component_config(resource: Resource, component: str) -> ComponentConfig | None:
    """The component's flags in a static pod or a kubeadm ClusterConfiguration."""
    if resource.kind == "Pod":
        return static_pod_component(resource, component)
    return kubeadm_component(resource, component)
