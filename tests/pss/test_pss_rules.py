"""The PSS rules inside a scan: level/version selection, NOT_APPLICABLE, YAML 1.1 booleans."""

from __future__ import annotations

import textwrap

import pytest

from kubeguard.api import scan
from kubeguard.engine.registry import all_rules
from kubeguard.findings.report import Evaluation
from kubeguard.model.config import Config
from kubeguard.rules.context import OptionsError, ScanContext, ScanOptions

PSS_RULES = [r for r in all_rules() if r.family == "PSS" and r.code != "PSS019"]
RESTRICTED_ONLY = {"PSS013", "PSS014", "PSS015", "PSS016", "PSS017", "PSS018"}


def enabled_codes(level, version):
    ctx = ScanContext([], ScanOptions(pss_level=level, pss_version=version))
    return {r.code for r in PSS_RULES if r.is_enabled(ctx)}


def test_restricted_only_rules_are_not_applicable_at_baseline():
    assert enabled_codes("baseline", "latest") == {r.code for r in PSS_RULES} - RESTRICTED_ONLY


def test_overridden_baseline_rules_are_not_applicable_at_restricted():
    on = enabled_codes("restricted", "latest")
    assert {"PSS003", "PSS004", "PSS009"}.isdisjoint(on)
    assert on >= RESTRICTED_ONLY
    assert "PSS008" in on  # judged by procMount_restricted from v1.35


def test_version_gated_rules():
    assert "PSS012" not in enabled_codes("baseline", "v1.33")
    assert "PSS012" in enabled_codes("baseline", "v1.34")
    assert "PSS016" not in enabled_codes("restricted", "v1.22")
    assert "PSS014" not in enabled_codes("restricted", "v1.7")
    assert enabled_codes("privileged", "latest") == set()


def test_invalid_options_are_refused_not_evaluated_as_restricted_latest():
    with pytest.raises(OptionsError, match="pss_level"):
        enabled_codes("bogus", "latest")
    with pytest.raises(OptionsError, match="pss_version"):
        enabled_codes("baseline", "v0.1")


PRIV = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: {value}
"""


@pytest.mark.parametrize("spelling", ["yes", "Yes", "YES", "on", "On", "ON"])
def test_yaml11_true_is_caught_exactly_like_true(tmp_path, spelling):
    def findings(value):
        path = tmp_path / f"{value}.yaml"
        path.write_text(textwrap.dedent(PRIV).lstrip("\n").replace("{value}", value))
        report = scan([str(path)], select=["PSS002"], config=Config())
        return [(f.message, f.pointer, f.line) for f in report.findings]

    expected = findings("true")
    assert expected == [
        (
            'privileged (container "app" must not set securityContext.privileged=true)',
            "/spec/containers/0/securityContext/privileged",
            9,
        )
    ]
    assert findings(spelling) == expected


def test_scan_records_not_applicable_for_restricted_rules_at_baseline(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent(PRIV).replace("{value}", "false"))
    report = scan([str(path)], select=["PSS"], options=ScanOptions(pss_level="baseline"), config=Config())
    assert report.findings == []
    obj = next(iter(report.evaluations))[1]
    assert report.evaluations.get("PSS014", obj) == Evaluation.NOT_APPLICABLE
    assert report.evaluations.get("PSS002", obj) == Evaluation.PASS


def test_every_pss_rule_is_in_the_pss_framework():
    from kubeguard.compliance import frameworks

    mapped = {code for c in frameworks()["pss"].controls for code in c.rules}
    assert mapped == {r.code for r in all_rules() if r.family == "PSS"}
