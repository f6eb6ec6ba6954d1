"""Every AUD rule against its fixtures, in every input format: exactly the ``fail-`` events alert, once each."""

from __future__ import annotations

import pytest

from kubeguard.engine.registry import all_audit_rules
from tests.auditkit import (
    EXPECT_MESSAGE,
    FAITHFUL,
    FORMATS,
    AuditCaseRun,
    case_dir,
    case_files,
    run_rule_in_format,
    run_rule_on_file,
)

CASES = [
    (rule, path)
    for rule in all_audit_rules()
    if (folder := case_dir(rule)) is not None
    for path in case_files(folder)
]


def check_run(rule, path, run: AuditCaseRun, messages: bool) -> None:
    ids = {e["auditID"] for e in run.events}
    expected = {i for i in ids if i.startswith("fail-")}
    assert expected, f"{path} has no fail- events"
    alerted = run.alerted()
    assert set(alerted) == expected, (
        f"{rule.code} on {path.name}: missed {sorted(expected - set(alerted))}, "
        f"wrongly alerted {sorted(set(alerted) - expected)}"
    )
    twice = sorted(i for i, n in alerted.items() if n > 1)
    assert not twice, f"{rule.code} on {path.name}: alerted more than once on {twice}"
    if not messages:
        return
    wanted = {
        e["auditID"]: e["annotations"][EXPECT_MESSAGE]
        for e in run.events
        if EXPECT_MESSAGE in (e.get("annotations") or {})
    }
    for alert in run.report.alerts:
        if alert.event.audit_id in wanted:
            assert wanted[alert.event.audit_id] in alert.message, (alert.event.audit_id, alert.message)


@pytest.mark.parametrize(("rule", "path"), [pytest.param(r, p, id=f"{r.code}-{p.name}") for r, p in CASES])
def test_audit_rule_alerts_on_exactly_the_fail_events(rule, path):
    check_run(rule, path, run_rule_on_file(rule, path), messages=True)


@pytest.mark.parametrize(
    ("rule", "path", "fmt"),
    [pytest.param(r, p, f, id=f"{r.code}-{p.name}-{f}") for r, p in CASES for f in FORMATS],
)
def test_audit_rule_alerts_the_same_in_every_input_format(rule, path, fmt):
    run = run_rule_in_format(rule, path, fmt)
    if not any(e["auditID"].startswith("fail-") for e in run.events):
        pytest.skip(f"no fail- event of {path.name} can be written in {fmt} (test.kubeguard.io/not-in)")
    check_run(rule, path, run, messages=fmt in FAITHFUL)
