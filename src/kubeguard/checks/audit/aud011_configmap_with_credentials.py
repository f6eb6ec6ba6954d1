"""ConfigMap created or changed with a credential in it.

## What it does
Alerts when a ConfigMap is created, replaced or patched (and accepted) and one of its `data` or
`binaryData` keys, or a `data` value, contains a credential word from `audit.credentialWords`
(default: Falco's `aws_access_key_id`, `aws-access-key-id`, `aws_s3_access_key_id`,
`aws-s3-access-key-id`, `password`, `passphrase`), in any letter case. The message names the key,
never the value.

## Why it matters
ConfigMaps are not secrets: anyone who may read them (often many users, and every pod that mounts
them) reads the credential, and they are not encrypted at rest. Credentials belong in Secrets.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "configmaps", "namespace": "shop", "name": "app", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "ConfigMap", "data": {"DB_PASSWORD": "..."}}}
```

## Fix
Move the value into a Secret, rotate the credential (it has been readable), and change the
workload to read the Secret.

## References
- https://kubernetes.io/docs/concepts/configuration/configmap/
- https://kubernetes.io/docs/concepts/configuration/secret/
- MITRE ATT&CK T1552.007 Container API
"""

from __future__ import annotations

from kubeguard.checks.audit._events import object_name, who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import SECTION, AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

CREDENTIAL_WORDS = "credentialWords"

#: Falco's ``contains_private_credentials`` words.
DEFAULT_WORDS = (
    "aws_access_key_id",
    "aws-access-key-id",
    "aws_s3_access_key_id",
    "aws-s3-access-key-id",
    "password",
    "passphrase",
)


def _words(ctx: AuditContext) -> tuple[str, ...]:
    value = ctx.config.section(SECTION).get(CREDENTIAL_WORDS)
    items = value if isinstance(value, list) else DEFAULT_WORDS
    return tuple(str(w).lower() for w in items if str(w))


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    obj = event.request_object
    if not isinstance(obj, dict):
        return None
    words = _words(ctx)
    found: list[str] = []
    for field in ("data", "binaryData"):
        data = obj.get(field)
        if not isinstance(data, dict):
            continue
        for key, value in data.items():
            texts = [str(key).lower()]
            if field == "data" and isinstance(value, str):
                texts.append(value.lower())
            hits = sorted({w for w in words for t in texts if w in t})
            if hits:
                found.append(f"{field}.{key} ({', '.join(hits)})")
    if not found:
        return None
    action = "created" if event.verb == "create" else "changed"
    return f"{who(event)} {action} configmap {object_name(event)} holding credentials: " + ", ".join(found)


RULE = AuditRule(
    code="AUD011",
    slug="configmap-with-credentials",
    title="ConfigMap created or changed with a credential in it",
    severity=Severity.MEDIUM,
    on=on(verbs=("create", "update", "patch"), resources="configmaps", api_groups=""),
    check=check,
    remediation="Move the credential into a Secret and rotate it.",
    references=(
        "https://kubernetes.io/docs/concepts/configuration/configmap/",
        "https://kubernetes.io/docs/concepts/configuration/secret/",
    ),
    compliance={"mitre-attack": ("T1552.007",)},
    aliases=("falco:Create/Modify Configmap With Private Credentials",),
)
