"""Rules that are off until configured, as their Falco counterparts are: without the setting no
event alerts, however suspicious; with it, the same events do (the case files prove the latter)."""

from __future__ import annotations

from typing import Any

import pytest

from kubeguard.engine.audit import AuditEngine, run_audit
from kubeguard.engine.registry import all_audit_rules
from kubeguard.loading.config import parse_config
from kubeguard.rules.audit import AuditContext
from tests.auditkit import audit_rule, run_rule_on_events


def _event(verb: str, resource: str, **extra: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "auditID": "x-1",
        "stage": "ResponseComplete",
        "verb": verb,
        "user": {"username": "kubernetes-admin"},
        "sourceIPs": ["185.220.101.1"],
        "objectRef": {"resource": resource, "name": "rogue-1", "apiVersion": "v1"},
        "responseStatus": {"code": 201},
        "stageTimestamp": "2026-12-01T10:00:00Z",
    }
    event.update(extra)
    return event


POD = {"kind": "Pod", "spec": {"containers": [{"name": "x", "image": "xmrig/xmrig:6.21"}]}}

# (rule, the setting that turns it on, an event it then alerts on)
OFF_BY_DEFAULT = [
    ("AUD005", {"allowedImages": ["ghcr.io/acme/*"]}, _event("create", "pods", requestObject=POD)),
    ("AUD045", {"allEvents": True}, _event("get", "configmaps")),
    ("AUD046", {"fullAdminUsers": ["kubernetes-admin"]}, _event("get", "pods")),
    ("AUD048", {"trustedNodes": ["ip-10-*"]}, _event("create", "nodes")),
    ("AUD049", {"trustedNodes": ["ip-10-*"]}, _event("create", "nodes", responseStatus={"code": 403})),
    ("AUD052", {"suspiciousSourceCidrs": ["185.220.101.0/24"]}, _event("get", "pods")),
]


@pytest.mark.parametrize(
    ("code", "setting", "event"), OFF_BY_DEFAULT, ids=[c for c, _s, _e in OFF_BY_DEFAULT]
)
def test_off_until_configured(code: str, setting: dict[str, Any], event: dict[str, Any]) -> None:
    rule = audit_rule(code)
    assert run_rule_on_events(rule, [event], AuditContext()).alerts == []
    configured = AuditContext(parse_config({"audit": setting}, "test.yaml"))
    assert [a.rule.code for a in run_rule_on_events(rule, [event], configured).alerts] == [code]


def test_the_rules_off_by_default_are_left_out_of_a_run_and_counted() -> None:
    engine = AuditEngine(all_audit_rules(), AuditContext())
    assert sorted(r.code for r in engine.off) == sorted(c for c, _s, _e in OFF_BY_DEFAULT)
    every_setting = {k: v for _c, setting, _e in OFF_BY_DEFAULT for k, v in setting.items()}
    switched_on = AuditEngine(
        all_audit_rules(), AuditContext(parse_config({"audit": every_setting}, "t.yaml"))
    )
    assert switched_on.off == ()
    report = run_audit([], all_audit_rules(), AuditContext())
    assert (report.summary.rules, report.summary.rules_off) == (len(all_audit_rules()) - 6, 6)


def test_all_events_off_when_set_false() -> None:
    ctx = AuditContext(parse_config({"audit": {"allEvents": False}}, "test.yaml"))
    assert run_rule_on_events(audit_rule("AUD045"), [_event("get", "pods")], ctx).alerts == []
