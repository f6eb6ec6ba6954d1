"""The audit engine: dispatch, stages, burst windows with bounded memory, rule failures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kubeguard.engine import audit as engine_audit
from kubeguard.engine.audit import AuditEngine, BurstWindow, run_audit
from kubeguard.loading.config import parse_config
from kubeguard.model.audit import AuditEvent, NotAnEvent, RecordError, event_from_dict
from kubeguard.rules.audit import AuditContext, AuditRule, Burst, Outcome, on
from kubeguard.rules.rule import Severity


def ev(audit_id: str = "a", **fields: Any) -> AuditEvent:
    data: dict[str, Any] = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "auditID": audit_id,
        "stage": "ResponseComplete",
        "verb": "get",
        "user": {"username": "alice"},
        "objectRef": {"resource": "secrets", "namespace": "ns", "name": "s"},
        "responseStatus": {"code": 200},
        "stageTimestamp": "2026-12-01T10:00:00Z",
    }
    data.update(fields)
    return event_from_dict(data)


def rule(check: Any = None, **kw: Any) -> AuditRule:
    fields: dict[str, Any] = {
        "code": "AUD999",
        "slug": "test-rule",
        "title": "t",
        "severity": Severity.LOW,
        "on": on(verbs="get", resources="secrets", api_groups=""),
        "check": check or (lambda e, c: "hit"),
        "remediation": "r",
    }
    fields.update(kw)
    return AuditRule(**fields)


def test_check_runs_only_for_events_its_dispatch_admits():
    seen: list[str] = []

    def check(event: AuditEvent, ctx: AuditContext) -> str:
        seen.append(event.audit_id)
        return "hit"

    engine = AuditEngine([rule(check)])
    engine.feed(ev("match"))
    engine.feed(ev("other-verb", verb="list"))
    engine.feed(ev("other-resource", objectRef={"resource": "configmaps", "namespace": "ns"}))
    engine.feed(ev("subresource", objectRef={"resource": "secrets", "subresource": "status"}))
    engine.feed(ev("other-group", objectRef={"resource": "secrets", "apiGroup": "example.com"}))
    engine.feed(ev("failed", responseStatus={"code": 403}))
    engine.feed(ev("match-again"))
    assert seen == ["match", "match-again"]


def test_failed_requests_go_to_failed_outcome_rules_only():
    failed_rule = rule(on=on(verbs="get", resources="secrets", outcome=Outcome.FAILED))
    any_rule = rule(code="AUD998", slug="any", on=on(verbs="get", resources="secrets", outcome=Outcome.ANY))
    engine = AuditEngine([failed_rule, any_rule])
    assert [a.rule.code for a in engine.feed(ev("ok"))] == ["AUD998"]
    assert [a.rule.code for a in engine.feed(ev("no", responseStatus={"code": 404}))] == ["AUD999", "AUD998"]
    # 399 is not a failure, 400 is
    assert [a.rule.code for a in engine.feed(ev("b", responseStatus={"code": 399}))] == ["AUD998"]
    assert len(engine.feed(ev("c", responseStatus={"code": 400}))) == 2


def test_stages_judge_each_request_once():
    engine = AuditEngine([rule()])
    assert engine.feed(ev("r", stage="RequestReceived")) == ()
    assert len(engine.feed(ev("w", stage="ResponseStarted"))) == 1
    assert engine.feed(ev("w", stage="ResponseComplete")) == ()
    # a request never seen at ResponseStarted is judged at ResponseComplete, and a stage-less one as it comes
    assert len(engine.feed(ev("x", stage="ResponseComplete"))) == 1
    assert len(engine.feed(ev("y", stage=None))) == 1
    assert len(engine.feed(ev("p", stage="Panic"))) == 1


def test_open_requests_are_bounded(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(engine_audit, "MAX_OPEN", 3)
    engine = AuditEngine([rule()])
    for i in range(10):
        engine.feed(ev(f"s{i}", stage="ResponseStarted"))
    assert len(engine._open) == 3
    # the oldest were forgotten: their completion is judged again, the newest's is not
    assert len(engine.feed(ev("s0", stage="ResponseComplete"))) == 1
    assert engine.feed(ev("s9", stage="ResponseComplete")) == ()


def burst_rule(threshold: int = 3, window: float = 10, max_keys: int = 100) -> AuditRule:
    return rule(
        burst=Burst(
            key=lambda e: e.user.username,
            threshold=threshold,
            window=window,
            message="{count} reads by {key} within {window}s",
            max_keys=max_keys,
        )
    )


def at(second: int, user: str = "alice", audit_id: str = "") -> AuditEvent:
    return ev(
        audit_id or f"{user}-{second}",
        user={"username": user},
        stageTimestamp=f"2026-12-01T10:00:{second:02d}Z",
    )


def test_burst_alerts_once_per_burst_within_the_window():
    engine = AuditEngine([burst_rule()])
    alerts = [a for s in (0, 1, 2, 3, 4) for a in engine.feed(at(s))]
    assert [a.event.audit_id for a in alerts] == ["alice-2"]
    assert alerts[0].message == "3 reads by alice within 10s"
    # 3 and 4 start a new burst; 5 completes it
    assert [a.event.audit_id for a in engine.feed(at(5))] == ["alice-5"]


def test_burst_forgets_events_older_than_the_window():
    engine = AuditEngine([burst_rule(window=10)])
    assert [a for s in (0, 5, 15, 26, 37) for a in engine.feed(at(s))] == []
    assert len(engine.feed(at(38))) == 0
    assert len(engine.feed(at(39))) == 1  # 37, 38, 39


def test_burst_keys_are_counted_apart_and_bounded():
    window = BurstWindow(
        Burst(key=lambda e: e.user.username, threshold=2, window=60, message="m", max_keys=2)
    )
    assert window.observe(at(0, "a")) is None
    assert window.observe(at(1, "b")) is None
    assert window.observe(at(2, "c")) is None  # evicts "a", the least recently seen
    assert len(window) == 2
    assert window.observe(at(3, "a")) is None  # "a" starts again
    assert window.observe(at(4, "c")) == "m"


def test_a_failing_rule_is_reported_and_the_stream_goes_on():
    def broken(event: AuditEvent, ctx: AuditContext) -> str:
        raise KeyError("boom")

    report = run_audit(
        [ev("1", stageTimestamp="x"), RecordError("f:2", "bad"), ev("3")],
        [rule(broken), rule(code="AUD998", slug="ok")],
    )
    assert report.summary.events == 2
    assert [a.event.audit_id for a in report.alerts] == ["1", "3"]
    assert [str(e) for e in report.errors] == [
        "f:2: bad",
        "rule AUD999 failed on this event (KeyError)",
        "rule AUD999 failed on this event (KeyError)",
    ]
    assert report.summary.records_with_errors == 1
    assert report.summary.by_rule == {"AUD998": 2}


def test_event_fields_of_the_wrong_type_read_as_absent():
    event = event_from_dict(
        {
            "auditID": 5,
            "verb": "create",
            "user": {"username": ["x"], "groups": ["g", 7, None]},
            "impersonatedUser": "nobody",
            "sourceIPs": "1.2.3.4",
            "objectRef": ["pods"],
            "responseStatus": {"code": "403"},
            "annotations": {"a": 1, "b": "c"},
        }
    )
    assert (event.audit_id, event.user.username, event.user.groups) == ("", "", ("g",))
    assert event.impersonated_user is None and event.source_ips == () and event.resource == ""
    assert event.code is None and not event.failed
    assert dict(event.annotations) == {"b": "c"}
    assert event_from_dict({"verb": "get", "auditID": "a", "responseStatus": {"code": True}}).code is None


@pytest.mark.parametrize(
    "data", [[], "text", {"kind": "EventList", "items": []}, {"auditID": "a"}, {"verb": "get"}]
)
def test_records_that_are_no_event_are_refused(data: Any):
    with pytest.raises(NotAnEvent):
        event_from_dict(data)


def test_v1beta1_timestamp_and_time_parsing():
    old = event_from_dict(
        {
            "apiVersion": "audit.k8s.io/v1beta1",
            "auditID": "a",
            "verb": "get",
            "timestamp": "2019-01-01T00:00:00Z",
        }
    )
    assert old.time == "2019-01-01T00:00:00Z" and old.epoch == 1546300800.0
    nine_utc = dt.datetime(2026, 12, 1, 9, 0, 0, 500000, tzinfo=dt.UTC).timestamp()
    assert ev(stageTimestamp="2026-12-01T10:00:00.5+01:00").epoch == nine_utc
    assert ev(stageTimestamp="yesterday").epoch == 0.0


def test_user_views():
    sa = ev(user={"username": "system:serviceaccount:shop:web"}).user
    assert sa.service_account == ("shop", "web") and not sa.is_anonymous
    anon = ev(user={"username": "system:anonymous", "groups": ["system:unauthenticated"]}).user
    assert anon.is_anonymous and anon.service_account is None


def test_a_user_gated_rule_sees_only_the_users_its_test_admits_asked_once_per_username():
    asked: list[str] = []

    def admits(username: str, ctx: AuditContext) -> bool:
        asked.append(username)
        return username.startswith("a")

    engine = AuditEngine([rule(users=admits)])
    hits = [
        a.event.audit_id
        for i, user in enumerate(["alice", "bob", "alice", "ann", "bob", ""])
        for a in engine.feed(ev(f"e{i}", user={"username": user}))
    ]
    assert hits == ["e0", "e2", "e3"]
    assert asked == ["alice", "bob", "ann", ""]


def test_a_rule_its_configuration_turns_off_is_left_out_and_counted():
    off = rule(code="AUD998", enabled=lambda ctx: ctx.setting("allEvents") is True)
    report = run_audit([ev("a")], [rule(), off], AuditContext())
    assert [a.rule.code for a in report.alerts] == ["AUD999"]
    assert (report.summary.rules, report.summary.rules_off) == (1, 1)
    on_now = AuditContext(parse_config({"audit": {"allEvents": True}}, "t"))
    report = run_audit([ev("a")], [rule(), off], on_now)
    assert [a.rule.code for a in report.alerts] == ["AUD999", "AUD998"]
    assert (report.summary.rules, report.summary.rules_off) == (2, 0)


@pytest.mark.parametrize(
    ("user", "anonymous"),
    [
        ({"username": "system:anonymous", "groups": ["system:unauthenticated"]}, True),
        ({"username": "proxy-user", "groups": ["system:unauthenticated"]}, True),
        ({"username": "system:anonymous"}, True),
        ({"username": "alice", "groups": ["system:authenticated"]}, False),
        ({"username": "alice", "groups": "system:unauthenticated"}, False),  # not a list: no groups
        (None, False),
    ],
)
def test_dispatch_on_anonymity(user: Any, anonymous: bool):
    anon_rule = rule(on=on(verbs="get", resources="secrets", api_groups="", anonymous=True))
    named_rule = rule(code="AUD998", on=on(verbs="get", resources="secrets", api_groups="", anonymous=False))
    engine = AuditEngine([anon_rule, named_rule])
    codes = [a.rule.code for a in engine.feed(ev("a", user=user))]
    assert codes == (["AUD999"] if anonymous else ["AUD998"])


def test_dispatch_on_impersonation():
    engine = AuditEngine([rule(on=on(verbs="get", resources="secrets", api_groups="", impersonated=True))])
    assert len(engine.feed(ev("a", impersonatedUser={"username": "bob"}))) == 1
    assert engine.feed(ev("b")) == ()
    assert engine.feed(ev("c", impersonatedUser="bob")) == ()  # not an object: not impersonation


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"responseStatus": {"code": 403}},
        {"responseStatus": {"code": 399}},
        {"responseStatus": {}},
        {"user": {"username": "system:anonymous"}},
        {"user": {"username": "proxy", "groups": ["system:unauthenticated"]}},
        {"user": None},
        {"impersonatedUser": {"username": "bob"}},
        {"objectRef": {"resource": "pods", "subresource": "exec", "apiGroup": ""}},
    ],
)
def test_dispatch_key_agrees_with_the_properties_it_writes_out(fields: dict[str, Any]):
    event = ev("a", **fields)
    key = event.dispatch_key()
    assert key == (
        event.verb,
        event.api_group,
        event.resource,
        event.subresource,
        event.failed,
        event.anonymous,
        event.impersonated,
    )
