"""The kubelet's effective settings: command-line flags over the configuration file over defaults.

The kubelet reads a KubeletConfiguration file (``--config``) and then applies its command-line flags
on top: when both set a value, the flag wins. Defaults differ with the way the kubelet is configured:
with a configuration file, absent fields take the ``kubelet.config.k8s.io/v1beta1`` defaults
(anonymous auth off, Webhook authorization, read-only port 0); with flags only, the kubelet keeps its
legacy command-line defaults (anonymous auth on, AlwaysAllow, read-only port 10255).

``kubeguard scan`` judges a KubeletConfiguration on its own. ``kubeguard node`` passes the node's
kubelet flags through ``ScanOptions.extra[NODE_KUBELET]`` so the rules judge the merged result.
kubeadm ``kubeletExtraArgs`` are judged as flags only: the file kubeadm writes is judged where it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kubeguard.analyzers.controlplane.flags import parse_duration, parse_int
from kubeguard.analyzers.controlplane.node_options import NODE_KUBELET
from kubeguard.loading.node import NodeKubelet
from kubeguard.model.controlplane.flags import FlagSet, parse_bool
from kubeguard.model.controlplane.kubeadm import KUBEADM_GROUP, kubeadm_kubelet_flags
from kubeguard.model.pointer import ROOT, Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext


@dataclass(frozen=True, slots=True)
class Setting:
    """One kubelet setting: its configuration-file path, its flag, its type and both defaults."""

    path: tuple[str, ...]
    flag: str | None
    kind: str  # bool, int, str, duration, list, map
    config_default: Any
    flag_default: Any

    @property
    def field(self) -> str:
        return ".".join(self.path)


S = Setting
ANONYMOUS = S(("authentication", "anonymous", "enabled"), "anonymous-auth", "bool", False, True)
AUTHZ_MODE = S(("authorization", "mode"), "authorization-mode", "str", "Webhook", "AlwaysAllow")
CLIENT_CA = S(("authentication", "x509", "clientCAFile"), "client-ca-file", "str", "", "")
READ_ONLY_PORT = S(("readOnlyPort",), "read-only-port", "int", 0, 10255)
STREAMING_TIMEOUT = S(
    ("streamingConnectionIdleTimeout",), "streaming-connection-idle-timeout", "duration", "4h0m0s", "4h0m0s"
)
PROTECT_KERNEL = S(("protectKernelDefaults",), "protect-kernel-defaults", "bool", False, False)
IPTABLES_CHAINS = S(("makeIPTablesUtilChains",), "make-iptables-util-chains", "bool", True, True)
EVENT_QPS = S(("eventRecordQPS",), "event-qps", "int", 50, 50)
TLS_CERT = S(("tlsCertFile",), "tls-cert-file", "str", "", "")
TLS_KEY = S(("tlsPrivateKeyFile",), "tls-private-key-file", "str", "", "")
SERVER_TLS_BOOTSTRAP = S(("serverTLSBootstrap",), "rotate-server-certificates", "bool", False, False)
ROTATE_CERTS = S(("rotateCertificates",), "rotate-certificates", "bool", False, False)
FEATURE_GATES = S(("featureGates",), "feature-gates", "map", {}, {})
CIPHER_SUITES = S(("tlsCipherSuites",), "tls-cipher-suites", "list", [], [])
POD_PIDS = S(("podPidsLimit",), "pod-max-pids", "int", -1, -1)
SECCOMP_DEFAULT = S(("seccompDefault",), "seccomp-default", "bool", False, False)
HOSTNAME_OVERRIDE = S((), "hostname-override", "str", "", "")


@dataclass(frozen=True, slots=True)
class Value:
    """A setting's effective value and where it came from.

    ``source`` is ``flag``, ``config`` or ``default``; ``value`` is the typed value (``None`` when the
    text cannot be read as that type); ``text`` the value as written; ``at`` the field to point at.
    """

    setting: Setting
    value: Any
    text: str
    source: str
    at: Pointer
    origin: str = ""
    #: The configuration file's value that a flag overrides (as written), if any.
    overridden: str | None = None

    @property
    def valid(self) -> bool:
        return self.value is not None

    def describe(self) -> str:
        s = self.setting
        if self.source == "flag":
            where = (
                f" (from {self.origin})"
                if self.origin and self.origin not in ("command", "kubeletExtraArgs")
                else ""
            )
            overrides = f" overriding {s.field}: {self.overridden}" if self.overridden is not None else ""
            return f"kubelet flag --{s.flag}={self.text}{where}{overrides}"
        if self.source == "config":
            return f"{s.field}: {self.text}"
        name = s.field if s.path else f"--{s.flag}"
        return f"{name} is not set (default {self.text})" if self.text else f"{name} is not set"


def _typed(kind: str, raw: Any) -> Any:
    """The value as ``kind``; flags arrive as text, the file as YAML values."""
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        return parse_bool(raw) if isinstance(raw, str) or raw is None else None
    if kind == "int":
        if isinstance(raw, bool):
            return None
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        return parse_int(raw) if isinstance(raw, str) else None
    if kind == "duration":
        return (
            parse_duration(raw)
            if isinstance(raw, str)
            else (float(raw) if isinstance(raw, int) and raw == 0 else None)
        )
    if kind == "list":
        if isinstance(raw, list):
            return [str(x) for x in raw]
        if isinstance(raw, str):
            return [p.strip() for p in raw.split(",") if p.strip()]
        return None
    if kind == "map":
        if isinstance(raw, dict):
            return {str(k): v for k, v in raw.items()}
        if isinstance(raw, str):
            out: dict[str, Any] = {}
            for item in raw.split(","):
                k, _, v = item.partition("=")
                if k.strip():
                    out[k.strip()] = v.strip()
            return out
        return None
    return None if raw is None else str(raw)


def _text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, list):
        return ",".join(str(x) for x in raw)
    if isinstance(raw, dict):
        return ",".join(f"{k}={_text(v)}" for k, v in raw.items())
    return str(raw)


class KubeletView:
    """What a kubelet rule sees: the configuration (if any), the flags (if any), and the defaults."""

    __slots__ = ("config", "defaults", "flags", "judge_defaults", "resource", "uses_config_file")

    def __init__(
        self,
        resource: Resource,
        config: dict[str, Any] | None,
        flags: FlagSet,
        uses_config_file: bool,
        judge_defaults: bool,
        defaults: dict[tuple[str, ...], Any] | None = None,
    ) -> None:
        self.resource = resource
        self.config = config
        self.flags = flags
        self.uses_config_file = uses_config_file
        #: Whether an unset setting is judged by its default (not for kubeadm kubeletExtraArgs,
        #: whose configuration file is judged on its own).
        self.judge_defaults = judge_defaults
        #: Defaults that replace the kubelet's own (kubeadm fills these into the file it writes).
        self.defaults = defaults or {}

    def get(self, setting: Setting) -> Value | None:
        """The effective value; ``None`` when it is only a default and defaults are not judged."""
        if setting.flag is not None and setting.flag in self.flags:
            f = self.flags.last(setting.flag)
            assert f is not None
            raw: Any
            if setting.kind == "list":
                raw = ",".join(self.flags.list(setting.flag))
            elif setting.kind == "map":
                raw = ",".join(f"{k}={v}" for k, v in self.flags.mapping(setting.flag).items())
            else:
                raw = self.flags.value(setting.flag)
            overridden = None
            at = f.at
            file_value = self._config_value(setting)
            if file_value is not None:
                overridden = _text(file_value)
                at = Pointer(setting.path)  # the line a reader of the file would look at
            return Value(setting, _typed(setting.kind, raw), str(raw), "flag", at, f.origin, overridden)
        node = self._config_value(setting)
        if node is not None:
            typed = _typed(setting.kind, node)
            if setting.kind == "duration" and typed == 0:
                # The kubelet defaults zero durations of its configuration file (it cannot tell
                # them from unset): 0s in the file means the default, unlike on the command line.
                default = str(setting.config_default)
                text = f"{_text(node)} (the default, {default})"
                return Value(setting, parse_duration(default), text, "config", Pointer(setting.path))
            return Value(setting, typed, _text(node), "config", Pointer(setting.path))
        if not self.judge_defaults:
            return None
        default = setting.config_default if self.uses_config_file else setting.flag_default
        if setting.path in self.defaults:
            default = self.defaults[setting.path]
        at = self.default_pointer(setting)
        return Value(
            setting,
            _typed(setting.kind, default) if setting.kind != "duration" else parse_duration(str(default)),
            _text(default),
            "default",
            at,
        )

    def _config_value(self, setting: Setting) -> Any:
        if self.config is None or not setting.path:
            return None
        node: Any = self.config
        for part in setting.path:
            node = node.get(part) if isinstance(node, dict) else None
        return node

    def default_pointer(self, setting: Setting) -> Pointer:
        """Where an unset setting should be added: its nearest existing parent in the file."""
        if self.config is None or not setting.path:
            return self.flags.insert_at if self.config is None else ROOT
        return Pointer(setting.path)


#: What kubeadm writes into the kubelet configuration whatever the KubeletConfiguration document
#: given to it says (it applies its own defaults before the kubelet's).
KUBEADM_KUBELET_DEFAULTS: dict[tuple[str, ...], Any] = {
    ANONYMOUS.path: False,
    AUTHZ_MODE.path: "Webhook",
    CLIENT_CA.path: "/etc/kubernetes/pki/ca.crt",
    ROTATE_CERTS.path: True,
}


def kubeadm_files(ctx: ScanContext) -> frozenset[str]:
    """Files that hold a kubeadm Init/Cluster/JoinConfiguration: a KubeletConfiguration beside one is
    a kubeadm component configuration, completed with kubeadm's defaults."""
    return frozenset(
        r.source.file
        for kind in ("InitConfiguration", "ClusterConfiguration", "JoinConfiguration")
        for r in ctx.of_kind(kind)
        if r.group == KUBEADM_GROUP
    )


def _views(ctx: ScanContext) -> dict[int, tuple[Resource, KubeletView | None]]:
    return {}


def kubelet_view(resource: Resource, ctx: ScanContext) -> KubeletView | None:
    """The view of a KubeletConfiguration (merged with the node's flags under ``kubeguard node``)
    or of a kubeadm Init/JoinConfiguration's ``kubeletExtraArgs``; built once per resource and scan
    (the kubelet rules share it)."""
    memo = ctx.cached(_views)
    hit = memo.get(id(resource))
    if hit is not None and hit[0] is resource:
        return hit[1]
    view = _kubelet_view(resource, ctx)
    memo[id(resource)] = (resource, view)
    return view


def _kubelet_view(resource: Resource, ctx: ScanContext) -> KubeletView | None:
    if resource.kind == "KubeletConfiguration":
        node = ctx.options.extra.get(NODE_KUBELET)
        if isinstance(node, NodeKubelet):
            if node.config_file is not None and resource.source.file == node.config_file:
                return KubeletView(resource, resource.raw, node.flags, True, True)
            if node.config_file is None and resource.source.file == node.stand_in_file:
                return KubeletView(resource, None, node.flags, False, True)
        kubeadm = resource.source.file in ctx.cached(kubeadm_files)
        return KubeletView(
            resource, resource.raw, FlagSet(), True, True, KUBEADM_KUBELET_DEFAULTS if kubeadm else None
        )
    flags = kubeadm_kubelet_flags(resource)
    if flags is None:
        return None
    return KubeletView(resource, None, flags, True, False)
