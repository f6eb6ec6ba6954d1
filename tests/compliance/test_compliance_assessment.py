"""The assessment API: control status, findings, suppressions and the score, on real scans."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kubeguard.api import scan
from kubeguard.compliance import Control, Framework
from kubeguard.findings.compliance import (
    ControlResult,
    ControlStatus,
    FrameworkAssessment,
    UnknownFramework,
    assess,
    assess_all,
    find_framework,
)
from kubeguard.rules.context import ScanOptions

POD = """
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: ns
  annotations: {annotations}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        readOnlyRootFilesystem: {ro}
"""


def pod(name: str, ro: str, annotations: str = "{}") -> str:
    return POD.format(name=name, ro=ro, annotations=annotations)


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "in.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return str(path)


FW = Framework(
    "test-fw",
    "Test framework",
    (
        Control("test-fw", "A", "Root filesystem read-only", ("WKL001",)),
        Control("test-fw", "B", "API server anonymous auth off", ("CP001",)),
        Control("test-fw", "C", "Both", ("WKL001", "CP001")),
        Control("test-fw", "D", "Read the runbook", (), manual="Check the incident runbook exists."),
        Control("test-fw", "E", "Physical security", (), not_covered="Not visible in manifests."),
        Control("test-fw", "F", "Read-only and deselected", ("WKL001", "WKL002")),
    ),
    "1.0",
)


def by_id(assessment: FrameworkAssessment, cid: str) -> ControlResult:
    return next(c for c in assessment.controls if c.id == cid)


def test_failed_rule_fails_control_with_its_findings(tmp_path: Path) -> None:
    path = write(tmp_path, pod("ro", "true") + "---" + pod("rw", "false"))
    a = assess(scan(path, select=["WKL001", "CP001"], config=None), FW)
    a_ctl = by_id(a, "A")
    assert a_ctl.status is ControlStatus.FAIL
    assert [f.object.name for f in a_ctl.findings] == ["rw"]
    assert a_ctl.rules == ("WKL001",)
    # C fails too: a failure of any evidencing rule fails the control, whatever the others did.
    assert by_id(a, "C").status is ControlStatus.FAIL


def test_rule_judging_objects_without_failure_passes(tmp_path: Path) -> None:
    path = write(tmp_path, pod("a", "true") + "---" + pod("b", "true"))
    a = assess(scan(path, select=["WKL001", "CP001"], config=None), FW)
    assert by_id(a, "A").status is ControlStatus.PASS
    assert by_id(a, "A").findings == ()


def test_rule_with_nothing_in_scope_is_no_evidence(tmp_path: Path) -> None:
    path = write(tmp_path, pod("a", "true"))
    a = assess(scan(path, select=["WKL001", "CP001"], config=None), FW)
    b = by_id(a, "B")
    assert b.status is ControlStatus.NOT_ASSESSED
    assert b.detail is not None and "CP001" in b.detail
    # C: WKL001 passed but CP001 judged nothing, so C has no full evidence.
    assert by_id(a, "C").status is ControlStatus.NOT_ASSESSED


def test_a_rule_switched_off_by_the_settings_is_named_so_not_as_out_of_scope(tmp_path: Path) -> None:
    # at restricted from v1.22, PSS018 replaces the baseline capabilities rule PSS003: with a pod in
    # the input, PSS003 is off, not short of objects (a user read "no object in scope" beside 35
    # workloads); at baseline it judges the pod
    fw = Framework(
        "t",
        "T",
        (Control("t", "base", "Capabilities", ("PSS003",)), Control("t", "rest", "Drop all", ("PSS018",))),
        "1",
    )
    path = write(tmp_path, pod("a", "true"))
    restricted = scan(path, select=["PSS003", "PSS018"], config=None)
    assert restricted.switched_off == frozenset({"PSS003"})
    caps = by_id(assess(restricted, fw), "base")
    assert caps.status is ControlStatus.NOT_ASSESSED
    assert caps.detail == "switched off by this scan's settings: PSS003"
    assert by_id(assess(restricted, fw), "rest").status is ControlStatus.FAIL
    baseline = scan(path, select=["PSS003", "PSS018"], config=None, options=ScanOptions(pss_level="baseline"))
    assert baseline.switched_off == frozenset({"PSS018"})
    assert by_id(assess(baseline, fw), "rest").detail == "switched off by this scan's settings: PSS018"
    assert by_id(assess(baseline, fw), "base").status is ControlStatus.PASS


def test_manual_text_and_rule_notes_read_as_sentences(tmp_path: Path) -> None:
    fw = Framework(
        "t",
        "T",
        (
            Control("t", "run", "Watched", ("WKL001", "AUD016"), manual="Watch at run time."),
            Control("t", "off", "Partly manual", ("CP001",), manual="Check the flags"),
        ),
        "1",
    )
    a = assess(scan(write(tmp_path, pod("a", "true")), select=["WKL001", "CP001"], config=None), fw)
    # a sentence, then the rules that did not run ('run time.; not run' before)
    assert by_id(a, "run").detail == "Watch at run time. Not run in this scan: AUD016"
    assert by_id(a, "off").detail == "Check the flags; no object in scope for CP001"


def test_manual_and_not_covered_carry_their_text(tmp_path: Path) -> None:
    a = assess(scan(write(tmp_path, pod("a", "true")), select=["WKL001"], config=None), FW)
    d, e = by_id(a, "D"), by_id(a, "E")
    assert (d.status, d.detail, d.rules) == (ControlStatus.MANUAL, "Check the incident runbook exists.", ())
    assert (e.status, e.detail) == (ControlStatus.NOT_COVERED, "Not visible in manifests.")


def test_rule_not_run_is_not_required_but_named(tmp_path: Path) -> None:
    a = assess(scan(write(tmp_path, pod("a", "true")), select=["WKL001"], config=None), FW)
    f = by_id(a, "F")
    assert f.status is ControlStatus.PASS
    assert f.detail is not None and "WKL002" in f.detail
    # B: its only rule did not run at all.
    b = by_id(a, "B")
    assert b.status is ControlStatus.NOT_ASSESSED and "not run" in (b.detail or "")


def test_suppressed_finding_is_listed_but_does_not_fail(tmp_path: Path) -> None:
    ann = '{"ignore.kubeguard.io/WKL001": "read-only root breaks the legacy app"}'
    path = write(tmp_path, pod("a", "true") + "---" + pod("rw", "false", ann))
    a = assess(scan(path, select=["WKL001"], config=None), FW)
    ctl = by_id(a, "A")
    assert ctl.status is ControlStatus.PASS
    assert [(f.object.name, f.suppressed) for f in ctl.findings] == [("rw", True)]
    assert ctl.active_findings == []


def test_score_counts_passed_over_judged(tmp_path: Path) -> None:
    path = write(tmp_path, pod("rw", "false"))
    # A fails, C fails (WKL001), F fails, B not assessed, D manual, E not covered.
    a = assess(scan(path, select=["WKL001", "CP001"], config=None), FW)
    assert a.counts() == {"pass": 0, "fail": 3, "not-assessed": 1, "manual": 1, "not-covered": 1}
    assert a.score == 0.0
    ok = assess(scan(write(tmp_path, pod("a", "true")), select=["WKL001"], config=None), FW)
    # A, C and F pass on WKL001 alone (CP001 and WKL002 did not run); B has no rule that ran.
    assert (ok.passed, ok.failed, ok.score) == (3, 0, 100.0)
    assert by_id(ok, "B").status is ControlStatus.NOT_ASSESSED
    two = Framework("t", "t", (FW.controls[0], Control("t", "G", "g", ("WKL002",))))
    high_uid = "readOnlyRootFilesystem: false\n        runAsUser: 20000"
    mixed = write(tmp_path, pod("rw", "false").replace("readOnlyRootFilesystem: false", high_uid))
    m = assess(scan(mixed, select=["WKL001", "WKL002"], config=None), two)
    assert (m.passed, m.failed, m.score) == (1, 1, 50.0)


def test_score_is_none_when_nothing_judged(tmp_path: Path) -> None:
    a = assess(scan(write(tmp_path, pod("a", "true")), select=["CP001"], config=None), FW)
    assert a.passed == a.failed == 0
    assert a.score is None
    assert a.to_dict()["score"] is None


def test_rule_claiming_a_control_evidences_it(tmp_path: Path) -> None:
    # WKL010 names CIS 5.1.6 in its own Rule.compliance: the assessment counts it even when a
    # framework's control does not list it.
    fw = Framework("cis-1.12", "CIS", (Control("cis-1.12", "5.1.6", "tokens", ()),))
    a = assess(scan(write(tmp_path, pod("a", "true")), select=["WKL010"], config=None), fw)
    assert a.controls[0].rules == ("WKL010",)
    assert a.controls[0].status is ControlStatus.FAIL


def test_json_shape(tmp_path: Path) -> None:
    a = assess(scan(write(tmp_path, pod("rw", "false")), select=["WKL001"], config=None), FW)
    doc = a.to_dict()
    assert doc["framework"] == {"id": "test-fw", "title": "Test framework", "version": "1.0"}
    assert set(doc["controls"][0]) == {"id", "title", "status", "rules", "findings", "detail"}
    finding = doc["controls"][0]["findings"][0]
    assert finding["rule"] == "WKL001" and finding["resource"]["name"] == "rw"
    assert finding == a.controls[0].findings[0].to_dict()


def test_bundled_frameworks_by_id_and_alias(tmp_path: Path) -> None:
    assert find_framework("MITRE").id == "mitre-attack"
    assert find_framework("cis-1.12").id == "cis-1.12"
    with pytest.raises(UnknownFramework):
        find_framework("nope")
    report = scan(write(tmp_path, pod("rw", "false")), config=None)
    results = {a.framework.id: a for a in assess_all(report)}
    assert "cis-1.12" in results
    assert by_id(results["cis-1.12"], "5.6.3").status is ControlStatus.FAIL


HOST_PID_POD = """
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  hostPID: true
  containers:
    - name: app
      image: nginx:1.27
"""


def test_a_rule_judging_several_fields_fails_only_the_control_of_its_field(tmp_path: Path) -> None:
    # PSS001 judges hostPID, hostIPC and hostNetwork; CIS has 5.2.3, 5.2.4 and 5.2.5 for them.
    a = assess(scan(write(tmp_path, HOST_PID_POD), select=["PSS001"], config=None), "cis-1.12")
    assert by_id(a, "5.2.3").status is ControlStatus.FAIL
    assert [f.pointer for f in by_id(a, "5.2.3").findings] == ["/spec/hostPID"]
    assert by_id(a, "5.2.4").status is ControlStatus.PASS
    assert by_id(a, "5.2.5").status is ControlStatus.PASS
