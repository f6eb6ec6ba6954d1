"""One template for the AUD rules about a node joining that is not in ``audit.trustedNodes``
(AUD048 accepted, AUD049 refused): Falco's two "Untrusted Node ... Join the Cluster" rules. Both are
off until the list is set, as Falco's ``allow_all_k8s_nodes`` macro leaves them.
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._names import target_name
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditCheck, AuditContext, AuditRule, Outcome, on
from kubeguard.rules.rule import Severity

#: The ``audit`` setting: node names or globs of the cluster's own nodes.
TRUSTED_NODES = "trustedNodes"


def untrusted_node_check(outcome: Outcome) -> AuditCheck:
    """Alert on a node creation whose name is not trusted; a refused one says its response code."""

    def check(event: AuditEvent, ctx: AuditContext) -> str | None:
        name = target_name(event)
        if name in ctx.allow_list(TRUSTED_NODES):
            return None
        if outcome is Outcome.FAILED:
            return (
                f"{who(event)} tried to register node {name or '?'}, not in audit.trustedNodes: "
                f"refused with {event.code}"
            )
        return f"{who(event)} registered node {name or '?'}, not in audit.trustedNodes"

    return check


def configured(ctx: AuditContext) -> bool:
    """Off until ``audit.trustedNodes`` lists a node, as Falco's ``allow_all_k8s_nodes`` leaves it."""
    return bool(ctx.allow_list(TRUSTED_NODES))


def untrusted_node_rule(
    *,
    code: str,
    slug: str,
    title: str,
    severity: Severity,
    outcome: Outcome,
    remediation: str,
    aliases: tuple[str, ...],
) -> AuditRule:
    """A rule on Node creations with ``outcome`` (accepted or refused) by an untrusted name."""
    return AuditRule(
        code=code,
        slug=slug,
        title=title,
        severity=severity,
        on=on(verbs="create", resources="nodes", api_groups="", outcome=outcome),
        check=untrusted_node_check(outcome),
        enabled=configured,
        remediation=remediation,
        references=(
            "https://kubernetes.io/docs/concepts/architecture/nodes/#self-registration-of-nodes",
            "https://kubernetes.io/docs/reference/access-authn-authz/bootstrap-tokens/",
        ),
        compliance={"mitre-attack": ("T1078",)},
        aliases=aliases,
    )
