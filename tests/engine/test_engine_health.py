"""The engine's bookkeeping: counts per rule, one exceptions table per scan, a rule whose enabled()
raises, nothing shared that a caller could change, no raw value kept after a scan."""

from __future__ import annotations

import random
import sys
from collections import Counter

import pytest

from kubeguard.analyzers.secrets.detect import scan_text
from kubeguard.analyzers.secrets.settings import secret_settings
from kubeguard.engine import runner
from kubeguard.engine.runner import evaluate
from kubeguard.findings.report import Evaluation, EvaluationTable
from kubeguard.model.config import EMPTY_CONFIG, Config
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import ObjectRef, Resource, SourceLocation
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds


def pod(name: str, **spec_extra: object) -> Resource:
    raw = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}], **spec_extra},
    }
    return Resource(raw, SourceLocation(file=f"{name}.yaml"))


def config_map(name: str) -> Resource:
    raw = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {}}
    return Resource(raw, SourceLocation(file=f"{name}.yaml"))


def flag_all(view: object, ctx: ScanContext):
    yield Violation("flagged", Pointer(("metadata", "name")))


def rule(code: str, **kw: object) -> Rule:
    args: dict[str, object] = {
        "code": code,
        "slug": f"test-{code.lower()}",
        "title": "test",
        "severity": Severity.LOW,
        "applies_to": kinds("Pod"),
        "check": flag_all,
        "remediation": "none",
    }
    args.update(kw)
    return Rule(**args)  # type: ignore[arg-type]


def test_counts_match_a_cell_by_cell_count():
    codes = [f"R{i}" for i in range(7)]
    table = EvaluationTable(codes)
    rnd = random.Random(7)
    for i in range(300):
        table.add(ObjectRef("v1", "Pod", None, f"p{i}"), bytes(rnd.choice(range(4)) for _ in codes))
    expected = {code: Counter() for code in codes}
    for code, _obj, status in table:
        expected[code][status] += 1
    assert table.counts() == expected
    assert sum(table.counts()["R3"].values()) == 300


def test_counts_of_an_empty_table():
    assert EvaluationTable(["A1"]).counts() == {"A1": Counter()}


def test_a_rule_whose_enabled_raises_is_an_error_not_a_crash():
    def broken(ctx: ScanContext) -> bool:
        raise KeyError("missing setting")

    ctx = ScanContext([pod("a"), pod("b"), config_map("c")])
    report = evaluate(ctx, [rule("TST001", enabled=broken), rule("TST002")])
    assert {(c, o.name): e for c, o, e in report.evaluations if c == "TST001"} == {
        ("TST001", "a"): Evaluation.ERROR,
        ("TST001", "b"): Evaluation.ERROR,
        ("TST001", "c"): Evaluation.NOT_APPLICABLE,
    }
    assert [(e.rule, e.object.name) for e in report.rule_errors] == [("TST001", "a"), ("TST001", "b")]
    assert "enabled() raised KeyError: 'missing setting'" in report.rule_errors[0].message
    # the other rule ran as usual
    assert [f.object.name for f in report.findings if f.rule.code == "TST002"] == ["a", "b"]


def test_exceptions_are_built_once_per_scan(monkeypatch):
    built = []
    real = runner.Exceptions

    def counting(*args: object, **kw: object):
        built.append(1)
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "Exceptions", counting)
    evaluate(ScanContext([pod("a")]), [rule("TST001")])
    assert len(built) == 1


def test_shared_empty_values_are_read_only():
    workload = pod("a").workload
    assert workload is not None
    with pytest.raises(TypeError):
        workload.labels["app"] = "x"  # type: ignore[index]
    with pytest.raises(TypeError):
        workload.security_context["runAsUser"] = 0  # type: ignore[index]
    with pytest.raises(TypeError):
        EMPTY_CONFIG.sections["secrets"] = {}  # type: ignore[index]
    sections = {"secrets": {}}
    config = Config(sections=sections)
    sections["other"] = {}
    assert "other" not in config.sections


def test_scan_text_keeps_no_value_after_the_call():
    # Regression: an lru_cache kept every short scanned value (secrets included) for the life of
    # the process. Without a memo, nothing holds the text after the call.
    text = "".join(["postgres://admin:", "Zq8rT2vLx9", "@db:5432/app"])
    before = sys.getrefcount(text)
    assert scan_text(text)
    assert sys.getrefcount(text) == before


def test_the_scan_memo_lives_with_the_scan():
    ctx = ScanContext([])
    memo = secret_settings(ctx).memo
    text = "".join(["password=", "Zq8rT2vLx9wq"])
    assert scan_text(text, memo) == scan_text(text)
    assert text in memo
    assert secret_settings(ScanContext([])).memo == {}


def test_findings_at_one_field_are_kept_apart_by_their_key():
    def two_at_one_field(view: object, ctx: ScanContext):
        yield Violation("container a inherits it", Pointer(("spec", "securityContext")), key="container:a")
        yield Violation("container b inherits it", Pointer(("spec", "securityContext")), key="container:b")

    def unkeyed(view: object, ctx: ScanContext):
        yield Violation("one", Pointer(("spec", "securityContext")))

    report = evaluate(
        ScanContext([pod("a")]), [rule("TST001", check=two_at_one_field), rule("TST002", check=unkeyed)]
    )
    keyed = [f for f in report.findings if f.rule.code == "TST001"]
    assert len({f.fingerprint for f in keyed}) == 2
    assert [f.to_dict()["key"] for f in keyed] == ["container:a", "container:b"]
    # a finding without a key keeps the fingerprint it always had (rule, object, pointer)
    (plain,) = [f for f in report.findings if f.rule.code == "TST002"]
    assert plain.key is None
    import hashlib

    ident = "TST002||Pod|default|a|/spec/securityContext"
    assert plain.fingerprint == hashlib.sha256(ident.encode()).hexdigest()[:32]
