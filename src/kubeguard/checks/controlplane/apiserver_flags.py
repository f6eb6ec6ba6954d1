"""kube-apiserver flags (CIS Kubernetes Benchmark v1.12 section 1.2 and 3.2.1).

Each rule reads the API server's flags once parsed (static pod manifest under
/etc/kubernetes/manifests, or a kubeadm ClusterConfiguration's ``apiServer.extraArgs`` laid over the
flags kubeadm writes). A flag that is absent takes the API server's default of current Kubernetes.

## What it does
One rule per CIS recommendation; see each rule's own documentation (`kubeguard explain CP001`).

## Why it matters
The API server is the front door of the cluster.

## Example
```yaml
command: [kube-apiserver, --profiling=false]
```

## Fix
Set the flag as each rule says.

## References
- https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from kubeguard.analyzers.controlplane.catalogue import cis, component_rule
from kubeguard.analyzers.controlplane.flags import (
    authorization_mode_check,
    bool_flag_check,
    cipher_suites_check,
    flag_unset_check,
    flags_set_check,
    min_int_check,
    parse_duration,
    plugin_off_check,
    plugin_on_check,
)
from kubeguard.model.controlplane.components import APISERVER, ComponentConfig
from kubeguard.model.controlplane.flags import FlagSet
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Severity, Violation

H, M, L = Severity.HIGH, Severity.MEDIUM, Severity.LOW
AUDIT_DOCS = "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/"
ADMISSION_DOCS = "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/"


def _audit_to_stdout(flags: FlagSet) -> bool:
    # Log rotation flags mean nothing when audit events go to standard output.
    return flags.value("audit-log-path") == "-"


def _event_rate_limit_config(cfg: ComponentConfig) -> Iterator[Violation]:
    if not cfg.flags.has("admission-control-config-file"):
        yield Violation(
            "kube-apiserver: EventRateLimit is enabled but --admission-control-config-file is not set "
            "(the plugin needs its limits from that file)",
            at=cfg.flags.at("admission-control-config-file"),
        )


_ANONYMOUS_FLAG = bool_flag_check("anonymous-auth", want=False, default=True)


def structured_anonymous(ctx: ScanContext) -> dict[str, object] | None:
    """The ``anonymous`` section of the AuthenticationConfiguration in the input, if any."""
    for r in ctx.of_kind("AuthenticationConfiguration"):
        if r.group == "apiserver.config.k8s.io" and isinstance(r.raw.get("anonymous"), dict):
            return r.raw["anonymous"]  # type: ignore[no-any-return]
    return None


def _anonymous(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
    section = ctx.cached(structured_anonymous) if cfg.flags.has("authentication-config") else None
    if section is None or "anonymous-auth" in cfg.flags:
        yield from _ANONYMOUS_FLAG(cfg, ctx)
        return
    if section.get("enabled") is True and not section.get("conditions"):
        yield Violation(
            "kube-apiserver: the AuthenticationConfiguration (--authentication-config) enables anonymous "
            "requests without conditions",
            at=cfg.flags.at("authentication-config"),
        )


def _request_timeout(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
    raw = cfg.flags.value("request-timeout")
    if raw is None:
        return  # the default of 60s is appropriate
    seconds = parse_duration(raw)
    if seconds is None:
        yield Violation(
            f"kube-apiserver: --request-timeout={raw} is not a duration", at=cfg.flags.at("request-timeout")
        )
    elif seconds <= 0:
        yield Violation(
            f"kube-apiserver: --request-timeout={raw} leaves requests without a time limit",
            at=cfg.flags.at("request-timeout"),
        )


def _secure_port(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
    raw = cfg.flags.value("secure-port")
    if raw is not None and raw.strip() == "0":
        yield Violation(
            "kube-apiserver: --secure-port=0 switches off the HTTPS port", at=cfg.flags.at("secure-port")
        )


_rule = partial(component_rule, component=APISERVER)


RULES = (
    _rule(
        "CP001",
        "apiserver-anonymous-auth",
        "API server accepts anonymous requests",
        M,
        _anonymous,
        cis("1.2.1"),
        "Flags a kube-apiserver whose `--anonymous-auth` is not `false` (unset means `true`). With "
        "`--authentication-config`, an AuthenticationConfiguration in the input that sets `anonymous` decides: "
        "disabled, or enabled only under `conditions` (such as the health endpoints), passes.",
        "Anonymous requests reach the authorizer as `system:anonymous`; any binding that grants that user "
        "or `system:unauthenticated` something becomes reachable without credentials. (CIS marks this "
        "recommendation Manual: health probes of some setups rely on anonymous access.)",
        "command:\n  - kube-apiserver\n  - --anonymous-auth=true   # flagged; so is leaving it unset",
        "Set `--anonymous-auth=false`, or restrict anonymous access to health endpoints with a structured "
        "AuthenticationConfiguration (`anonymous.conditions`).",
    ),
    _rule(
        "CP002",
        "apiserver-token-auth-file",
        "API server uses a static token file",
        H,
        flag_unset_check(
            "token-auth-file", "static tokens never expire and cannot be revoked without a restart"
        ),
        cis("1.2.2"),
        "Flags a kube-apiserver started with `--token-auth-file`.",
        "Tokens in the static file are long-lived bearer credentials, kept in clear text on the control plane "
        "node; changing them needs an API server restart.",
        "command:\n  - kube-apiserver\n  - --token-auth-file=/etc/kubernetes/tokens.csv   # flagged",
        "Remove `--token-auth-file` and use client certificates, OIDC or service account tokens.",
    ),
    _rule(
        "CP003",
        "apiserver-deny-service-external-ips",
        "API server does not deny Service externalIPs",
        M,
        plugin_on_check("DenyServiceExternalIPs"),
        cis("1.2.3"),
        "Flags a kube-apiserver whose `--enable-admission-plugins` does not include `DenyServiceExternalIPs`.",
        "Whoever can create a Service can set `externalIPs` and intercept traffic meant for those addresses "
        "(CVE-2020-8554). The plugin rejects new uses of the field. (CIS marks this Manual.)",
        "command:\n  - kube-apiserver\n  - --enable-admission-plugins=NodeRestriction   # flagged",
        "Add `DenyServiceExternalIPs` to `--enable-admission-plugins`.",
        (ADMISSION_DOCS,),
    ),
    _rule(
        "CP004",
        "apiserver-kubelet-client-certificate",
        "API server has no kubelet client certificate",
        H,
        flags_set_check("kubelet-client-certificate", "kubelet-client-key"),
        cis("1.2.4", "1.2.5"),
        "Flags a kube-apiserver without both `--kubelet-client-certificate` and `--kubelet-client-key`.",
        "Without a client certificate the API server cannot authenticate to kubelets, which must then allow "
        "unauthenticated access to exec, logs and port-forward.",
        "command:\n  - kube-apiserver\n  - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key   # certificate missing",
        "Set `--kubelet-client-certificate` and `--kubelet-client-key`.",
    ),
    _rule(
        "CP005",
        "apiserver-kubelet-certificate-authority",
        "API server does not verify kubelet certificates",
        H,
        flags_set_check("kubelet-certificate-authority"),
        cis("1.2.5", "1.2.6"),
        "Flags a kube-apiserver without `--kubelet-certificate-authority`.",
        "The API server then connects to kubelets without checking their serving certificates: anyone on the "
        "path can impersonate a kubelet and read exec sessions and logs. kubeadm does not set it by default.",
        "command:\n  - kube-apiserver   # no --kubelet-certificate-authority",
        "Give kubelets serving certificates signed by a CA (for example `serverTLSBootstrap: true`) and set "
        "`--kubelet-certificate-authority` to that CA.",
    ),
    _rule(
        "CP006",
        "apiserver-authorization-always-allow",
        "API server authorizes every request",
        H,
        authorization_mode_check("AlwaysAllow", present=False),
        cis("1.2.6", "1.2.7"),
        "Flags a kube-apiserver whose `--authorization-mode` includes `AlwaysAllow` or is unset (the default "
        "is `AlwaysAllow`). With `--authorization-config`, the authorizers of the AuthorizationConfiguration in the "
        "scan decide (`kubeguard node` reads the file the flag names); without it, not judged.",
        "Every authenticated request is allowed: RBAC is bypassed entirely.",
        "command:\n  - kube-apiserver\n  - --authorization-mode=AlwaysAllow   # flagged",
        "Set `--authorization-mode=Node,RBAC`.",
    ),
    _rule(
        "CP007",
        "apiserver-authorization-node",
        "API server does not use the Node authorizer",
        M,
        authorization_mode_check("Node", present=True),
        cis("1.2.7", "1.2.8"),
        "Flags a kube-apiserver whose `--authorization-mode` (or structured AuthorizationConfiguration, see CP006) "
        "lacks `Node`.",
        "The Node authorizer limits each kubelet to the objects of pods bound to its own node; without it a "
        "compromised node can read every Secret its RBAC role allows.",
        "command:\n  - kube-apiserver\n  - --authorization-mode=RBAC   # flagged",
        "Set `--authorization-mode=Node,RBAC`.",
    ),
    _rule(
        "CP008",
        "apiserver-authorization-rbac",
        "API server does not use RBAC",
        H,
        authorization_mode_check("RBAC", present=True),
        cis("1.2.8", "1.2.9"),
        "Flags a kube-apiserver whose `--authorization-mode` (or structured AuthorizationConfiguration, see CP006) "
        "lacks `RBAC`.",
        "Without RBAC, Roles and bindings are ignored and access control falls to whatever else is configured.",
        "command:\n  - kube-apiserver\n  - --authorization-mode=Node   # flagged",
        "Set `--authorization-mode=Node,RBAC`.",
    ),
    _rule(
        "CP009",
        "apiserver-event-rate-limit",
        "API server does not limit event rates",
        L,
        plugin_on_check("EventRateLimit", _event_rate_limit_config),
        cis("1.2.9", "1.2.10"),
        "Flags a kube-apiserver without the `EventRateLimit` admission plugin, or with it but without "
        "`--admission-control-config-file` for its limits.",
        "A flood of events can overwhelm the API server and etcd. (CIS marks this Manual.)",
        "command:\n  - kube-apiserver\n  - --enable-admission-plugins=NodeRestriction   # flagged",
        "Add `EventRateLimit` to `--enable-admission-plugins` and set `--admission-control-config-file` to a "
        "file with an `EventRateLimit` configuration.",
        (ADMISSION_DOCS,),
    ),
    _rule(
        "CP010",
        "apiserver-always-admit",
        "API server enables AlwaysAdmit",
        H,
        plugin_off_check("AlwaysAdmit"),
        cis("1.2.10", "1.2.11"),
        "Flags a kube-apiserver whose `--enable-admission-plugins` includes `AlwaysAdmit`.",
        "AlwaysAdmit admits every request on its own; it is deprecated and defeats admission control.",
        "command:\n  - kube-apiserver\n  - --enable-admission-plugins=AlwaysAdmit   # flagged",
        "Remove `AlwaysAdmit` from `--enable-admission-plugins`.",
        (ADMISSION_DOCS,),
    ),
    _rule(
        "CP011",
        "apiserver-always-pull-images",
        "API server does not force image pulls",
        L,
        plugin_on_check("AlwaysPullImages"),
        cis("1.2.11", "1.2.12"),
        "Flags a kube-apiserver without the `AlwaysPullImages` admission plugin.",
        "Without it, a pod can run any image already cached on its node, even one it has no pull credentials "
        "for. (CIS marks this Manual: it makes every start depend on the registry.)",
        "command:\n  - kube-apiserver\n  - --enable-admission-plugins=NodeRestriction   # flagged",
        "Add `AlwaysPullImages` to `--enable-admission-plugins`, or enable the kubelet's "
        "image credential verification (KubeletEnsureSecretPulledImages) where available.",
        (ADMISSION_DOCS,),
    ),
    _rule(
        "CP012",
        "apiserver-service-account-plugin",
        "API server disables the ServiceAccount admission plugin",
        M,
        plugin_on_check("ServiceAccount"),
        cis("1.2.12", "1.2.14"),
        "Flags a kube-apiserver whose `--disable-admission-plugins` includes `ServiceAccount` (it is on by default).",
        "The plugin assigns service accounts and their tokens to pods and keeps pods from using accounts "
        "that do not exist.",
        "command:\n  - kube-apiserver\n  - --disable-admission-plugins=ServiceAccount   # flagged",
        "Remove `ServiceAccount` from `--disable-admission-plugins`.",
        (ADMISSION_DOCS,),
    ),
    _rule(
        "CP013",
        "apiserver-namespace-lifecycle-plugin",
        "API server disables the NamespaceLifecycle plugin",
        M,
        plugin_on_check("NamespaceLifecycle"),
        cis("1.2.13", "1.2.15"),
        "Flags a kube-apiserver whose `--disable-admission-plugins` includes `NamespaceLifecycle` (on by default).",
        "Without it, objects can be created in namespaces that are being deleted or do not exist, and the "
        "system namespaces can be deleted.",
        "command:\n  - kube-apiserver\n  - --disable-admission-plugins=NamespaceLifecycle   # flagged",
        "Remove `NamespaceLifecycle` from `--disable-admission-plugins`.",
        (ADMISSION_DOCS,),
    ),
    _rule(
        "CP014",
        "apiserver-node-restriction",
        "API server does not restrict what kubelets may change",
        H,
        plugin_on_check("NodeRestriction"),
        cis("1.2.14", "1.2.16"),
        "Flags a kube-apiserver without the `NodeRestriction` admission plugin.",
        "NodeRestriction limits a kubelet to modifying its own Node and the pods bound to it; without it a "
        "compromised node can relabel other nodes to attract workloads.",
        "command:\n  - kube-apiserver\n  - --enable-admission-plugins=AlwaysPullImages   # flagged",
        "Add `NodeRestriction` to `--enable-admission-plugins` (with `Node` in `--authorization-mode`).",
        (ADMISSION_DOCS,),
    ),
    _rule(
        "CP015",
        "apiserver-profiling",
        "API server exposes profiling",
        L,
        bool_flag_check("profiling", want=False, default=True),
        cis("1.2.15", "1.2.18"),
        "Flags a kube-apiserver whose `--profiling` is not `false` (unset means `true`).",
        "The /debug/pprof endpoints reveal internals and can be used to load the server.",
        "command:\n  - kube-apiserver   # --profiling unset: flagged",
        "Set `--profiling=false`.",
    ),
    _rule(
        "CP016",
        "apiserver-audit-log-path",
        "API server writes no audit log",
        M,
        flags_set_check("audit-log-path", hint="; no audit log is written"),
        cis("1.2.16", "1.2.19"),
        "Flags a kube-apiserver without `--audit-log-path`.",
        "Without an audit log there is no record of who did what in the cluster.",
        "command:\n  - kube-apiserver   # no --audit-log-path",
        "Set `--audit-log-path=/var/log/kubernetes/audit/audit.log` (mount the folder) with `--audit-policy-file`.",
        (AUDIT_DOCS,),
    ),
    _rule(
        "CP017",
        "apiserver-audit-log-maxage",
        "API server keeps audit logs too briefly",
        L,
        min_int_check("audit-log-maxage", 30, _audit_to_stdout),
        cis("1.2.17", "1.2.20"),
        "Flags a kube-apiserver whose `--audit-log-maxage` is unset or below 30 (days). Not judged when audit "
        "events go to standard output (`--audit-log-path=-`).",
        "Audit records are needed long after an incident started.",
        "command:\n  - kube-apiserver\n  - --audit-log-maxage=7   # flagged",
        "Set `--audit-log-maxage=30` or more.",
        (AUDIT_DOCS,),
    ),
    _rule(
        "CP018",
        "apiserver-audit-log-maxbackup",
        "API server keeps too few audit log files",
        L,
        min_int_check("audit-log-maxbackup", 10, _audit_to_stdout),
        cis("1.2.18", "1.2.21"),
        "Flags a kube-apiserver whose `--audit-log-maxbackup` is unset or below 10.",
        "Too few rotated files lose history under load.",
        "command:\n  - kube-apiserver\n  - --audit-log-maxbackup=2   # flagged",
        "Set `--audit-log-maxbackup=10` or more.",
        (AUDIT_DOCS,),
    ),
    _rule(
        "CP019",
        "apiserver-audit-log-maxsize",
        "API server rotates audit logs too early",
        L,
        min_int_check("audit-log-maxsize", 100, _audit_to_stdout),
        cis("1.2.19", "1.2.22"),
        "Flags a kube-apiserver whose `--audit-log-maxsize` is unset or below 100 (MB).",
        "Small files with few backups lose history quickly.",
        "command:\n  - kube-apiserver\n  - --audit-log-maxsize=10   # flagged",
        "Set `--audit-log-maxsize=100` or more.",
        (AUDIT_DOCS,),
    ),
    _rule(
        "CP020",
        "apiserver-request-timeout",
        "API server request timeout is invalid or unlimited",
        L,
        _request_timeout,
        cis("1.2.20", "1.2.23"),
        "Flags a kube-apiserver whose `--request-timeout` is not a duration or is zero or negative. Unset is "
        "fine (60s). (CIS marks this Manual.)",
        "Requests without a time limit hold connections and memory and ease denial of service.",
        "command:\n  - kube-apiserver\n  - --request-timeout=0s   # flagged",
        "Remove `--request-timeout` or set a positive duration such as `300s`.",
    ),
    _rule(
        "CP021",
        "apiserver-service-account-lookup",
        "API server does not check service account tokens against etcd",
        M,
        bool_flag_check("service-account-lookup", want=True, default=True),
        cis("1.2.21", "1.2.24"),
        "Flags a kube-apiserver with `--service-account-lookup=false`.",
        "Without the lookup, tokens of deleted service accounts stay valid until they expire.",
        "command:\n  - kube-apiserver\n  - --service-account-lookup=false   # flagged",
        "Remove the flag or set `--service-account-lookup=true`.",
    ),
    _rule(
        "CP022",
        "apiserver-service-account-key-file",
        "API server has no service account key file",
        M,
        flags_set_check("service-account-key-file"),
        cis("1.2.22", "1.2.25"),
        "Flags a kube-apiserver without `--service-account-key-file`.",
        "The public key verifies service account tokens; naming it explicitly allows key rotation with "
        "several keys.",
        "command:\n  - kube-apiserver   # no --service-account-key-file",
        "Set `--service-account-key-file=/etc/kubernetes/pki/sa.pub`.",
    ),
    _rule(
        "CP023",
        "apiserver-etcd-client-certificate",
        "API server connects to etcd without a client certificate",
        H,
        flags_set_check("etcd-certfile", "etcd-keyfile"),
        cis("1.2.23", "1.2.26"),
        "Flags a kube-apiserver without both `--etcd-certfile` and `--etcd-keyfile`.",
        "etcd holds every Secret; it must only accept clients that present a certificate.",
        "command:\n  - kube-apiserver\n  - --etcd-servers=https://127.0.0.1:2379   # no client certificate",
        "Set `--etcd-certfile` and `--etcd-keyfile` and enable `--client-cert-auth` on etcd.",
    ),
    _rule(
        "CP024",
        "apiserver-tls-certificate",
        "API server has no TLS serving certificate",
        H,
        flags_set_check("tls-cert-file", "tls-private-key-file"),
        cis("1.2.24", "1.2.27"),
        "Flags a kube-apiserver without both `--tls-cert-file` and `--tls-private-key-file`.",
        "Without them the API server serves a self-signed certificate that clients cannot verify.",
        "command:\n  - kube-apiserver   # no --tls-cert-file",
        "Set `--tls-cert-file` and `--tls-private-key-file`.",
    ),
    _rule(
        "CP025",
        "apiserver-client-ca-file",
        "API server has no client CA",
        H,
        flags_set_check("client-ca-file"),
        cis("1.2.25", "1.2.28"),
        "Flags a kube-apiserver without `--client-ca-file`.",
        "Without a client CA, client certificates (used by kubelets and administrators) cannot be verified.",
        "command:\n  - kube-apiserver   # no --client-ca-file",
        "Set `--client-ca-file=/etc/kubernetes/pki/ca.crt`.",
    ),
    _rule(
        "CP026",
        "apiserver-etcd-ca-file",
        "API server does not verify etcd's certificate",
        H,
        flags_set_check("etcd-cafile"),
        cis("1.2.26", "1.2.29"),
        "Flags a kube-apiserver without `--etcd-cafile`.",
        "Without the CA the API server cannot verify that it talks to the real etcd.",
        "command:\n  - kube-apiserver   # no --etcd-cafile",
        "Set `--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt`.",
    ),
    _rule(
        "CP027",
        "apiserver-encryption-provider-config",
        "API server does not encrypt data at rest",
        H,
        flags_set_check("encryption-provider-config", hint="; Secrets are stored in etcd in plain text"),
        cis("1.2.27", "1.2.30"),
        "Flags a kube-apiserver without `--encryption-provider-config`. The configuration file itself is "
        "judged by CP090-CP094. (CIS marks this Manual.)",
        "Secrets are then written to etcd and its backups as plain text.",
        "command:\n  - kube-apiserver   # no --encryption-provider-config",
        "Write an EncryptionConfiguration (KMS v2 preferred) and set `--encryption-provider-config` to it.",
        ("https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/",),
    ),
    _rule(
        "CP028",
        "apiserver-tls-cipher-suites",
        "API server allows weak TLS cipher suites",
        M,
        cipher_suites_check("tls-cipher-suites"),
        cis("1.2.29", "1.2.32"),
        "Flags a kube-apiserver whose `--tls-cipher-suites` is unset or names a suite outside the strong set "
        "(ECDHE key exchange with AES-GCM or ChaCha20-Poly1305). (CIS marks this Manual.)",
        "CBC-mode and static-RSA suites lack forward secrecy or have a history of padding attacks.",
        "command:\n  - kube-apiserver\n  - --tls-cipher-suites=TLS_RSA_WITH_AES_128_CBC_SHA   # flagged",
        "Set `--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,"
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,"
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256`.",
    ),
    _rule(
        "CP029",
        "apiserver-extend-token-expiration",
        "API server extends service account token lifetimes",
        L,
        bool_flag_check("service-account-extend-token-expiration", want=False, default=True),
        cis("1.2.30"),
        "Flags a kube-apiserver whose `--service-account-extend-token-expiration` is not `false` (unset means `true`).",
        "With the extension, projected tokens are valid for a year instead of the requested hour, so a "
        "stolen token stays useful much longer.",
        "command:\n  - kube-apiserver   # flag unset: flagged",
        "Set `--service-account-extend-token-expiration=false` once workloads use client libraries that "
        "reload tokens.",
    ),
    _rule(
        "CP030",
        "apiserver-audit-policy-file",
        "API server has no audit policy",
        M,
        flags_set_check("audit-policy-file", hint="; no audit events are recorded"),
        cis("3.2.1"),
        "Flags a kube-apiserver without `--audit-policy-file`. The policy itself is judged by CP100-CP104 "
        "(`kubeguard node` reads the file the flag names).",
        "Without a policy the API server records no audit events at all, even with `--audit-log-path` set.",
        "command:\n  - kube-apiserver\n  - --audit-log-path=/var/log/kubernetes/audit.log   # but no --audit-policy-file",
        "Write an audit Policy (audit.k8s.io/v1) and set `--audit-policy-file` to it.",
        (AUDIT_DOCS,),
    ),
    _rule(
        "CP031",
        "apiserver-secure-port-disabled",
        "API server's secure port is switched off",
        H,
        _secure_port,
        cis(None, "1.2.17"),
        "Flags a kube-apiserver with `--secure-port=0`. (A recommendation of earlier CIS benchmarks.)",
        "Port 0 switches off HTTPS serving.",
        "command:\n  - kube-apiserver\n  - --secure-port=0   # flagged",
        "Remove `--secure-port` or set it to a port such as 6443.",
    ),
)
