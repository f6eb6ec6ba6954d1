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
from functools import partial
from typing import Any

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
)
from kubeguard.checks.controlplane._catalogue import cis, plain_rule
from kubeguard.checks.controlplane._kubelet_checks import setting_check
from kubeguard.checks.controlplane._scopes import KUBELET_SCOPE
from kubeguard.model.controlplane.flags import parse_bool
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Severity, Violation

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


#: Every kubelet rule judges the kubelet scope; rows name their fields (documentation defaults to the
#: KubeletConfiguration reference).
_rule = partial(plain_rule, scope=KUBELET_SCOPE, references=(KUBELET_DOCS,))


RULES = (
    _rule(
        code="CP070",
        slug="kubelet-anonymous-auth",
        title="Kubelet accepts anonymous requests",
        severity=H,
        check=setting_check(ANONYMOUS, _want(False, "anonymous requests reach the kubelet API")),
        compliance=cis("4.2.1"),
        what="Flags a kubelet whose `authentication.anonymous.enabled` (flag `--anonymous-auth`) is true. Unset is "
        "false with a configuration file and true with flags only.",
        why="The kubelet API can list pods, read logs and exec into containers; anonymous requests should never reach it.",
        example="authentication:\n  anonymous:\n    enabled: true   # flagged",
        fix="Set `authentication.anonymous.enabled: false` (or `--anonymous-auth=false`).",
        references=(AUTH_DOCS, KUBELET_DOCS),
    ),
    _rule(
        code="CP071",
        slug="kubelet-authorization-always-allow",
        title="Kubelet authorizes every request",
        severity=H,
        check=setting_check(
            AUTHZ_MODE, lambda v: "every authenticated request is allowed" if v == "AlwaysAllow" else None
        ),
        compliance=cis("4.2.2"),
        what="Flags a kubelet whose `authorization.mode` (flag `--authorization-mode`) is `AlwaysAllow`. Unset is "
        "Webhook with a configuration file and AlwaysAllow with flags only.",
        why="With AlwaysAllow any client with a valid certificate can exec into every container of the node.",
        example="authorization:\n  mode: AlwaysAllow   # flagged",
        fix="Set `authorization.mode: Webhook`.",
        references=(AUTH_DOCS, KUBELET_DOCS),
    ),
    _rule(
        code="CP072",
        slug="kubelet-client-ca",
        title="Kubelet has no client CA",
        severity=H,
        needs=("a kubeadm Init/Cluster/JoinConfiguration in the same file (kubeadm's kubelet defaults)",),
        check=setting_check(
            CLIENT_CA, lambda v: None if v.strip() else "client certificates cannot be verified"
        ),
        compliance=cis("4.2.3"),
        what="Flags a kubelet without `authentication.x509.clientCAFile` (flag `--client-ca-file`).",
        why="Without a client CA the kubelet cannot authenticate the API server's client certificate.",
        example="authentication:\n  x509: {}   # no clientCAFile",
        fix="Set `authentication.x509.clientCAFile: /etc/kubernetes/pki/ca.crt`.",
        references=(AUTH_DOCS, KUBELET_DOCS),
    ),
    _rule(
        code="CP073",
        slug="kubelet-read-only-port",
        title="Kubelet serves the unauthenticated read-only port",
        severity=M,
        check=setting_check(
            READ_ONLY_PORT,
            lambda v: None if v == 0 else f"port {v} serves pod and node data without authentication",
        ),
        compliance=cis("4.2.4"),
        what="Flags a kubelet whose `readOnlyPort` (flag `--read-only-port`) is not 0. Unset is 0 with a "
        "configuration file and 10255 with flags only. (CIS marks this Manual.)",
        why="The read-only port has no authentication or authorization and reveals pod specs, environment and "
        "node details.",
        example="readOnlyPort: 10255   # flagged",
        fix="Set `readOnlyPort: 0`.",
    ),
    _rule(
        code="CP074",
        slug="kubelet-streaming-idle-timeout",
        title="Kubelet streaming connections never time out",
        severity=M,
        check=setting_check(
            STREAMING_TIMEOUT,
            lambda v: "idle exec and port-forward sessions stay open forever" if v <= 0 else None,
        ),
        compliance=cis("4.2.5"),
        what="Flags a kubelet whose `streamingConnectionIdleTimeout` (flag `--streaming-connection-idle-timeout`) "
        "is 0 (unset means 4h). (CIS marks this Manual.)",
        why="Idle exec, attach and port-forward streams that never close pile up and keep access alive.",
        example="streamingConnectionIdleTimeout: 0s   # flagged",
        fix="Set `streamingConnectionIdleTimeout: 5m` (or remove the setting).",
    ),
    _rule(
        code="CP075",
        slug="kubelet-protect-kernel-defaults",
        title="Kubelet may change kernel settings",
        severity=L,
        check=setting_check(
            PROTECT_KERNEL, _want(True, "the kubelet changes kernel parameters it disagrees with")
        ),
        compliance=cis(None, "4.2.6"),
        what="Flags a kubelet whose `protectKernelDefaults` (flag `--protect-kernel-defaults`) is not true (unset "
        "means false). A recommendation of earlier CIS benchmarks (v1.23: 4.2.6), no longer in v1.12.",
        why="With protection on, the kubelet refuses to start when kernel tunables differ from what it expects "
        "instead of silently changing them.",
        example="protectKernelDefaults: false   # flagged; so is leaving it unset",
        fix="Set the kernel parameters the kubelet needs (sysctl) and then `protectKernelDefaults: true`.",
    ),
    _rule(
        code="CP076",
        slug="kubelet-iptables-util-chains",
        title="Kubelet does not manage its iptables chains",
        severity=L,
        check=setting_check(
            IPTABLES_CHAINS, _want(True, "the kubelet does not keep its iptables rules in place")
        ),
        compliance=cis("4.2.6", "4.2.7"),
        what="Flags a kubelet whose `makeIPTablesUtilChains` (flag `--make-iptables-util-chains`) is false (unset means true).",
        why="The kubelet's iptables chains keep networking rules consistent with the pods; without them manual "
        "rules drift and can open paths.",
        example="makeIPTablesUtilChains: false   # flagged",
        fix="Remove the setting or set `makeIPTablesUtilChains: true`.",
    ),
    _rule(
        code="CP077",
        slug="kubelet-hostname-override",
        title="Kubelet overrides its hostname",
        severity=L,
        check=setting_check(
            HOSTNAME_OVERRIDE,
            lambda v: (
                "the node name differs from the host name, which can break TLS name checks"
                if v.strip()
                else None
            ),
        ),
        compliance=cis("4.2.7", "4.2.8"),
        what="Flags a kubelet started with `--hostname-override` (a flag only; found by `kubeguard node` or in "
        "kubeadm `kubeletExtraArgs`). (CIS marks this Manual: some cloud providers need it.)",
        why="Overriding the hostname can break the match between the node name and its serving certificate.",
        example="nodeRegistration:\n  kubeletExtraArgs:\n    hostname-override: worker-a   # flagged",
        fix="Remove `--hostname-override`.",
    ),
    _rule(
        code="CP078",
        slug="kubelet-event-record-qps",
        title="Kubelet records events without limit",
        severity=L,
        check=setting_check(
            EVENT_QPS,
            lambda v: (
                "0 means no limit, so an event storm can flood the API server"
                if v == 0
                else ("a negative rate is invalid" if v < 0 else None)
            ),
        ),
        compliance=cis("4.2.8", "4.2.9"),
        what="Flags a kubelet whose `eventRecordQPS` (flag `--event-qps`) is 0 (no limit) or negative. Unset means 50. "
        "(CIS marks this Manual.)",
        why="Events must be captured, but an unlimited rate lets a misbehaving pod flood the API server.",
        example="eventRecordQPS: 0   # flagged",
        fix="Set `eventRecordQPS` to a level that captures events without flooding, for example 50.",
    ),
    _rule(
        code="CP079",
        slug="kubelet-tls-certificate",
        title="Kubelet serves a self-signed certificate",
        severity=M,
        check=_tls_serving,
        compliance=cis("4.2.9", "4.2.10"),
        what="Flags a kubelet without `tlsCertFile` and `tlsPrivateKeyFile` (flags `--tls-cert-file`, "
        "`--tls-private-key-file`) unless `serverTLSBootstrap: true` lets it request a serving certificate "
        "from the cluster. (CIS marks this Manual.)",
        why="A self-signed serving certificate cannot be verified by the API server, so its connections to the "
        "kubelet can be intercepted.",
        example="# neither tlsCertFile nor serverTLSBootstrap set\nkind: KubeletConfiguration",
        fix="Set `serverTLSBootstrap: true` (and approve the CSRs), or set `tlsCertFile` and `tlsPrivateKeyFile`.",
    ),
    _rule(
        code="CP080",
        slug="kubelet-rotate-certificates",
        title="Kubelet does not rotate its client certificate",
        severity=M,
        needs=("a kubeadm Init/Cluster/JoinConfiguration in the same file (kubeadm's kubelet defaults)",),
        check=setting_check(
            ROTATE_CERTS, _want(True, "the client certificate is not renewed before it expires")
        ),
        compliance=cis("4.2.10", "4.2.11"),
        what="Flags a kubelet whose `rotateCertificates` (flag `--rotate-certificates`) is not true (unset means false).",
        why="Without rotation, long-lived client certificates stay valid if stolen, and expired ones take nodes down.",
        example="rotateCertificates: false   # flagged",
        fix="Set `rotateCertificates: true`.",
    ),
    _rule(
        code="CP081",
        slug="kubelet-rotate-server-certificate-gate",
        title="Kubelet switches off server certificate rotation",
        severity=M,
        check=setting_check(FEATURE_GATES, _server_cert_gate),
        compliance=cis("4.2.11", "4.2.12"),
        what="Flags a kubelet whose `featureGates` (flag `--feature-gates`) set `RotateKubeletServerCertificate` to "
        "false (on by default). (CIS marks this Manual.)",
        why="Serving certificates then cannot be requested and renewed through the cluster.",
        example="featureGates:\n  RotateKubeletServerCertificate: false   # flagged",
        fix="Remove `RotateKubeletServerCertificate: false`.",
    ),
    _rule(
        code="CP082",
        slug="kubelet-tls-cipher-suites",
        title="Kubelet allows weak TLS cipher suites",
        severity=M,
        check=setting_check(CIPHER_SUITES, _ciphers),
        compliance=cis("4.2.12", "4.2.13"),
        what="Flags a kubelet whose `tlsCipherSuites` (flag `--tls-cipher-suites`) is unset or names a suite outside "
        "the strong set (ECDHE with AES-GCM or ChaCha20-Poly1305). (CIS marks this Manual.)",
        why="CBC-mode and static-RSA suites lack forward secrecy or have a history of padding attacks.",
        example="tlsCipherSuites: [TLS_RSA_WITH_AES_128_CBC_SHA]   # flagged",
        fix="Set `tlsCipherSuites` to, for example, `[TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305, "
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305]`.",
    ),
    _rule(
        code="CP083",
        slug="kubelet-pod-pids-limit",
        title="Kubelet sets no limit on pod PIDs",
        severity=L,
        check=setting_check(
            POD_PIDS, lambda v: None if v > 0 else "a pod can fork until the node runs out of process IDs"
        ),
        compliance=cis("4.2.13"),
        what="Flags a kubelet whose `podPidsLimit` (flag `--pod-max-pids`) is unset, -1 or 0 (no limit). (CIS marks "
        "this Manual.)",
        why="A fork bomb in one pod can exhaust the node's process IDs and stop every other pod and the kubelet.",
        example="podPidsLimit: -1   # flagged",
        fix="Set `podPidsLimit` to a limit that suits the workloads, for example 4096.",
    ),
    _rule(
        code="CP084",
        slug="kubelet-seccomp-default",
        title="Kubelet does not apply the default seccomp profile",
        severity=L,
        check=setting_check(SECCOMP_DEFAULT, _want(True, "containers without a profile run unconfined")),
        compliance=cis("4.2.14"),
        what="Flags a kubelet whose `seccompDefault` (flag `--seccomp-default`) is not true (unset means false). "
        "(CIS marks this Manual.)",
        why="With seccompDefault the container runtime's default profile applies to every container that does not "
        "ask for another, blocking rarely needed system calls used in escapes.",
        example="seccompDefault: false   # flagged; so is leaving it unset",
        fix="Set `seccompDefault: true` (test workloads first).",
    ),
)
