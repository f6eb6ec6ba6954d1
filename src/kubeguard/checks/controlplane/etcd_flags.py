"""etcd flags (CIS Kubernetes Benchmark v1.12 section 2).

Flags are read from the etcd static pod's command and from its ``ETCD_*`` environment variables (a
command-line flag wins), or from ``etcd.local.extraArgs`` of a kubeadm ClusterConfiguration. A
configuration with an external etcd is not judged (kubeadm does not run that etcd).

## What it does
One rule per CIS recommendation; see each rule's own documentation.

## Why it matters
etcd holds every object of the cluster, Secrets included.

## Example
```yaml
command: [etcd, --client-cert-auth=true]
```

## Fix
Set the flag as each rule says.

## References
- https://etcd.io/docs/latest/op-guide/security/
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from kubeguard.analyzers.controlplane.catalogue import cis, component_rule
from kubeguard.analyzers.controlplane.flags import bool_flag_check, flags_set_check
from kubeguard.model.controlplane.components import APISERVER, ETCD, ComponentConfig
from kubeguard.model.controlplane.sources import component_config
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Severity, Violation

H, M = Severity.HIGH, Severity.MEDIUM
SECURITY_DOCS = "https://etcd.io/docs/latest/op-guide/security/"


def apiserver_client_cas(ctx: ScanContext) -> dict[str, str]:
    """``--client-ca-file`` of every API server in the scan -> which object sets it."""
    out: dict[str, str] = {}
    for r in (*ctx.of_kind("Pod"), *ctx.of_kind("ClusterConfiguration")):
        cfg = component_config(r, APISERVER)
        if cfg is not None and (ca := cfg.flags.value("client-ca-file")):
            out.setdefault(ca.strip(), str(r.ref))
    return out


def _unique_ca(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
    ca = cfg.flags.value("trusted-ca-file")
    if not ca or not ca.strip():
        yield Violation(
            "etcd: --trusted-ca-file is not set, so client certificates cannot be verified against an etcd CA",
            at=cfg.flags.at("trusted-ca-file"),
        )
        return
    shared = ctx.cached(apiserver_client_cas).get(ca.strip())
    if shared is not None:
        yield Violation(
            f"etcd: --trusted-ca-file={ca} is also the API server's --client-ca-file ({shared}); every client "
            "certificate of the cluster is then accepted by etcd",
            at=cfg.flags.at("trusted-ca-file"),
        )


_rule = partial(component_rule, component=ETCD, references=(SECURITY_DOCS,))


RULES = (
    _rule(
        "CP060",
        "etcd-tls-certificate",
        "etcd serves clients without TLS",
        H,
        flags_set_check("cert-file", "key-file"),
        cis("2.1"),
        "Flags an etcd without both `--cert-file` and `--key-file` (or `ETCD_CERT_FILE`/`ETCD_KEY_FILE`).",
        "Without TLS, every object read or written, Secrets included, crosses the network in clear text.",
        "command:\n  - etcd\n  - --listen-client-urls=http://0.0.0.0:2379   # no --cert-file",
        "Set `--cert-file` and `--key-file` and serve clients on https URLs.",
    ),
    _rule(
        "CP061",
        "etcd-client-cert-auth",
        "etcd does not require client certificates",
        H,
        bool_flag_check("client-cert-auth", want=True, default=False),
        cis("2.2"),
        "Flags an etcd whose `--client-cert-auth` is not `true` (unset means `false`).",
        "Any client that reaches the port can then read and change the whole cluster state.",
        "command:\n  - etcd   # --client-cert-auth unset: flagged",
        "Set `--client-cert-auth=true` and `--trusted-ca-file`.",
    ),
    _rule(
        "CP062",
        "etcd-auto-tls",
        "etcd uses self-signed client certificates",
        H,
        bool_flag_check("auto-tls", want=False, default=False),
        cis("2.3"),
        "Flags an etcd with `--auto-tls=true`.",
        "Auto-generated self-signed certificates cannot be verified by clients.",
        "command:\n  - etcd\n  - --auto-tls=true   # flagged",
        "Remove `--auto-tls` and configure `--cert-file` and `--key-file`.",
    ),
    _rule(
        "CP063",
        "etcd-peer-tls-certificate",
        "etcd talks to its peers without TLS",
        H,
        flags_set_check("peer-cert-file", "peer-key-file"),
        cis("2.4"),
        "Flags an etcd without both `--peer-cert-file` and `--peer-key-file`.",
        "Replication traffic carries every object; it must be encrypted between members.",
        "command:\n  - etcd   # no --peer-cert-file",
        "Set `--peer-cert-file` and `--peer-key-file`.",
    ),
    _rule(
        "CP064",
        "etcd-peer-client-cert-auth",
        "etcd does not authenticate its peers",
        H,
        bool_flag_check("peer-client-cert-auth", want=True, default=False),
        cis("2.5"),
        "Flags an etcd whose `--peer-client-cert-auth` is not `true` (unset means `false`).",
        "Anyone who reaches the peer port could join the cluster or read replication.",
        "command:\n  - etcd   # --peer-client-cert-auth unset: flagged",
        "Set `--peer-client-cert-auth=true` and `--peer-trusted-ca-file`.",
    ),
    _rule(
        "CP065",
        "etcd-peer-auto-tls",
        "etcd uses self-signed peer certificates",
        H,
        bool_flag_check("peer-auto-tls", want=False, default=False),
        cis("2.6"),
        "Flags an etcd with `--peer-auto-tls=true`.",
        "Self-signed peer certificates cannot be verified; a rogue member could join.",
        "command:\n  - etcd\n  - --peer-auto-tls=true   # flagged",
        "Remove `--peer-auto-tls` and set `--peer-cert-file` and `--peer-key-file`.",
    ),
    _rule(
        "CP066",
        "etcd-unique-ca",
        "etcd trusts the cluster's general CA",
        M,
        _unique_ca,
        cis("2.7"),
        "Flags an etcd without `--trusted-ca-file`, or whose `--trusted-ca-file` is the same file as an API "
        "server's `--client-ca-file` in the same scan. (CIS marks this Manual: a CA file with another name "
        "could still be the same CA.)",
        "If etcd trusts the cluster CA, every client certificate that CA issued (kubelets, administrators) can "
        "talk to etcd directly and bypass the API server's authorization.",
        "command:\n  - etcd\n  - --trusted-ca-file=/etc/kubernetes/pki/ca.crt   # the API server's client CA",
        "Give etcd its own CA (kubeadm uses /etc/kubernetes/pki/etcd/ca.crt) and set `--trusted-ca-file` to it.",
    ),
)
