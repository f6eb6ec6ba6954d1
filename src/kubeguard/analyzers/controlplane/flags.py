"""What component flags mean: defaults of current Kubernetes, admission plugin sets, TLS cipher
suites, durations, authorization modes. The checks built from them live in
``kubeguard.checks.controlplane._flag_checks``.
"""

from __future__ import annotations

import re

from kubeguard.model.controlplane.flags import FlagSet
from kubeguard.rules.context import ScanContext

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


# --- admission plugins ---------------------------------------------------------------------------

ENABLE = "enable-admission-plugins"
DISABLE = "disable-admission-plugins"


def admission_enabled(flags: FlagSet) -> set[str]:
    """The admission plugins that run: the defaults, plus enabled, minus disabled."""
    return (set(DEFAULT_ADMISSION_PLUGINS) | set(flags.list(ENABLE))) - set(flags.list(DISABLE))


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
