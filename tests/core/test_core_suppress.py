"""Suppressions by annotation (reason required) and by exceptions file (with expiry)."""

from __future__ import annotations

import datetime as dt

import pytest

from kubeguard.api import scan
from kubeguard.loading.config import ConfigError, parse_config

BASE = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  annotations: {ann}
spec:
  selector: {{matchLabels: {{app: a}}}}
  template:
    metadata:
      labels: {{app: a}}
      annotations: {tann}
    spec:
      containers: [{{name: app, image: "nginx:1.27"}}]
"""


def dep(name, ns="prod", ann="{}", tann="{}"):
    return BASE.format(name=name, ns=ns, ann=ann, tann=tann)


def run(tmp_path, text, config=None, today=dt.date(2026, 6, 1)):
    path = tmp_path / "d.yaml"
    path.write_text(text)
    return scan([str(path)], select=["WKL001"], config=parse_config(config), today=today)


def stream(*documents):
    """One file of several YAML documents."""
    return "---\n".join(documents)


def by_name(report):
    return {f.object.name: f for f in report.findings}


def test_annotation_with_reason_suppresses_and_is_kept_marked(tmp_path):
    text = stream(
        dep("by-code", ann='{"ignore.kubeguard.io/WKL001": "legacy app writes to /var/cache"}'),
        dep("by-slug-on-template", tann='{"ignore.kubeguard.io/writable-root-filesystem": "ok"}'),
        dep("no-reason", ann='{"ignore.kubeguard.io/WKL001": ""}'),
        dep("other-rule", ann='{"ignore.kubeguard.io/WKL999": "x"}'),
    )
    report = run(tmp_path, text)
    found = by_name(report)
    assert (
        found["by-code"].suppressed
        and found["by-code"].suppression == "annotation: legacy app writes to /var/cache"
    )
    assert found["by-slug-on-template"].suppressed
    assert not found["no-reason"].suppressed
    assert not found["other-rule"].suppressed
    assert any("no reason" in w for w in report.warnings)
    assert report.exit_code() == 1
    assert {f.object.name for f in report.active_findings()} == {"no-reason", "other-rule"}


def test_exceptions_file_globs_and_expiry(tmp_path):
    text = stream(dep("legacy-api", ns="prod"), dep("legacy-web", ns="dev"), dep("new-api", ns="prod"))
    config = {
        "exceptions": [
            {
                "rule": "WKL",
                "match": {"kind": "Deployment", "namespace": "prod", "name": "legacy-*"},
                "reason": "tracked in SEC-42",
                "expires": "2026-12-31",
            },
            {
                "rule": "writable-root-filesystem",
                "match": {"namespace": "dev"},
                "reason": "dev only",
                "expires": "2026-01-01",
            },
        ]
    }
    report = run(tmp_path, text, config)
    found = by_name(report)
    assert (
        found["legacy-api"].suppressed and found["legacy-api"].suppression == "exception: tracked in SEC-42"
    )
    assert not found["legacy-web"].suppressed  # its exception expired
    assert not found["new-api"].suppressed
    assert len(report.warnings) == 1 and "expired on 2026-01-01" in report.warnings[0]
    # the same config before expiry suppresses the dev finding too
    later = run(tmp_path, text, config, today=dt.date(2025, 12, 1))
    assert by_name(later)["legacy-web"].suppressed


def test_all_suppressed_means_exit_zero(tmp_path):
    report = run(tmp_path, dep("x", ann='{"ignore.kubeguard.io/WKL001": "accepted"}'))
    assert report.findings and report.exit_code() == 0


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"exceptions": [{"rule": "WKL001"}]}, "exceptions\\[0\\] needs 'reason'"),
        ({"exceptions": [{"reason": "x"}]}, "needs 'rule'"),
        ({"exceptions": [{"rule": "WKL001", "reason": "x", "expires": "soon"}]}, "expires must be a date"),
        (
            {"exceptions": [{"rule": "WKL001", "reason": "x", "match": {"labels": "a"}}]},
            "unknown key 'labels' in exceptions\\[0\\].match",
        ),
        ([1, 2], "must be a mapping"),
    ],
)
def test_invalid_config_is_a_clear_error(config, message):
    with pytest.raises(ConfigError, match=message):
        parse_config(config, ".kubeguard.yaml")


def test_a_rule_that_raises_is_an_error_evaluation_not_a_crash(tmp_path):
    from kubeguard.engine.runner import evaluate
    from kubeguard.findings.report import Evaluation
    from kubeguard.loading.files import load
    from kubeguard.rules.context import ScanContext
    from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation

    def check(workload, ctx):
        yield Violation("partial")
        if workload.resource.name == "boom":
            raise ValueError("bad data")

    rule = Rule(
        code="TST001",
        slug="test-rule",
        title="t",
        severity=Severity.LOW,
        applies_to=WORKLOADS,
        check=check,
        remediation="r",
    )
    (tmp_path / "p.yaml").write_text(stream(dep("boom"), dep("fine")))
    loaded = load([str(tmp_path / "p.yaml")])
    report = evaluate(ScanContext(loaded.resources), [rule])
    assert [(e.rule, e.object.name, e.message) for e in report.rule_errors] == [
        ("TST001", "boom", "ValueError: bad data")
    ]
    assert [f.object.name for f in report.findings] == ["fine"]
    statuses = {obj.name: status for _, obj, status in report.evaluations}
    assert statuses == {"boom": Evaluation.ERROR, "fine": Evaluation.FAIL}
    assert report.exit_code() == 1


POD = """
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: prod
  labels: {labels}
  ownerReferences: [{{apiVersion: {api}, kind: {kind}, name: {owner}, uid: u1, controller: {controller}}}]
spec:
  containers: [{{name: app, image: "nginx:1.27"}}]
"""


#: The API group of each owner kind the cases use.
OWNER_API = {"ReplicaSet": "apps/v1", "StatefulSet": "apps/v1", "Job": "batch/v1"}


def owned_pod(name, owner_kind, owner, *, template_hash=None, controller=True):
    """A Pod in ``prod`` owned by ``owner`` (the controlling owner unless ``controller=False``),
    labelled with ``pod-template-hash`` when one is given."""
    return POD.format(
        name=name,
        labels=f"{{pod-template-hash: {template_hash}}}" if template_hash else "{}",
        api=OWNER_API[owner_kind],
        kind=owner_kind,
        owner=owner,
        controller="true" if controller else "false",
    )


# the Pods of a Deployment's ReplicaSet: <deployment>-<pod-template-hash>
API_POD = owned_pod("api-7d9f-x1", "ReplicaSet", "api-7d9f", template_hash="7d9f")


@pytest.mark.parametrize(
    ("match", "pod", "suppressed"),
    [
        pytest.param({"kind": "Deployment", "name": "api"}, API_POD, True, id="deployment"),
        pytest.param({"kind": "ReplicaSet", "name": "api-7d9f"}, API_POD, True, id="replicaset"),
        # another Deployment's ReplicaSet, or a hash that is not this pod's: no
        pytest.param(
            {"kind": "Deployment", "name": "api"},
            owned_pod("apiv2-7d9f-x1", "ReplicaSet", "apiv2-7d9f", template_hash="7d9f"),
            False,
            id="another-deployment",
        ),
        pytest.param(
            {"kind": "Deployment", "name": "api"},
            owned_pod("api-7d9f-x1", "ReplicaSet", "api-7d9f"),
            False,
            id="deployment-without-template-hash",
        ),
        # an owner that is not the controller does not count
        pytest.param(
            {"kind": "ReplicaSet", "name": "api-7d9f"},
            owned_pod("api-7d9f-x1", "ReplicaSet", "api-7d9f", controller=False),
            False,
            id="owner-not-controller",
        ),
        # a CronJob's Jobs are named <cronjob>-<scheduled minute>
        pytest.param(
            {"kind": "CronJob", "name": "backup"},
            owned_pod("backup-29012345-abcde", "Job", "backup-29012345"),
            True,
            id="cronjob",
        ),
        pytest.param(
            {"kind": "StatefulSet", "name": "db"},
            owned_pod("db-0", "StatefulSet", "db"),
            True,
            id="statefulset",
        ),
    ],
)
def test_an_exception_for_a_controller_covers_the_pods_it_makes(tmp_path, match, pod, suppressed):
    config = {"exceptions": [{"rule": "WKL001", "match": match, "reason": "vendor image"}]}
    (finding,) = run(tmp_path, pod, config).findings
    assert finding.suppressed is suppressed
