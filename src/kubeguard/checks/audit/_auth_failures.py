"""One template for the AUD rules that count refused requests (401 and 403) in a sliding window:
AUD062 per client address, AUD063 per user. They count the same events and differ only in the key
a burst is counted under.
"""

from __future__ import annotations

from collections.abc import Callable

from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, Burst, Outcome, on
from kubeguard.rules.rule import Severity

#: The ``audit`` setting both rules read: users whose refusals are not counted.
ALLOWED_USERS = "authFailureAllowedUsers"


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.code not in (401, 403) or event.user.username in ctx.allow_list(ALLOWED_USERS):
        return None
    return "refused"


def auth_failures_rule(
    *,
    code: str,
    slug: str,
    title: str,
    key: Callable[[AuditEvent], str],
    key_name: str,
    aliases: tuple[str, ...],
) -> AuditRule:
    """A rule alerting on 10 refusals within 10 minutes with the same ``key`` (named ``key_name``
    in the alert)."""
    return AuditRule(
        code=code,
        slug=slug,
        title=title,
        severity=Severity.MEDIUM,
        on=on(subresources=None, outcome=Outcome.FAILED),
        check=check,
        remediation="Find the client behind the failures; fix its access or block and revoke it.",
        references=("https://kubernetes.io/docs/reference/access-authn-authz/authorization/",),
        compliance={"mitre-attack": ("T1110", "T1069")},
        aliases=aliases,
        burst=Burst(
            key=key,
            threshold=10,
            window=600,
            message=f"{{count}} requests refused (401/403) within {{window}} s for {key_name} {{key}}",
        ),
    )
