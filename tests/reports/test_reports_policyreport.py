"""``-f policyreport``: wg-policy PolicyReport / ClusterPolicyReport YAML, valid against the real CRD schema."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from kubeguard.api import scan
from kubeguard.cli.main import cli
from kubeguard.findings.report import Evaluation, ScanReport
from kubeguard.reporters import policyreport, render
from tests.reports.helpers import EXAMPLES, example_report, hostile_finding

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2026, 12, 3, 12, 0, 0, 123456, tzinfo=dt.UTC)


def _strict(schema: dict[str, Any]) -> dict[str, Any]:
    """The CRD schema as the API server applies it: fields it does not know are pruned, i.e. lost,
    so for this test an unknown field is an error (``additionalProperties: false`` on every object
    with declared properties, unless the schema keeps unknown fields)."""
    out = dict(schema)
    if "properties" in out:
        out["properties"] = {name: _strict(sub) for name, sub in out["properties"].items()}
        if "additionalProperties" not in out and not out.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
    if isinstance(out.get("items"), dict):
        out["items"] = _strict(out["items"])
    if isinstance(out.get("additionalProperties"), dict):
        out["additionalProperties"] = _strict(out["additionalProperties"])
    for key in ("allOf", "anyOf", "oneOf"):
        if key in out:
            out[key] = [_strict(sub) for sub in out[key]]
    return out


@cache
def _validators() -> dict[str, jsonschema.Draft4Validator]:
    out = {}
    for name in ("policyreports", "clusterpolicyreports"):
        crd = yaml.safe_load((DATA / f"wgpolicyk8s.io_{name}.yaml").read_text())
        (version,) = [v for v in crd["spec"]["versions"] if v["name"] == "v1alpha2"]
        schema = _strict(version["schema"]["openAPIV3Schema"])
        jsonschema.Draft4Validator.check_schema(schema)
        out[crd["spec"]["names"]["kind"]] = jsonschema.Draft4Validator(schema)
    return out


def _validate(docs: list[dict[str, Any]]) -> None:
    for doc in docs:
        assert doc["apiVersion"] == "wgpolicyk8s.io/v1alpha2"
        errors = sorted(_validators()[doc["kind"]].iter_errors(doc), key=str)
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def _docs(report: ScanReport) -> list[dict[str, Any]]:
    docs = list(yaml.safe_load_all(policyreport.render(report, now=NOW)))
    _validate(docs)
    return docs


def test_the_schema_check_rejects_what_the_api_server_would_not_keep() -> None:
    """The validation is real: a wrong result value, a wrong severity and an unknown field all fail."""
    (doc, *_) = _docs(example_report())
    good = doc["results"][0]
    for bad in ({"result": "failed"}, {"severity": "severe"}, {"unknownField": "x"}, {"timestamp": "2026"}):
        broken = dict(doc, results=[{**good, **bad}])
        assert list(_validators()[doc["kind"]].iter_errors(broken)), bad


def test_examples_report_validates_and_splits_by_scope() -> None:
    report = example_report()
    docs = _docs(report)
    kinds = [(d["kind"], d["metadata"].get("namespace")) for d in docs]
    assert kinds[0] == ("ClusterPolicyReport", None)
    assert ("PolicyReport", "shop") in kinds
    assert all(d["metadata"]["name"] == "kubeguard" for d in docs)
    by_scope = {d["metadata"].get("namespace"): d for d in docs}
    cluster, shop = by_scope[None], by_scope["shop"]
    # every finding is one fail result, in the report of its object's scope
    fails = [r for d in docs for r in d["results"] if r["result"] == "fail"]
    assert len(fails) == len(report.active_findings())
    for r in cluster["results"]:
        assert all("namespace" not in ref for ref in r["resources"]), r
    assert {ref["kind"] for r in cluster["results"] for ref in r["resources"]} >= {
        "Namespace",
        "ClusterRoleBinding",
    }
    assert all(ref["namespace"] == "shop" for r in shop["results"] for ref in r["resources"])
    priv = [r for r in shop["results"] if r["policy"] == "PSS002" and r["result"] == "fail"]
    assert priv and priv[0]["rule"] == "privileged-containers"
    assert priv[0]["severity"] == "critical" and priv[0]["category"] == "Pod Security Standards"
    assert priv[0]["source"] == "kubeguard" and priv[0]["scored"] is True
    assert priv[0]["resources"] == [
        {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "namespace": "shop"}
    ]
    assert priv[0]["properties"]["file"].endswith("deployment.yaml") and priv[0]["properties"]["line"] == "32"
    assert priv[0]["timestamp"] == {"seconds": int(NOW.timestamp()), "nanos": 123456000}


def test_pass_results_name_the_objects_that_passed_and_summaries_count_them() -> None:
    report = example_report()
    docs = _docs(report)
    expected: Counter[tuple[str, str, str]] = Counter()
    for code, obj, ev in report.evaluations:
        if ev == Evaluation.PASS:
            expected[(code, obj.kind, obj.name)] += 1
    got: Counter[tuple[str, str, str]] = Counter()
    for d in docs:
        passes = [r for r in d["results"] if r["result"] == "pass"]
        assert len({r["policy"] for r in passes}) == len(passes)  # one pass result per rule and report
        for r in passes:
            for ref in r["resources"]:
                got[(r["policy"], ref["kind"], ref["name"])] += 1
        summary = Counter()
        for r in d["results"]:
            summary[r["result"]] += len(r["resources"]) if r["result"] == "pass" else 1
        assert d["summary"] == {k: summary.get(k, 0) for k in ("pass", "fail", "warn", "error", "skip")}
    assert got == expected and sum(expected.values()) > 10


def test_suppressed_is_skip_info_is_warn_and_no_namespace_is_default(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(
        """\
apiVersion: v1
kind: Pod
metadata:
  name: loose
  annotations:
    ignore.kubeguard.io/PSS002: accepted in this test
spec:
  containers:
    - name: app
      image: nginx
      securityContext: {privileged: true}
"""
    )
    report = scan([str(tmp_path)])
    docs = _docs(report)
    (doc,) = [d for d in docs if d["kind"] == "PolicyReport"]
    assert doc["metadata"]["namespace"] == "default"  # where kubeguard judges a pod without namespace
    skips = [r for r in doc["results"] if r["result"] == "skip"]
    assert [r["policy"] for r in skips] == ["PSS002"]
    assert skips[0]["properties"]["suppression"].endswith("accepted in this test")
    assert all(ref["namespace"] == "default" for r in doc["results"] for ref in r["resources"])
    info = [f for f in report.active_findings() if f.severity.label == "info"]
    warns = [r for r in doc["results"] if r["result"] == "warn"]
    assert len(warns) == len(info)
    assert all(r["severity"] == "info" and r["scored"] is False for r in warns)


def test_hostile_text_round_trips() -> None:
    report = example_report()
    report.findings = [hostile_finding(f, i) for i, f in enumerate(report.findings[:3])]
    docs = _docs(report)
    messages = [r["message"] for d in docs for r in d["results"] if r["result"] == "fail"]
    assert sorted(messages) == sorted(f.message for f in report.findings)


def test_empty_scan_is_one_empty_cluster_report() -> None:
    docs = _docs(ScanReport())
    assert docs == [
        {
            "apiVersion": "wgpolicyk8s.io/v1alpha2",
            "kind": "ClusterPolicyReport",
            "metadata": {"name": "kubeguard", "labels": {"app.kubernetes.io/managed-by": "kubeguard"}},
            "summary": {"pass": 0, "fail": 0, "warn": 0, "error": 0, "skip": 0},
            "results": [],
        }
    ]


@pytest.mark.parametrize("fmt", ["policyreport"])
def test_cli(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / "r.yaml"
    result = CliRunner().invoke(
        cli, ["scan", "--no-progress", str(EXAMPLES / "insecure"), "-f", fmt, "-o", str(out)]
    )
    assert result.exit_code == 1, result.output
    docs = list(yaml.safe_load_all(out.read_text()))
    _validate(docs)
    assert render(dataclasses.replace(example_report()), fmt).startswith(
        "---\napiVersion: wgpolicyk8s.io/v1alpha2\n"
    )


def test_source_date_epoch_fixes_the_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (doc, *_) = yaml.safe_load_all(policyreport.render(example_report()))
    assert {r["timestamp"]["seconds"] for r in doc["results"]} == {1700000000}
