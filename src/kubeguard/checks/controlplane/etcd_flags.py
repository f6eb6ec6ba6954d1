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

from kubeguard.checks.controlplane._catalogue import cis, component_rule
from kubeguard.checks.controlplane._flag_checks import bool_flag_check, flags_set_check
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
        code="CP060",
        slug="etcd-tls-certificate",
        title="etcd serves clients without TLS",
        severity=H,
        check=flags_set_check("cert-file", "key-file"),
        compliance=cis("2.1"),
        what="Flags an etcd without both `--cert-file` and `--key-file` (or `ETCD_CERT_FILE`/`ETCD_KEY_FILE`).",
        why="Without TLS, every object read or written, Secrets included, crosses the network in clear text.",
        example="command:\n  - etcd\n  - --listen-client-urls=http://0.0.0.0:2379   # no --cert-file",
        fix="Set `--cert-file` and `--key-file` and serve clients on https URLs.",
    ),
    _rule(
        code="CP061",
        slug="etcd-client-cert-auth",
        title="etcd does not require client certificates",
        severity=H,
        check=bool_flag_check("client-cert-auth", want=True, default=False),
        compliance=cis("2.2"),
        what="Flags an etcd whose `--client-cert-auth` is not `true` (unset means `false`).",
        why="Any client that reaches the port can then read and change the whole cluster state.",
        example="command:\n  - etcd   # --client-cert-auth unset: flagged",
        fix="Set `--client-cert-auth=true` and `--trusted-ca-file`.",
    ),
    _rule(
        code="CP062",
        slug="etcd-auto-tls",
        title="etcd uses self-signed client certificates",
        severity=H,
        check=bool_flag_check("auto-tls", want=False, default=False),
        compliance=cis("2.3"),
        what="Flags an etcd with `--auto-tls=true`.",
        why="Auto-generated self-signed certificates cannot be verified by clients.",
        example="command:\n  - etcd\n  - --auto-tls=true   # flagged",
        fix="Remove `--auto-tls` and configure `--cert-file` and `--key-file`.",
    ),
    _rule(
        code="CP063",
        slug="etcd-peer-tls-certificate",
        title="etcd talks to its peers without TLS",
        severity=H,
        check=flags_set_check("peer-cert-file", "peer-key-file"),
        compliance=cis("2.4"),
        what="Flags an etcd without both `--peer-cert-file` and `--peer-key-file`.",
        why="Replication traffic carries every object; it must be encrypted between members.",
        example="command:\n  - etcd   # no --peer-cert-file",
        fix="Set `--peer-cert-file` and `--peer-key-file`.",
    ),
    _rule(
        code="CP064",
        slug="etcd-peer-client-cert-auth",
        title="etcd does not authenticate its peers",
        severity=H,
        check=bool_flag_check("peer-client-cert-auth", want=True, default=False),
        compliance=cis("2.5"),
        what="Flags an etcd whose `--peer-client-cert-auth` is not `true` (unset means `false`).",
        why="Anyone who reaches the peer port could join the cluster or read replication.",
        example="command:\n  - etcd   # --peer-client-cert-auth unset: flagged",
        fix="Set `--peer-client-cert-auth=true` and `--peer-trusted-ca-file`.",
    ),
    _rule(
        code="CP065",
        slug="etcd-peer-auto-tls",
        title="etcd uses self-signed peer certificates",
        severity=H,
        check=bool_flag_check("peer-auto-tls", want=False, default=False),
        compliance=cis("2.6"),
        what="Flags an etcd with `--peer-auto-tls=true`.",
        why="Self-signed peer certificates cannot be verified; a rogue member could join.",
        example="command:\n  - etcd\n  - --peer-auto-tls=true   # flagged",
        fix="Remove `--peer-auto-tls` and set `--peer-cert-file` and `--peer-key-file`.",
    ),
    _rule(
        code="CP066",
        slug="etcd-unique-ca",
        title="etcd trusts the cluster's general CA",
        severity=M,
        needs=("the API server's client CA (its static Pod or kubeadm ClusterConfiguration)",),
        check=_unique_ca,
        compliance=cis("2.7"),
        what="Flags an etcd without `--trusted-ca-file`, or whose `--trusted-ca-file` is the same file as an API "
        "server's `--client-ca-file` in the same scan. (CIS marks this Manual: a CA file with another name "
        "could still be the same CA.)",
        why="If etcd trusts the cluster CA, every client certificate that CA issued (kubelets, administrators) can "
        "talk to etcd directly and bypass the API server's authorization.",
        example="command:\n  - etcd\n  - --trusted-ca-file=/etc/kubernetes/pki/ca.crt   # the API server's client CA",
        fix="Give etcd its own CA (kubeadm uses /etc/kubernetes/pki/etcd/ca.crt) and set `--trusted-ca-file` to it.",
    ),
)
