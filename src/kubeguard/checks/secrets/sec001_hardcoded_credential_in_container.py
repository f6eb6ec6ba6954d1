"""Credential hard-coded in a container's environment, command or arguments.

## What it does
Looks at every container, init container and ephemeral container of a workload: `env[].value`,
`command`, `args`, the `exec` commands of probes and lifecycle hooks, and `httpGet` probe headers.
It flags

- well-known token formats anywhere in a value: AWS access key IDs, GitHub (`ghp_`, `gho_`,
  `ghs_`, `github_pat_`), GitLab (`glpat-`), Slack (`xox*-`, webhooks), Stripe, Google API keys,
  Azure storage keys and SAS signatures, npm/PyPI/SendGrid/Vault tokens, private key PEM blocks
  (also base64-encoded, as in a kubeconfig's `client-key-data`), docker config `auths`, JSON Web
  Tokens (named as Kubernetes service account tokens when they are), HTTP `Bearer`/`Basic` credentials;
- URLs with an inline password (`postgres://app:...@db`, `redis://:...@cache`, `amqp://...`);
- `password=`, `token=`, `secret:` style assignments (`--db-password=...`, `export TOKEN=...`) and
  an argument that follows a credential flag (`--token <value>`);
- env vars named like a credential (`*_PASSWORD`, `*_TOKEN`, `*_SECRET`, `*_API_KEY`,
  `AWS_SECRET_ACCESS_KEY`, ...) holding a literal value.

A value found only through its name must look like a real secret: placeholders (`changeme`,
`${VAR}`, `$(VAR)`, `{{ .Values.x }}`, `<redacted>`, `xxx`, anything with `example`, empty),
references (`valueFrom`, paths, URLs, secret-store references, names such as `my-tls-secret`),
plain words and numbers are not flagged. Messages show the kind of credential and a redacted
hint (at most its first 4 characters and its length), never the value.

Your own placeholder conventions can be added in `.kubeguard.yaml`; they apply to SEC001-SEC004
(regular expressions matched against the whole value, case-insensitively):
```yaml
secrets:
  placeholders: ["TBD-[A-Za-z0-9]{6,8}", "VAULT_INJECTED_[A-Z_]+"]
```

## Why it matters
A value in a pod spec is readable by everyone who can read the workload (`get deployments` is a
common, harmless-looking permission), is copied into every ReplicaSet and into the
`last-applied-configuration` annotation, shows in `kubectl describe`, and lives forever in the Git
history of the manifests. Rotating it means editing and redeploying every manifest that holds it.

## Example
```yaml
containers:
  - name: app
    image: registry.example.com/app:1.4.2
    args: ["--db-url=postgres://app:S3cr3t-pa55@db:5432/app"]   # flagged
    env:
      - name: STRIPE_API_KEY
        value: "sk_live_..."                                  # flagged
      - name: DB_PASSWORD
        valueFrom:                                            # not flagged (a reference)
          secretKeyRef: {name: db, key: password}
```

## Fix
Move the value into a Secret (created out of band, or from a SealedSecret, an ExternalSecret or a
SOPS-encrypted file) and reference it: mount it as a file, or use `valueFrom.secretKeyRef`. Then
rotate the credential: it is in the repository history.

## References
- https://kubernetes.io/docs/concepts/configuration/secret/
- https://kubernetes.io/docs/concepts/security/secrets-good-practices/
- CIS Kubernetes Benchmark 5.4.2 (consider external secret storage)
- MITRE ATT&CK T1552.001 (unsecured credentials: credentials in files)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubeguard.analyzers.secrets.detect import MIN_LENGTH, DetectionKeys, scan_arguments, scan_named
from kubeguard.analyzers.secrets.settings import SecretSettings, secret_settings
from kubeguard.checks.secrets._common import container_label
from kubeguard.model.workload import Container, Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation

# Handlers that may run a command or send headers: lifecycle hooks and probes.
_HANDLERS: tuple[tuple[str, ...], ...] = (
    ("lifecycle", "postStart"),
    ("lifecycle", "preStop"),
    ("livenessProbe",),
    ("readinessProbe",),
    ("startupProbe",),
)


def _arguments(
    c: Container, path: tuple[str, ...], values: list[Any], cfg: SecretSettings, keys: DetectionKeys
) -> Iterator[Violation]:
    for i, d in scan_arguments(values, cfg.memo):
        at = c.pointer.join(*path, i)
        key = keys(d, at)
        if cfg.is_placeholder(d.value):
            continue
        yield Violation(f"{container_label(c)}: {'.'.join(path)}[{i}] holds {d.describe()}", at=at, key=key)


def _handler(
    c: Container, path: tuple[str, ...], handler: dict[str, Any], cfg: SecretSettings, keys: DetectionKeys
) -> Iterator[Violation]:
    exec_ = handler.get("exec")
    if isinstance(exec_, dict) and isinstance(exec_.get("command"), list):
        yield from _arguments(c, (*path, "exec", "command"), exec_["command"], cfg, keys)
    http = handler.get("httpGet")
    headers = http.get("httpHeaders") if isinstance(http, dict) else None
    if not isinstance(headers, list):
        return
    for i, h in enumerate(headers):
        if isinstance(h, dict) and isinstance(h.get("name"), str) and isinstance(h.get("value"), str):
            at = c.pointer.join(*path, "httpGet", "httpHeaders", i, "value")
            for d in scan_named(h["name"], h["value"], cfg.memo):
                key = keys(d, at)
                if cfg.is_placeholder(d.value):
                    continue
                yield Violation(
                    f"{container_label(c)}: {'.'.join(path)} HTTP header {h['name']!r} holds {d.describe()}",
                    at=at,
                    key=key,
                )


def check_container(c: Container, cfg: SecretSettings) -> Iterator[Violation]:
    raw = c.raw
    keys = DetectionKeys()
    env = raw.get("env")
    for i, e in enumerate(env if isinstance(env, list) else ()):
        if not isinstance(e, dict):
            continue
        value = e.get("value")
        if not isinstance(value, str) or len(value) < MIN_LENGTH or "valueFrom" in e:
            continue  # short values (ports, levels, flags) hold no credential worth the scan
        name = e.get("name")
        if isinstance(name, str):
            at = c.pointer.join("env", i, "value")
            for d in scan_named(name, value, cfg.memo):
                key = keys(d, at)
                if cfg.is_placeholder(d.value):
                    continue
                yield Violation(
                    f"{container_label(c)}: env var {name!r} holds {d.describe()}", at=at, key=key
                )
    for field in ("command", "args"):
        values = raw.get(field)
        if isinstance(values, list) and values:
            yield from _arguments(c, (field,), values, cfg, keys)
    for path in _HANDLERS:
        handler: Any = raw
        for part in path:
            handler = handler.get(part) if isinstance(handler, dict) else None
        if isinstance(handler, dict) and ("exec" in handler or "httpGet" in handler):
            yield from _handler(c, path, handler, cfg, keys)


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    cfg = secret_settings(ctx).validated()
    for c in workload.containers():
        yield from check_container(c, cfg)


RULE = Rule(
    code="SEC001",
    slug="hardcoded-credential-in-container",
    title="Credential hard-coded in a container's env, command or args",
    severity=Severity.HIGH,
    applies_to=WORKLOADS,
    check=check,
    remediation=(
        "Keep the value in a Secret (from a SealedSecret, an ExternalSecret or a SOPS-encrypted file), "
        "mount it as a file or reference it with valueFrom.secretKeyRef, and rotate the credential."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
        "https://kubernetes.io/docs/concepts/configuration/secret/",
    ),
)
