"""What component flags mean: defaults of current Kubernetes, admission plugin sets, TLS cipher
suites, durations, and the small checks built from them (flag set, flag equals, list contains ...).

Each ``*_check`` function returns a check function ``(ComponentConfig, ScanContext) -> violations``;
the ``CP`` rule modules pair one with its data (flag name, wanted value, CIS id).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from kubeguard.model.controlplane.components import ComponentConfig
from kubeguard.model.controlplane.flags import FlagSet, parse_bool
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Violation

FlagCheck = Callable[[ComponentConfig, ScanContext], Iterator[Violation]]

#: Admission plugins kube-apiserver enables when --enable-admission-plugins does not name them
#: (Kubernetes 1.31+, `kube-apiserver -h`).
DEFAULT_ADMISSION_PLUGINS = frozenset(
    {
        "NamespaceLifecycle",
        "LimitRanger",
        "ServiceAccount",
        "TaintNodesByCondition",
        "PodSecurity",
        "Priority",
        "DefaultTolerationSeconds",
        "DefaultStorageClass",
        "StorageObjectInUseProtection",
        "PersistentVolumeClaimResize",
        "RuntimeClass",
        "CertificateApproval",
        "CertificateSigning",
        "ClusterTrustBundleAttest",
        "CertificateSubjectRestriction",
        "DefaultIngressClass",
        "MutatingAdmissionWebhook",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionWebhook",
        "ResourceQuota",
    }
)

#: Cipher suites the CIS benchmark accepts (ECDHE key exchange with an AEAD cipher; the TLS 1.3
#: suites are always on in Go and harmless to list).
STRONG_CIPHER_SUITES = frozenset(
    {
        "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    }
)

_DURATION_RE = re.compile(r"^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$")
_DURATION_PART_RE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float | None:
    """A Go duration (``4h0m0s``, ``300ms``, ``0``) in seconds; ``None`` when it is not one."""
    t = text.strip()
    if t in ("0", "+0", "-0"):
        return 0.0
    m = _DURATION_RE.match(t)
    if m is None:
        return None
    total = sum(float(num) * _UNIT_SECONDS[unit] for num, unit in _DURATION_PART_RE.findall(t))
    return -total if m.group(1) == "-" else total


def parse_int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip(), 10)
    except ValueError:
        return None


def _describe(flags: FlagSet, name: str) -> str:
    f = flags.last(name)
    if f is None:
        return f"--{name} is not set"
    origin = " (a kubeadm default)" if f.origin == "kubeadm default" else ""
    return f"{f.text}{origin}"


def _who(cfg: ComponentConfig) -> str:
    return cfg.component


# --- generic checks ---------------------------------------------------------------------------


def flags_set_check(*names: str, hint: str = "") -> FlagCheck:
    """Each of ``names`` must be set to a non-empty value."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        for name in names:
            if not cfg.flags.has(name):
                why = "is set to an empty value" if name in cfg.flags else "is not set"
                yield Violation(f"{_who(cfg)}: --{name} {why}{hint}", at=cfg.flags.at(name))

    return check


def flag_unset_check(name: str, why: str) -> FlagCheck:
    """``name`` must not be set (to a non-empty value)."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        if cfg.flags.has(name):
            yield Violation(f"{_who(cfg)}: {_describe(cfg.flags, name)} is set; {why}", at=cfg.flags.at(name))

    return check


def bool_flag_check(name: str, want: bool, default: bool, why: str = "") -> FlagCheck:
    """``name`` must be ``want``; absent means ``default`` (the component's own default)."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        value = cfg.flags.bool(name, default)
        suffix = f"; {why}" if why else ""
        if value is None:
            yield Violation(
                f"{_who(cfg)}: {_describe(cfg.flags, name)} is not a boolean (want {str(want).lower()})",
                at=cfg.flags.at(name),
            )
        elif value != want:
            if name in cfg.flags:
                text = f"{_describe(cfg.flags, name)}"
            else:
                text = f"--{name} is not set and defaults to {str(default).lower()}"
            yield Violation(f"{_who(cfg)}: {text}{suffix}", at=cfg.flags.at(name))

    return check


def min_int_check(name: str, minimum: int, skip: Callable[[FlagSet], bool] | None = None) -> FlagCheck:
    """``name`` must be an integer of at least ``minimum`` (absent counts as 0, the default)."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        if skip is not None and skip(cfg.flags):
            return
        raw = cfg.flags.value(name)
        if raw is None:
            yield Violation(
                f"{_who(cfg)}: --{name} is not set (want {minimum} or more)", at=cfg.flags.at(name)
            )
            return
        value = parse_int(raw)
        if value is None:
            yield Violation(f"{_who(cfg)}: --{name}={raw} is not a number", at=cfg.flags.at(name))
        elif value < minimum:
            yield Violation(f"{_who(cfg)}: --{name}={value} is below {minimum}", at=cfg.flags.at(name))

    return check


def loopback_bind_check(name: str, default: str) -> FlagCheck:
    """``name`` must be a loopback address (127.0.0.1 or ::1); absent means ``default``."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        value = cfg.flags.value(name)
        if value is None:
            yield Violation(
                f"{_who(cfg)}: --{name} is not set and defaults to {default}, which listens on every interface",
                at=cfg.flags.at(name),
            )
        elif value.strip() not in ("127.0.0.1", "::1", "localhost"):
            yield Violation(f"{_who(cfg)}: --{name}={value} is not a loopback address", at=cfg.flags.at(name))

    return check


def feature_gate_not_false_check(name: str, gate: str) -> FlagCheck:
    """The feature gate must not be switched off in ``--feature-gates``."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        gates = cfg.flags.mapping(name)
        if gate in gates and parse_bool(gates[gate] or None) is False:
            yield Violation(f"{_who(cfg)}: --{name} sets {gate}={gates[gate]}", at=cfg.flags.at(name))

    return check


def cipher_suites_check(name: str, allowed: Iterable[str] = STRONG_CIPHER_SUITES) -> FlagCheck:
    """``name`` must be set and name only strong cipher suites."""
    strong = frozenset(allowed)

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        suites = cfg.flags.list(name)
        if not suites:
            yield Violation(
                f"{_who(cfg)}: --{name} is not set; the Go defaults also offer CBC-mode suites",
                at=cfg.flags.at(name),
            )
            return
        weak = [s for s in suites if s not in strong]
        if weak:
            yield Violation(
                f"{_who(cfg)}: --{name} allows weak cipher suites: {', '.join(weak)}", at=cfg.flags.at(name)
            )

    return check


# --- admission plugins ---------------------------------------------------------------------------

ENABLE = "enable-admission-plugins"
DISABLE = "disable-admission-plugins"


def admission_enabled(flags: FlagSet) -> set[str]:
    """The admission plugins that run: the defaults, plus enabled, minus disabled."""
    return (set(DEFAULT_ADMISSION_PLUGINS) | set(flags.list(ENABLE))) - set(flags.list(DISABLE))


def plugin_on_check(
    plugin: str, extra: Callable[[ComponentConfig], Iterator[Violation]] | None = None
) -> FlagCheck:
    """Admission plugin ``plugin`` must run (enabled, or on by default, and not disabled)."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        flags = cfg.flags
        if plugin in flags.list(DISABLE):
            yield Violation(f"{_who(cfg)}: --{DISABLE} switches off {plugin}", at=flags.at(DISABLE))
        elif plugin not in DEFAULT_ADMISSION_PLUGINS and plugin not in flags.list(ENABLE):
            listed = flags.value(ENABLE)
            now = f"(--{ENABLE}={listed})" if listed is not None else f"(--{ENABLE} is not set)"
            yield Violation(
                f"{_who(cfg)}: admission plugin {plugin} is not enabled {now}", at=flags.at(ENABLE)
            )
        elif extra is not None:
            yield from extra(cfg)

    return check


def plugin_off_check(plugin: str) -> FlagCheck:
    """Admission plugin ``plugin`` must not be enabled."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        flags = cfg.flags
        if plugin in flags.list(ENABLE) and plugin not in flags.list(DISABLE):
            yield Violation(f"{_who(cfg)}: --{ENABLE} enables {plugin}", at=flags.at(ENABLE))

    return check


# --- authorization modes -----------------------------------------------------------------------


def authorization_modes(flags: FlagSet) -> list[str] | None:
    """The API server's authorization modes; ``None`` when a structured --authorization-config
    file decides them instead (it cannot be read from the flags)."""
    if "authorization-mode" not in flags and flags.has("authorization-config"):
        return None
    modes = flags.list("authorization-mode")
    return modes or ["AlwaysAllow"]


def structured_authorizers(ctx: ScanContext) -> list[str] | None:
    """The authorizer types of the AuthorizationConfiguration in the scan (``kubeguard node`` reads the
    file --authorization-config names), in order; ``None`` when the scan has none."""
    for r in ctx.of_kind("AuthorizationConfiguration"):
        if r.group != "apiserver.config.k8s.io":
            continue
        items = r.raw.get("authorizers")
        if isinstance(items, list):
            return [str(a.get("type")) for a in items if isinstance(a, dict) and a.get("type")]
    return None


def authorization_mode_check(mode: str, present: bool) -> FlagCheck:
    """``mode`` must (``present``) or must not be among the authorization modes (from
    --authorization-mode, or from the AuthorizationConfiguration when --authorization-config is used
    and the scan holds it; otherwise not judged)."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        modes = authorization_modes(cfg.flags)
        if modes is None:
            modes = ctx.cached(structured_authorizers)
            if modes is None:
                return
            where = cfg.flags.at("authorization-config")
            now = f"the AuthorizationConfiguration (--authorization-config) has authorizers {', '.join(modes) or 'none'}"
            if present and mode not in modes:
                yield Violation(f"{_who(cfg)}: {now}, without {mode}", at=where)
            elif not present and mode in modes:
                yield Violation(f"{_who(cfg)}: {now}, including {mode}", at=where)
            return
        where = cfg.flags.at("authorization-mode")
        shown = cfg.flags.value("authorization-mode")
        now = (
            f"--authorization-mode={shown}"
            if shown is not None
            else "--authorization-mode is not set (AlwaysAllow)"
        )
        if present and mode not in modes:
            yield Violation(f"{_who(cfg)}: {now} does not include {mode}", at=where)
        elif not present and mode in modes:
            yield Violation(f"{_who(cfg)}: {now} includes {mode}", at=where)

    return check
