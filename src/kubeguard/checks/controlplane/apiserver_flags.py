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

from kubeguard.analyzers.controlplane.flags import parse_duration
from kubeguard.checks.controlplane._catalogue import cis, component_rule
from kubeguard.checks.controlplane._flag_checks import (
    authorization_mode_check,
    bool_flag_check,
    cipher_suites_check,
    flag_unset_check,
    flags_set_check,
    min_int_check,
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
        code="CP001",
        slug="apiserver-anonymous-auth",
        title="API server accepts anonymous requests",
        severity=M,
        needs=("AuthenticationConfiguration files the API server reads",),
        check=_anonymous,
        compliance=cis("1.2.1"),
        what="Flags a kube-apiserver whose `--anonymous-auth` is not `false` (unset means `true`). With "
        "`--authentication-config`, an AuthenticationConfiguration in the input that sets `anonymous` decides: "
        "disabled, or enabled only under `conditions` (such as the health endpoints), passes.",
        why="Anonymous requests reach the authorizer as `system:anonymous`; any binding that grants that user "
        "or `system:unauthenticated` something becomes reachable without credentials. (CIS marks this "
        "recommendation Manual: health probes of some setups rely on anonymous access.)",
        example="command:\n  - kube-apiserver\n  - --anonymous-auth=true   # flagged; so is leaving it unset",
        fix="Set `--anonymous-auth=false`, or restrict anonymous access to health endpoints with a structured "
        "AuthenticationConfiguration (`anonymous.conditions`).",
    ),
    _rule(
        code="CP002",
        slug="apiserver-token-auth-file",
        title="API server uses a static token file",
        severity=H,
        check=flag_unset_check(
            "token-auth-file", "static tokens never expire and cannot be revoked without a restart"
        ),
        compliance=cis("1.2.2"),
        what="Flags a kube-apiserver started with `--token-auth-file`.",
        why="Tokens in the static file are long-lived bearer credentials, kept in clear text on the control plane "
        "node; changing them needs an API server restart.",
        example="command:\n  - kube-apiserver\n  - --token-auth-file=/etc/kubernetes/tokens.csv   # flagged",
        fix="Remove `--token-auth-file` and use client certificates, OIDC or service account tokens.",
    ),
    _rule(
        code="CP003",
        slug="apiserver-deny-service-external-ips",
        title="API server does not deny Service externalIPs",
        severity=M,
        check=plugin_on_check("DenyServiceExternalIPs"),
        compliance=cis("1.2.3"),
        what="Flags a kube-apiserver whose `--enable-admission-plugins` does not include `DenyServiceExternalIPs`.",
        why="Whoever can create a Service can set `externalIPs` and intercept traffic meant for those addresses "
        "(CVE-2020-8554). The plugin rejects new uses of the field. (CIS marks this Manual.)",
        example="command:\n  - kube-apiserver\n  - --enable-admission-plugins=NodeRestriction   # flagged",
        fix="Add `DenyServiceExternalIPs` to `--enable-admission-plugins`.",
        references=(ADMISSION_DOCS,),
    ),
    _rule(
        code="CP004",
        slug="apiserver-kubelet-client-certificate",
        title="API server has no kubelet client certificate",
        severity=H,
        check=flags_set_check("kubelet-client-certificate", "kubelet-client-key"),
        compliance=cis("1.2.4", "1.2.5"),
        what="Flags a kube-apiserver without both `--kubelet-client-certificate` and `--kubelet-client-key`.",
        why="Without a client certificate the API server cannot authenticate to kubelets, which must then allow "
        "unauthenticated access to exec, logs and port-forward.",
        example="command:\n  - kube-apiserver\n  - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key   # certificate missing",
        fix="Set `--kubelet-client-certificate` and `--kubelet-client-key`.",
    ),
    _rule(
        code="CP005",
        slug="apiserver-kubelet-certificate-authority",
        title="API server does not verify kubelet certificates",
        severity=H,
        check=flags_set_check("kubelet-certificate-authority"),
        compliance=cis("1.2.5", "1.2.6"),
        what="Flags a kube-apiserver without `--kubelet-certificate-authority`.",
        why="The API server then connects to kubelets without checking their serving certificates: anyone on the "
        "path can impersonate a kubelet and read exec sessions and logs. kubeadm does not set it by default.",
        example="command:\n  - kube-apiserver   # no --kubelet-certificate-authority",
        fix="Give kubelets serving certificates signed by a CA (for example `serverTLSBootstrap: true`) and set "
        "`--kubelet-certificate-authority` to that CA.",
    ),
    _rule(
        code="CP006",
        slug="apiserver-authorization-always-allow",
        title="API server authorizes every request",
        severity=H,
        needs=("AuthorizationConfiguration files the API server reads",),
        check=authorization_mode_check("AlwaysAllow", present=False),
        compliance=cis("1.2.6", "1.2.7"),
        what="Flags a kube-apiserver whose `--authorization-mode` includes `AlwaysAllow` or is unset (the default "
        "is `AlwaysAllow`). With `--authorization-config`, the authorizers of the AuthorizationConfiguration in the "
        "scan decide (`kubeguard node` reads the file the flag names); without it, not judged.",
        why="Every authenticated request is allowed: RBAC is bypassed entirely.",
        example="command:\n  - kube-apiserver\n  - --authorization-mode=AlwaysAllow   # flagged",
        fix="Set `--authorization-mode=Node,RBAC`.",
    ),
    _rule(
        code="CP007",
        slug="apiserver-authorization-node",
        title="API server does not use the Node authorizer",
        severity=M,
        check=authorization_mode_check("Node", present=True),
        compliance=cis("1.2.7", "1.2.8"),
        what="Flags a kube-apiserver whose `--authorization-mode` (or structured AuthorizationConfiguration, see CP006) "
        "lacks `Node`.",
        why="The Node authorizer limits each kubelet to the objects of pods bound to its own node; without it a "
        "compromised node can read every Secret its RBAC role allows.",
        example="command:\n  - kube-apiserver\n  - --authorization-mode=RBAC   # flagged",
        fix="Set `--authorization-mode=Node,RBAC`.",
    ),
    _rule(
        code="CP008",
        slug="apiserver-authorization-rbac",
        title="API server does not use RBAC",
        severity=H,
        needs=("AuthorizationConfiguration files the API server reads",),
        check=authorization_mode_check("RBAC", present=True),
        compliance=cis("1.2.8", "1.2.9"),
        what="Flags a kube-apiserver whose `--authorization-mode` (or structured AuthorizationConfiguration, see CP006) "
        "lacks `RBAC`.",
        why="Without RBAC, Roles and bindings are ignored and access control falls to whatever else is configured.",
        example="command:\n  - kube-apiserver\n  - --authorization-mode=Node   # flagged",
        fix="Set `--authorization-mode=Node,RBAC`.",
    ),
    _rule(
        code="CP009",
        slug="apiserver-event-rate-limit",
        title="API server does not limit event rates",
        severity=L,
        check=plugin_on_check("EventRateLimit", _event_rate_limit_config),
        compliance=cis("1.2.9", "1.2.10"),
        what="Flags a kube-apiserver without the `EventRateLimit` admission plugin, or with it but without "
        "`--admission-control-config-file` for its limits.",
        why="A flood of events can overwhelm the API server and etcd. (CIS marks this Manual.)",
        example="command:\n  - kube-apiserver\n  - --enable-admission-plugins=NodeRestriction   # flagged",
        fix="Add `EventRateLimit` to `--enable-admission-plugins` and set `--admission-control-config-file` to a "
        "file with an `EventRateLimit` configuration.",
        references=(ADMISSION_DOCS,),
    ),
    _rule(
        code="CP010",
        slug="apiserver-always-admit",
        title="API server enables AlwaysAdmit",
        severity=H,
        check=plugin_off_check("AlwaysAdmit"),
        compliance=cis("1.2.10", "1.2.11"),
        what="Flags a kube-apiserver whose `--enable-admission-plugins` includes `AlwaysAdmit`.",
        why="AlwaysAdmit admits every request on its own; it is deprecated and defeats admission control.",
        example="command:\n  - kube-apiserver\n  - --enable-admission-plugins=AlwaysAdmit   # flagged",
        fix="Remove `AlwaysAdmit` from `--enable-admission-plugins`.",
        references=(ADMISSION_DOCS,),
    ),
    _rule(
        code="CP011",
        slug="apiserver-always-pull-images",
        title="API server does not force image pulls",
        severity=L,
        check=plugin_on_check("AlwaysPullImages"),
        compliance=cis("1.2.11", "1.2.12"),
        what="Flags a kube-apiserver without the `AlwaysPullImages` admission plugin.",
        why="Without it, a pod can run any image already cached on its node, even one it has no pull credentials "
        "for. (CIS marks this Manual: it makes every start depend on the registry.)",
        example="command:\n  - kube-apiserver\n  - --enable-admission-plugins=NodeRestriction   # flagged",
        fix="Add `AlwaysPullImages` to `--enable-admission-plugins`, or enable the kubelet's "
        "image credential verification (KubeletEnsureSecretPulledImages) where available.",
        references=(ADMISSION_DOCS,),
    ),
    _rule(
        code="CP012",
        slug="apiserver-service-account-plugin",
        title="API server disables the ServiceAccount admission plugin",
        severity=M,
        check=plugin_on_check("ServiceAccount"),
        compliance=cis("1.2.12", "1.2.14"),
        what="Flags a kube-apiserver whose `--disable-admission-plugins` includes `ServiceAccount` (it is on by default).",
        why="The plugin assigns service accounts and their tokens to pods and keeps pods from using accounts "
        "that do not exist.",
        example="command:\n  - kube-apiserver\n  - --disable-admission-plugins=ServiceAccount   # flagged",
        fix="Remove `ServiceAccount` from `--disable-admission-plugins`.",
        references=(ADMISSION_DOCS,),
    ),
    _rule(
        code="CP013",
        slug="apiserver-namespace-lifecycle-plugin",
        title="API server disables the NamespaceLifecycle plugin",
        severity=M,
        check=plugin_on_check("NamespaceLifecycle"),
        compliance=cis("1.2.13", "1.2.15"),
        what="Flags a kube-apiserver whose `--disable-admission-plugins` includes `NamespaceLifecycle` (on by default).",
        why="Without it, objects can be created in namespaces that are being deleted or do not exist, and the "
        "system namespaces can be deleted.",
        example="command:\n  - kube-apiserver\n  - --disable-admission-plugins=NamespaceLifecycle   # flagged",
        fix="Remove `NamespaceLifecycle` from `--disable-admission-plugins`.",
        references=(ADMISSION_DOCS,),
    ),
    _rule(
        code="CP014",
        slug="apiserver-node-restriction",
        title="API server does not restrict what kubelets may change",
        severity=H,
        check=plugin_on_check("NodeRestriction"),
        compliance=cis("1.2.14", "1.2.16"),
        what="Flags a kube-apiserver without the `NodeRestriction` admission plugin.",
        why="NodeRestriction limits a kubelet to modifying its own Node and the pods bound to it; without it a "
        "compromised node can relabel other nodes to attract workloads.",
        example="command:\n  - kube-apiserver\n  - --enable-admission-plugins=AlwaysPullImages   # flagged",
        fix="Add `NodeRestriction` to `--enable-admission-plugins` (with `Node` in `--authorization-mode`).",
        references=(ADMISSION_DOCS,),
    ),
    _rule(
        code="CP015",
        slug="apiserver-profiling",
        title="API server exposes profiling",
        severity=L,
        check=bool_flag_check("profiling", want=False, default=True),
        compliance=cis("1.2.15", "1.2.18"),
        what="Flags a kube-apiserver whose `--profiling` is not `false` (unset means `true`).",
        why="The /debug/pprof endpoints reveal internals and can be used to load the server.",
        example="command:\n  - kube-apiserver   # --profiling unset: flagged",
        fix="Set `--profiling=false`.",
    ),
    _rule(
        code="CP016",
        slug="apiserver-audit-log-path",
        title="API server writes no audit log",
        severity=M,
        check=flags_set_check("audit-log-path", hint="; no audit log is written"),
        compliance=cis("1.2.16", "1.2.19"),
        what="Flags a kube-apiserver without `--audit-log-path`.",
        why="Without an audit log there is no record of who did what in the cluster.",
        example="command:\n  - kube-apiserver   # no --audit-log-path",
        fix="Set `--audit-log-path=/var/log/kubernetes/audit/audit.log` (mount the folder) with `--audit-policy-file`.",
        references=(AUDIT_DOCS,),
    ),
    _rule(
        code="CP017",
        slug="apiserver-audit-log-maxage",
        title="API server keeps audit logs too briefly",
        severity=L,
        check=min_int_check("audit-log-maxage", 30, _audit_to_stdout),
        compliance=cis("1.2.17", "1.2.20"),
        what="Flags a kube-apiserver whose `--audit-log-maxage` is unset or below 30 (days). Not judged when audit "
        "events go to standard output (`--audit-log-path=-`).",
        why="Audit records are needed long after an incident started.",
        example="command:\n  - kube-apiserver\n  - --audit-log-maxage=7   # flagged",
        fix="Set `--audit-log-maxage=30` or more.",
        references=(AUDIT_DOCS,),
    ),
    _rule(
        code="CP018",
        slug="apiserver-audit-log-maxbackup",
        title="API server keeps too few audit log files",
        severity=L,
        check=min_int_check("audit-log-maxbackup", 10, _audit_to_stdout),
        compliance=cis("1.2.18", "1.2.21"),
        what="Flags a kube-apiserver whose `--audit-log-maxbackup` is unset or below 10.",
        why="Too few rotated files lose history under load.",
        example="command:\n  - kube-apiserver\n  - --audit-log-maxbackup=2   # flagged",
        fix="Set `--audit-log-maxbackup=10` or more.",
        references=(AUDIT_DOCS,),
    ),
    _rule(
        code="CP019",
        slug="apiserver-audit-log-maxsize",
        title="API server rotates audit logs too early",
        severity=L,
        check=min_int_check("audit-log-maxsize", 100, _audit_to_stdout),
        compliance=cis("1.2.19", "1.2.22"),
        what="Flags a kube-apiserver whose `--audit-log-maxsize` is unset or below 100 (MB).",
        why="Small files with few backups lose history quickly.",
        example="command:\n  - kube-apiserver\n  - --audit-log-maxsize=10   # flagged",
        fix="Set `--audit-log-maxsize=100` or more.",
        references=(AUDIT_DOCS,),
    ),
    _rule(
        code="CP020",
        slug="apiserver-request-timeout",
        title="API server request timeout is invalid or unlimited",
        severity=L,
        check=_request_timeout,
        compliance=cis("1.2.20", "1.2.23"),
        what="Flags a kube-apiserver whose `--request-timeout` is not a duration or is zero or negative. Unset is "
        "fine (60s). (CIS marks this Manual.)",
        why="Requests without a time limit hold connections and memory and ease denial of service.",
        example="command:\n  - kube-apiserver\n  - --request-timeout=0s   # flagged",
        fix="Remove `--request-timeout` or set a positive duration such as `300s`.",
    ),
    _rule(
        code="CP021",
        slug="apiserver-service-account-lookup",
        title="API server does not check service account tokens against etcd",
        severity=M,
        check=bool_flag_check("service-account-lookup", want=True, default=True),
        compliance=cis("1.2.21", "1.2.24"),
        what="Flags a kube-apiserver with `--service-account-lookup=false`.",
        why="Without the lookup, tokens of deleted service accounts stay valid until they expire.",
        example="command:\n  - kube-apiserver\n  - --service-account-lookup=false   # flagged",
        fix="Remove the flag or set `--service-account-lookup=true`.",
    ),
    _rule(
        code="CP022",
        slug="apiserver-service-account-key-file",
        title="API server has no service account key file",
        severity=M,
        check=flags_set_check("service-account-key-file"),
        compliance=cis("1.2.22", "1.2.25"),
        what="Flags a kube-apiserver without `--service-account-key-file`.",
        why="The public key verifies service account tokens; naming it explicitly allows key rotation with "
        "several keys.",
        example="command:\n  - kube-apiserver   # no --service-account-key-file",
        fix="Set `--service-account-key-file=/etc/kubernetes/pki/sa.pub`.",
    ),
    _rule(
        code="CP023",
        slug="apiserver-etcd-client-certificate",
        title="API server connects to etcd without a client certificate",
        severity=H,
        check=flags_set_check("etcd-certfile", "etcd-keyfile"),
        compliance=cis("1.2.23", "1.2.26"),
        what="Flags a kube-apiserver without both `--etcd-certfile` and `--etcd-keyfile`.",
        why="etcd holds every Secret; it must only accept clients that present a certificate.",
        example="command:\n  - kube-apiserver\n  - --etcd-servers=https://127.0.0.1:2379   # no client certificate",
        fix="Set `--etcd-certfile` and `--etcd-keyfile` and enable `--client-cert-auth` on etcd.",
    ),
    _rule(
        code="CP024",
        slug="apiserver-tls-certificate",
        title="API server has no TLS serving certificate",
        severity=H,
        check=flags_set_check("tls-cert-file", "tls-private-key-file"),
        compliance=cis("1.2.24", "1.2.27"),
        what="Flags a kube-apiserver without both `--tls-cert-file` and `--tls-private-key-file`.",
        why="Without them the API server serves a self-signed certificate that clients cannot verify.",
        example="command:\n  - kube-apiserver   # no --tls-cert-file",
        fix="Set `--tls-cert-file` and `--tls-private-key-file`.",
    ),
    _rule(
        code="CP025",
        slug="apiserver-client-ca-file",
        title="API server has no client CA",
        severity=H,
        check=flags_set_check("client-ca-file"),
        compliance=cis("1.2.25", "1.2.28"),
        what="Flags a kube-apiserver without `--client-ca-file`.",
        why="Without a client CA, client certificates (used by kubelets and administrators) cannot be verified.",
        example="command:\n  - kube-apiserver   # no --client-ca-file",
        fix="Set `--client-ca-file=/etc/kubernetes/pki/ca.crt`.",
    ),
    _rule(
        code="CP026",
        slug="apiserver-etcd-ca-file",
        title="API server does not verify etcd's certificate",
        severity=H,
        check=flags_set_check("etcd-cafile"),
        compliance=cis("1.2.26", "1.2.29"),
        what="Flags a kube-apiserver without `--etcd-cafile`.",
        why="Without the CA the API server cannot verify that it talks to the real etcd.",
        example="command:\n  - kube-apiserver   # no --etcd-cafile",
        fix="Set `--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt`.",
    ),
    _rule(
        code="CP027",
        slug="apiserver-encryption-provider-config",
        title="API server does not encrypt data at rest",
        severity=H,
        check=flags_set_check(
            "encryption-provider-config", hint="; Secrets are stored in etcd in plain text"
        ),
        compliance=cis("1.2.27", "1.2.30"),
        what="Flags a kube-apiserver without `--encryption-provider-config`. The configuration file itself is "
        "judged by CP090-CP094. (CIS marks this Manual.)",
        why="Secrets are then written to etcd and its backups as plain text.",
        example="command:\n  - kube-apiserver   # no --encryption-provider-config",
        fix="Write an EncryptionConfiguration (KMS v2 preferred) and set `--encryption-provider-config` to it.",
        references=("https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/",),
    ),
    _rule(
        code="CP028",
        slug="apiserver-tls-cipher-suites",
        title="API server allows weak TLS cipher suites",
        severity=M,
        check=cipher_suites_check("tls-cipher-suites"),
        compliance=cis("1.2.29", "1.2.32"),
        what="Flags a kube-apiserver whose `--tls-cipher-suites` is unset or names a suite outside the strong set "
        "(ECDHE key exchange with AES-GCM or ChaCha20-Poly1305). (CIS marks this Manual.)",
        why="CBC-mode and static-RSA suites lack forward secrecy or have a history of padding attacks.",
        example="command:\n  - kube-apiserver\n  - --tls-cipher-suites=TLS_RSA_WITH_AES_128_CBC_SHA   # flagged",
        fix="Set `--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,"
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,"
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256`.",
    ),
    _rule(
        code="CP029",
        slug="apiserver-extend-token-expiration",
        title="API server extends service account token lifetimes",
        severity=L,
        check=bool_flag_check("service-account-extend-token-expiration", want=False, default=True),
        compliance=cis("1.2.30"),
        what="Flags a kube-apiserver whose `--service-account-extend-token-expiration` is not `false` (unset means `true`).",
        why="With the extension, projected tokens are valid for a year instead of the requested hour, so a "
        "stolen token stays useful much longer.",
        example="command:\n  - kube-apiserver   # flag unset: flagged",
        fix="Set `--service-account-extend-token-expiration=false` once workloads use client libraries that "
        "reload tokens.",
    ),
    _rule(
        code="CP030",
        slug="apiserver-audit-policy-file",
        title="API server has no audit policy",
        severity=M,
        check=flags_set_check("audit-policy-file", hint="; no audit events are recorded"),
        compliance=cis("3.2.1"),
        what="Flags a kube-apiserver without `--audit-policy-file`. The policy itself is judged by CP100-CP104 "
        "(`kubeguard node` reads the file the flag names).",
        why="Without a policy the API server records no audit events at all, even with `--audit-log-path` set.",
        example="command:\n  - kube-apiserver\n  - --audit-log-path=/var/log/kubernetes/audit.log   # but no --audit-policy-file",
        fix="Write an audit Policy (audit.k8s.io/v1) and set `--audit-policy-file` to it.",
        references=(AUDIT_DOCS,),
    ),
    _rule(
        code="CP031",
        slug="apiserver-secure-port-disabled",
        title="API server's secure port is switched off",
        severity=H,
        check=_secure_port,
        compliance=cis(None, "1.2.17"),
        what="Flags a kube-apiserver with `--secure-port=0`. (A recommendation of earlier CIS benchmarks.)",
        why="Port 0 switches off HTTPS serving.",
        example="command:\n  - kube-apiserver\n  - --secure-port=0   # flagged",
        fix="Remove `--secure-port` or set it to a port such as 6443.",
    ),
)
