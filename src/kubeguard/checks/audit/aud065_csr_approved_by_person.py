"""Certificate request approved by someone other than the controllers.

## What it does
Alerts when the approval of a CertificateSigningRequest is set (`update` or `patch` on
`certificatesigningrequests/approval`, accepted) by a user not in `audit.csrApprovers` (names or
globs; default: the controller manager, `system:kube-controller-manager`, its
`system:serviceaccount:kube-system:certificate-controller`, and EKS's `eks:certificate-controller`).
A request whose logged body shows only a `Denied` condition is not alerted on; when the body was
not logged, any change of the approval is reported.

## Why it matters
In a healthy cluster the controllers approve the kubelets' certificates and nothing else gets
approved without a reason. A person (or a stolen service account with `approve` on a signer)
approving a request is how a client certificate for `system:masters` gets signed: a credential that
cannot be revoked.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "update",
 "user": {"username": "mallory"},
 "objectRef": {"resource": "certificatesigningrequests", "name": "me", "subresource": "approval",
               "apiGroup": "certificates.k8s.io", "apiVersion": "v1"},
 "responseStatus": {"code": 200},
 "requestObject": {"kind": "CertificateSigningRequest",
   "spec": {"signerName": "kubernetes.io/kube-apiserver-client", "groups": ["system:masters"]},
   "status": {"conditions": [{"type": "Approved", "status": "True", "reason": "KubectlApprove"}]}}}
```

## Fix
Check what was signed (`kubectl get csr NAME -o yaml`: signer, requested groups); a signed client
certificate stays valid until it expires, so remove every binding of the identity it names. Add
expected approvers (an operator that approves its own certificates) to `audit.csrApprovers`.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#approval-rejection
- MITRE ATT&CK T1098 Account Manipulation, T1078 Valid Accounts
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._names import target_name
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

APPROVERS = "csrApprovers"
DEFAULT_APPROVERS = (
    "system:kube-controller-manager",
    "system:serviceaccount:kube-system:certificate-controller",
    "eks:certificate-controller",
)


def _conditions(obj: object) -> list[str]:
    status = obj.get("status") if isinstance(obj, dict) else None
    items = status.get("conditions") if isinstance(status, dict) else None
    if not isinstance(items, list):
        return []
    return [str(c.get("type")) for c in items if isinstance(c, dict)]


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.user.username in ctx.allow_list(APPROVERS, DEFAULT_APPROVERS):
        return None
    obj = event.request_object
    conditions = _conditions(obj)
    if conditions and "Approved" not in conditions:
        return None  # a denial
    spec = obj.get("spec") if isinstance(obj, dict) else None
    details = []
    if isinstance(spec, dict):
        if isinstance(spec.get("signerName"), str):
            details.append(f"signer {spec['signerName']}")
        groups = spec.get("groups")
        if isinstance(groups, list) and groups:
            details.append("groups " + ", ".join(str(g) for g in groups))
    extra = f" ({'; '.join(details)})" if details else ""
    action = "approved" if conditions else "changed the approval of"
    return f"{who(event)} {action} certificate signing request {target_name(event) or '?'}{extra}"


RULE = AuditRule(
    code="AUD065",
    slug="csr-approved-by-person",
    title="Certificate request approved by someone other than the controllers",
    severity=Severity.HIGH,
    on=on(
        verbs=("update", "patch"),
        resources="certificatesigningrequests",
        subresources="approval",
        api_groups="certificates.k8s.io",
    ),
    check=check,
    remediation="Check what was signed; remove bindings of the identity a signed certificate names.",
    references=(
        "https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#approval-rejection",
    ),
    compliance={"mitre-attack": ("T1098", "T1078")},
)
