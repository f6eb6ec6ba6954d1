"""Kubelet settings (CIS Kubernetes Benchmark v1.12 section 4.2).

Each rule reads one setting of the kubelet: from a KubeletConfiguration file, from the kubelet's
command-line flags found by ``kubeguard node`` (a flag wins over the file, as in the kubelet), or
from a kubeadm ``nodeRegistration.kubeletExtraArgs``. Unset settings take the kubelet's default for
the way it is configured (see ``kubeguard.analyzers.controlplane.kubelet``).

## What it does
One rule per CIS recommendation; see each rule's own documentation.

## Why it matters
The kubelet runs every container of its node and serves an API that can exec into them.

## Example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
```

## Fix
Set the field (or flag) as each rule says.

## References
- https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from kubeguard.analyzers.controlplane.catalogue import cis, plain_rule
from kubeguard.analyzers.controlplane.flags import STRONG_CIPHER_SUITES
from kubeguard.analyzers.controlplane.kubelet import (
    ANONYMOUS,
    AUTHZ_MODE,
    CIPHER_SUITES,
    CLIENT_CA,
    EVENT_QPS,
    FEATURE_GATES,
    HOSTNAME_OVERRIDE,
    IPTABLES_CHAINS,
    POD_PIDS,
    PROTECT_KERNEL,
    READ_ONLY_PORT,
    ROTATE_CERTS,
    SECCOMP_DEFAULT,
    SERVER_TLS_BOOTSTRAP,
    STREAMING_TIMEOUT,
    TLS_CERT,
    TLS_KEY,
    kubelet_view,
    setting_check,
)
from kubeguard.analyzers.controlplane.scopes import KUBELET_SCOPE
from kubeguard.model.controlplane.flags import parse_bool
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation

H, M, L = Severity.HIGH, Severity.MEDIUM, Severity.LOW
KUBELET_DOCS = "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/"
AUTH_DOCS = "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/"


def _want(expected: Any, reason: str) -> Callable[[Any], str | None]:
    return lambda v: None if v == expected else reason


def _tls_serving(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    view = kubelet_view(resource, ctx)
    if view is None:
        return
    bootstrap = view.get(SERVER_TLS_BOOTSTRAP)
    if bootstrap is not None and bootstrap.value is True:
        return  # serving certificates are requested from the API and rotated
    for setting in (TLS_CERT, TLS_KEY):
        value = view.get(setting)
        if value is not None and not value.text.strip():
            yield Violation(
                f"{value.describe()}: the kubelet serves a self-signed certificate (and serverTLSBootstrap is off)",
                at=value.at,
            )


def _server_cert_gate(gates: Any) -> str | None:
    raw = gates.get("RotateKubeletServerCertificate") if isinstance(gates, dict) else None
    if raw is None:
        return None
    value = raw if isinstance(raw, bool) else parse_bool(str(raw))
    return "switches off RotateKubeletServerCertificate" if value is False else None


def _ciphers(suites: Any) -> str | None:
    if not suites:
        return "no cipher suites are set; the Go defaults also offer CBC-mode suites"
    weak = [s for s in suites if s not in STRONG_CIPHER_SUITES]
    return f"weak cipher suites allowed: {', '.join(weak)}" if weak else None


def _rule(
    code: str,
    slug: str,
    title: str,
    severity: Severity,
    check: Any,
    ids: dict[str, tuple[str, ...]],
    what: str,
    why: str,
    example: str,
    fix: str,
    refs: tuple[str, ...] = (KUBELET_DOCS,),
) -> Rule:
    return plain_rule(
        code=code,
        slug=slug,
        title=title,
        severity=severity,
        scope=KUBELET_SCOPE,
        check=check,
        compliance=ids,
        what=what,
        why=why,
        example=example,
        fix=fix,
        references=refs,
    )


RULES = (
    _rule(
        "CP070",
        "kubelet-anonymous-auth",
        "Kubelet accepts anonymous requests",
        H,
        setting_check(ANONYMOUS, _want(False, "anonymous requests reach the kubelet API")),
        cis("4.2.1"),
        "Flags a kubelet whose `authentication.anonymous.enabled` (flag `--anonymous-auth`) is true. Unset is "
        "false with a configuration file and true with flags only.",
        "The kubelet API can list pods, read logs and exec into containers; anonymous requests should never reach it.",
        "authentication:\n  anonymous:\n    enabled: true   # flagged",
        "Set `authentication.anonymous.enabled: false` (or `--anonymous-auth=false`).",
        (AUTH_DOCS, KUBELET_DOCS),
    ),
    _rule(
        "CP071",
        "kubelet-authorization-always-allow",
        "Kubelet authorizes every request",
        H,
        setting_check(
            AUTHZ_MODE, lambda v: "every authenticated request is allowed" if v == "AlwaysAllow" else None
        ),
        cis("4.2.2"),
        "Flags a kubelet whose `authorization.mode` (flag `--authorization-mode`) is `AlwaysAllow`. Unset is "
        "Webhook with a configuration file and AlwaysAllow with flags only.",
        "With AlwaysAllow any client with a valid certificate can exec into every container of the node.",
        "authorization:\n  mode: AlwaysAllow   # flagged",
        "Set `authorization.mode: Webhook`.",
        (AUTH_DOCS, KUBELET_DOCS),
    ),
    _rule(
        "CP072",
        "kubelet-client-ca",
        "Kubelet has no client CA",
        H,
        setting_check(CLIENT_CA, lambda v: None if v.strip() else "client certificates cannot be verified"),
        cis("4.2.3"),
        "Flags a kubelet without `authentication.x509.clientCAFile` (flag `--client-ca-file`).",
        "Without a client CA the kubelet cannot authenticate the API server's client certificate.",
        "authentication:\n  x509: {}   # no clientCAFile",
        "Set `authentication.x509.clientCAFile: /etc/kubernetes/pki/ca.crt`.",
        (AUTH_DOCS, KUBELET_DOCS),
    ),
    _rule(
        "CP073",
        "kubelet-read-only-port",
        "Kubelet serves the unauthenticated read-only port",
        M,
        setting_check(
            READ_ONLY_PORT,
            lambda v: None if v == 0 else f"port {v} serves pod and node data without authentication",
        ),
        cis("4.2.4"),
        "Flags a kubelet whose `readOnlyPort` (flag `--read-only-port`) is not 0. Unset is 0 with a "
        "configuration file and 10255 with flags only. (CIS marks this Manual.)",
        "The read-only port has no authentication or authorization and reveals pod specs, environment and "
        "node details.",
        "readOnlyPort: 10255   # flagged",
        "Set `readOnlyPort: 0`.",
    ),
    _rule(
        "CP074",
        "kubelet-streaming-idle-timeout",
        "Kubelet streaming connections never time out",
        M,
        setting_check(
            STREAMING_TIMEOUT,
            lambda v: "idle exec and port-forward sessions stay open forever" if v <= 0 else None,
        ),
        cis("4.2.5"),
        "Flags a kubelet whose `streamingConnectionIdleTimeout` (flag `--streaming-connection-idle-timeout`) "
        "is 0 (unset means 4h). (CIS marks this Manual.)",
        "Idle exec, attach and port-forward streams that never close pile up and keep access alive.",
        "streamingConnectionIdleTimeout: 0s   # flagged",
        "Set `streamingConnectionIdleTimeout: 5m` (or remove the setting).",
    ),
    _rule(
        "CP075",
        "kubelet-protect-kernel-defaults",
        "Kubelet may change kernel settings",
        L,
        setting_check(PROTECT_KERNEL, _want(True, "the kubelet changes kernel parameters it disagrees with")),
        cis(None, "4.2.6"),
        "Flags a kubelet whose `protectKernelDefaults` (flag `--protect-kernel-defaults`) is not true (unset "
        "means false). A recommendation of earlier CIS benchmarks (v1.23: 4.2.6), no longer in v1.12.",
        "With protection on, the kubelet refuses to start when kernel tunables differ from what it expects "
        "instead of silently changing them.",
        "protectKernelDefaults: false   # flagged; so is leaving it unset",
        "Set the kernel parameters the kubelet needs (sysctl) and then `protectKernelDefaults: true`.",
    ),
    _rule(
        "CP076",
        "kubelet-iptables-util-chains",
        "Kubelet does not manage its iptables chains",
        L,
        setting_check(IPTABLES_CHAINS, _want(True, "the kubelet does not keep its iptables rules in place")),
        cis("4.2.6", "4.2.7"),
        "Flags a kubelet whose `makeIPTablesUtilChains` (flag `--make-iptables-util-chains`) is false (unset means true).",
        "The kubelet's iptables chains keep networking rules consistent with the pods; without them manual "
        "rules drift and can open paths.",
        "makeIPTablesUtilChains: false   # flagged",
        "Remove the setting or set `makeIPTablesUtilChains: true`.",
    ),
    _rule(
        "CP077",
        "kubelet-hostname-override",
        "Kubelet overrides its hostname",
        L,
        setting_check(
            HOSTNAME_OVERRIDE,
            lambda v: (
                "the node name differs from the host name, which can break TLS name checks"
                if v.strip()
                else None
            ),
        ),
        cis("4.2.7", "4.2.8"),
        "Flags a kubelet started with `--hostname-override` (a flag only; found by `kubeguard node` or in "
        "kubeadm `kubeletExtraArgs`). (CIS marks this Manual: some cloud providers need it.)",
        "Overriding the hostname can break the match between the node name and its serving certificate.",
        "nodeRegistration:\n  kubeletExtraArgs:\n    hostname-override: worker-a   # flagged",
        "Remove `--hostname-override`.",
    ),
    _rule(
        "CP078",
        "kubelet-event-record-qps",
        "Kubelet records events without limit",
        L,
        setting_check(
            EVENT_QPS,
            lambda v: (
                "0 means no limit, so an event storm can flood the API server"
                if v == 0
                else ("a negative rate is invalid" if v < 0 else None)
            ),
        ),
        cis("4.2.8", "4.2.9"),
        "Flags a kubelet whose `eventRecordQPS` (flag `--event-qps`) is 0 (no limit) or negative. Unset means 50. "
        "(CIS marks this Manual.)",
        "Events must be captured, but an unlimited rate lets a misbehaving pod flood the API server.",
        "eventRecordQPS: 0   # flagged",
        "Set `eventRecordQPS` to a level that captures events without flooding, for example 50.",
    ),
    _rule(
        "CP079",
        "kubelet-tls-certificate",
        "Kubelet serves a self-signed certificate",
        M,
        _tls_serving,
        cis("4.2.9", "4.2.10"),
        "Flags a kubelet without `tlsCertFile` and `tlsPrivateKeyFile` (flags `--tls-cert-file`, "
        "`--tls-private-key-file`) unless `serverTLSBootstrap: true` lets it request a serving certificate "
        "from the cluster. (CIS marks this Manual.)",
        "A self-signed serving certificate cannot be verified by the API server, so its connections to the "
        "kubelet can be intercepted.",
        "# neither tlsCertFile nor serverTLSBootstrap set\nkind: KubeletConfiguration",
        "Set `serverTLSBootstrap: true` (and approve the CSRs), or set `tlsCertFile` and `tlsPrivateKeyFile`.",
    ),
    _rule(
        "CP080",
        "kubelet-rotate-certificates",
        "Kubelet does not rotate its client certificate",
        M,
        setting_check(ROTATE_CERTS, _want(True, "the client certificate is not renewed before it expires")),
        cis("4.2.10", "4.2.11"),
        "Flags a kubelet whose `rotateCertificates` (flag `--rotate-certificates`) is not true (unset means false).",
        "Without rotation, long-lived client certificates stay valid if stolen, and expired ones take nodes down.",
        "rotateCertificates: false   # flagged",
        "Set `rotateCertificates: true`.",
    ),
    _rule(
        "CP081",
        "kubelet-rotate-server-certificate-gate",
        "Kubelet switches off server certificate rotation",
        M,
        setting_check(FEATURE_GATES, _server_cert_gate),
        cis("4.2.11", "4.2.12"),
        "Flags a kubelet whose `featureGates` (flag `--feature-gates`) set `RotateKubeletServerCertificate` to "
        "false (on by default). (CIS marks this Manual.)",
        "Serving certificates then cannot be requested and renewed through the cluster.",
        "featureGates:\n  RotateKubeletServerCertificate: false   # flagged",
        "Remove `RotateKubeletServerCertificate: false`.",
    ),
    _rule(
        "CP082",
        "kubelet-tls-cipher-suites",
        "Kubelet allows weak TLS cipher suites",
        M,
        setting_check(CIPHER_SUITES, _ciphers),
        cis("4.2.12", "4.2.13"),
        "Flags a kubelet whose `tlsCipherSuites` (flag `--tls-cipher-suites`) is unset or names a suite outside "
        "the strong set (ECDHE with AES-GCM or ChaCha20-Poly1305). (CIS marks this Manual.)",
        "CBC-mode and static-RSA suites lack forward secrecy or have a history of padding attacks.",
        "tlsCipherSuites: [TLS_RSA_WITH_AES_128_CBC_SHA]   # flagged",
        "Set `tlsCipherSuites` to, for example, `[TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305, "
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305]`.",
    ),
    _rule(
        "CP083",
        "kubelet-pod-pids-limit",
        "Kubelet sets no limit on pod PIDs",
        L,
        setting_check(
            POD_PIDS, lambda v: None if v > 0 else "a pod can fork until the node runs out of process IDs"
        ),
        cis("4.2.13"),
        "Flags a kubelet whose `podPidsLimit` (flag `--pod-max-pids`) is unset, -1 or 0 (no limit). (CIS marks "
        "this Manual.)",
        "A fork bomb in one pod can exhaust the node's process IDs and stop every other pod and the kubelet.",
        "podPidsLimit: -1   # flagged",
        "Set `podPidsLimit` to a limit that suits the workloads, for example 4096.",
    ),
    _rule(
        "CP084",
        "kubelet-seccomp-default",
        "Kubelet does not apply the default seccomp profile",
        L,
        setting_check(SECCOMP_DEFAULT, _want(True, "containers without a profile run unconfined")),
        cis("4.2.14"),
        "Flags a kubelet whose `seccompDefault` (flag `--seccomp-default`) is not true (unset means false). "
        "(CIS marks this Manual.)",
        "With seccompDefault the container runtime's default profile applies to every container that does not "
        "ask for another, blocking rarely needed system calls used in escapes.",
        "seccompDefault: false   # flagged; so is leaving it unset",
        "Set `seccompDefault: true` (test workloads first).",
    ),
)
