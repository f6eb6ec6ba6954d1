"""Deciding AdmissionReviews: modes and their message limits, exemptions, PSA's controller semantics
(templates, unchanged updates, dry run), suppression, --on-error, and every malformed body."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator

import pytest

from kubeguard.api import select
from kubeguard.loading.config import ConfigError, parse_config
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation
from kubeguard.webhook.policy import AdmissionPolicy, PolicyError
from kubeguard.webhook.review import (
    MESSAGE_CHARS,
    WARNING_CHARS,
    WARNINGS_TOTAL,
    BadReview,
    Judge,
    admission_rules,
    parse_review,
)
from tests.webhook.reviews import body, deployment, judge, pod, request


def codes(decision: object) -> list[str]:
    return sorted({f.rule.code for f in decision.findings})  # type: ignore[attr-defined]


def test_a_compliant_pod_and_deployment_are_admitted() -> None:
    j = judge()
    for obj in (pod(), deployment()):
        decision = j.decide(request(obj))
        assert (decision.allowed, decision.outcome, codes(decision)) == (True, "allowed", [])
        assert decision.response("u")["response"] == {"uid": "u", "allowed": True}


def test_enforce_denies_with_one_line_per_finding() -> None:
    decision = judge().decide(request(deployment(privileged=True, runAsNonRoot=None)))
    assert not decision.allowed
    assert codes(decision) == ["PSS002", "PSS015"]
    lines = decision.message.split("\n")
    assert lines[0] == "kubeguard denied Deployment shop/web: 2 findings at or above low"
    assert lines[1].startswith(
        "PSS002 Privileged container: /spec/template/spec/containers/0/securityContext/privileged: "
    )
    assert lines[1].endswith("Fix: Remove securityContext.privileged or set it to false.")
    assert lines[2].startswith("PSS015 ")
    status = decision.response("u")["response"]["status"]
    assert status["code"] == 403 and status["message"] == decision.message


def test_fail_on_sets_the_threshold() -> None:
    # WKL012 (a workload in the default namespace) is low; PSS015 (may run as root) is medium
    obj = deployment(namespace="default", runAsNonRoot=None)
    assert codes(judge().decide(request(obj, namespace="default"))) == ["PSS015", "WKL012"]
    assert codes(judge(fail_on="medium").decide(request(obj, namespace="default"))) == ["PSS015"]
    assert judge(fail_on="high").decide(request(obj, namespace="default")).outcome == "allowed"


def test_warn_mode_admits_with_bounded_warnings() -> None:
    obj = deployment()
    containers = obj["spec"]["template"]["spec"]["containers"]
    for i in range(1, 60):  # many failing containers: far more findings than fit in 4 KiB
        extra = copy.deepcopy(containers[0])
        extra["name"] = f"c{i}-" + "x" * 40
        extra["securityContext"]["privileged"] = True
        containers.append(extra)
    decision = judge(mode="warn").decide(request(obj))
    assert decision.allowed and decision.outcome == "warned"
    warnings = decision.response("u")["response"]["warnings"]
    assert all(len(w) <= WARNING_CHARS for w in warnings)
    assert sum(len(w) for w in warnings) <= WARNINGS_TOTAL
    assert warnings[0].startswith("kubeguard PSS002 Privileged container: /spec/template/spec/containers/1/")
    assert warnings[-1].startswith("kubeguard: ") and "more findings" in warnings[-1]
    shown = len(warnings) - 1
    assert (
        warnings[-1]
        == f"kubeguard: {len(decision.findings) - shown} more findings (kubeguard scan shows them all)"
    )


def test_enforce_message_is_bounded_too() -> None:
    obj = deployment()
    containers = obj["spec"]["template"]["spec"]["containers"]
    for i in range(1, 80):
        extra = copy.deepcopy(containers[0])
        extra["name"] = f"c{i}"
        extra["securityContext"]["privileged"] = True
        containers.append(extra)
    decision = judge().decide(request(obj))
    assert len(decision.message) <= MESSAGE_CHARS
    assert decision.message.endswith("more (kubeguard scan shows them all)")


def test_audit_mode_admits_with_audit_annotations() -> None:
    decision = judge(mode="audit").decide(request(pod(privileged=True)))
    answer = decision.response("u")["response"]
    assert answer["allowed"] is True and "warnings" not in answer
    assert answer["auditAnnotations"]["findings"].startswith(
        "PSS002 Privileged container: /spec/containers/0/securityContext/privileged: "
    )


def test_modes_thresholds_and_levels_per_namespace() -> None:
    config = {
        "admission": {
            "mode": "warn",
            "namespaces": [
                {"names": ["prod-*"], "mode": "enforce", "failOn": "high"},
                {"names": ["legacy"], "mode": "audit", "pss": "baseline:v1.30"},
            ],
        }
    }
    j = judge(config)
    privileged = pod(privileged=True)
    assert j.decide(request(privileged, namespace="dev")).outcome == "warned"
    assert j.decide(request(privileged, namespace="prod-eu")).outcome == "denied"
    # PSS015 (runAsNonRoot) is restricted only: not judged at baseline, and medium anyway
    as_root = pod(runAsNonRoot=None)
    assert j.decide(request(as_root, namespace="prod-eu")).outcome == "allowed"
    assert codes(j.decide(request(as_root, namespace="dev"))) == ["PSS015"]
    assert j.decide(request(as_root, namespace="legacy")).outcome == "allowed"
    # the command line wins over the section's default, a namespace entry over both
    assert judge(config, mode="enforce").decide(request(privileged, namespace="dev")).outcome == "denied"
    assert judge(config, mode="warn").decide(request(privileged, namespace="prod-eu")).outcome == "denied"


def test_bad_admission_settings_are_named() -> None:
    with pytest.raises(ConfigError, match=r"admission.namespaces\[0\].pss"):
        parse_config({"admission": {"namespaces": [{"names": ["a"], "pss": "strict"}]}})
    with pytest.raises(ConfigError, match=r"admission.mode"):
        parse_config({"admission": {"mode": "deny"}})
    with pytest.raises(PolicyError, match=r"^--pss: .*'strict'"):
        AdmissionPolicy(parse_config(None), pss="strict")


@pytest.mark.parametrize(
    ("exemptions", "kwargs", "obj", "why"),
    [
        ({"namespaces": ["shop"]}, {}, pod(privileged=True), "namespace"),
        (
            {"usernames": ["system:serviceaccount:ci:deployer"]},
            {"username": "system:serviceaccount:ci:deployer"},
            pod(privileged=True),
            "username",
        ),
        ({"runtimeClasses": ["kata"]}, {}, None, "runtimeClass"),
    ],
)
def test_exemptions_admit_unjudged(exemptions, kwargs, obj, why) -> None:
    if obj is None:
        obj = deployment(privileged=True)
        obj["spec"]["template"]["spec"]["runtimeClassName"] = "kata"
    j = judge({"admission": {"exemptions": exemptions}})
    decision = j.decide(request(obj, **kwargs))
    assert (decision.allowed, decision.outcome, decision.annotations) == (True, "exempt", {"exempt": why})
    assert not judge().decide(request(obj, **kwargs)).allowed  # not exempt without the setting


def test_update_that_changes_nothing_the_rules_read_is_not_judged_again() -> None:
    old = pod(privileged=True)  # admitted before kubeguard was installed
    new = copy.deepcopy(old)
    new["metadata"]["resourceVersion"] = "42"
    new["metadata"]["finalizers"] = ["example.com/cleanup"]
    new["metadata"]["managedFields"] = [{"manager": "kubectl"}]
    new["status"] = {"phase": "Running"}
    decision = judge().decide(request(new, operation="UPDATE", old=old))
    assert (decision.allowed, decision.outcome) == (True, "unchanged")
    # a label or an annotation can change a verdict (suppression): judged
    new["metadata"]["labels"] = {"app": "other"}
    assert judge().decide(request(new, operation="UPDATE", old=old)).outcome == "denied"
    # and so is a change of the spec
    changed = copy.deepcopy(old)
    changed["spec"]["containers"][0]["image"] = "registry.example/app@sha256:" + "b" * 64
    assert judge().decide(request(changed, operation="UPDATE", old=old)).outcome == "denied"


def test_pods_made_by_controllers_are_judged_and_dry_run_is_answered() -> None:
    made = pod(privileged=True)
    made["metadata"]["ownerReferences"] = [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5d4f", "uid": "x", "controller": True}
    ]
    decision = judge().decide(
        request(made, username="system:serviceaccount:kube-system:replicaset-controller")
    )
    assert codes(decision) == ["PSS002"] and not decision.allowed
    assert not judge().decide(request(made, dry_run=True)).allowed


def test_delete_connect_and_status_updates_are_admitted() -> None:
    j = judge()
    assert j.decide(request(None, operation="DELETE", old=pod(privileged=True))).outcome == "skipped"
    assert j.decide(
        request(pod(privileged=True), operation="UPDATE", old=pod(), sub_resource="status")
    ).allowed
    # an ephemeral container is judged (PSA judges pods/ephemeralcontainers)
    debug = pod()
    debug["spec"]["ephemeralContainers"] = [
        {"name": "debug", "image": "busybox", "securityContext": {"privileged": True}}
    ]
    decision = j.decide(request(debug, operation="UPDATE", old=pod(), sub_resource="ephemeralcontainers"))
    assert "PSS002" in codes(decision)


def test_suppression_annotation_and_config_exception_apply() -> None:
    annotated = deployment(privileged=True)
    annotated["spec"]["template"]["metadata"]["annotations"] = {"ignore.kubeguard.io/PSS002": "CNI plugin"}
    assert judge().decide(request(annotated)).allowed
    config = {
        "exceptions": [
            {
                "rule": "PSS002",
                "match": {"kind": "Deployment", "namespace": "shop", "name": "web"},
                "reason": "CNI",
            }
        ]
    }
    assert judge(config).decide(request(deployment(privileged=True))).allowed
    expired = {"exceptions": [{**config["exceptions"][0], "expires": "2001-01-01"}]}
    assert not judge(expired).decide(request(deployment(privileged=True))).allowed


def test_namespace_of_the_request_is_the_object_namespace() -> None:
    # kubectl apply -n shop of a manifest without a namespace: the exception for shop applies
    obj = deployment(privileged=True)
    del obj["metadata"]["namespace"]
    config = {"exceptions": [{"rule": "PSS002", "match": {"namespace": "shop"}, "reason": "CNI"}]}
    assert judge(config).decide(request(obj, namespace="shop")).allowed


def _raising(workload: object, ctx: object) -> Iterator[Violation]:
    raise RuntimeError("boom")
    yield  # pragma: no cover


BROKEN = Rule(
    code="TST999",
    slug="always-raises",
    title="Raises",
    severity=Severity.HIGH,
    applies_to=WORKLOADS,
    check=_raising,
    remediation="none",
)


@pytest.mark.parametrize(("on_error", "allowed"), [("deny", False), ("allow", True)])
def test_a_rule_that_raises_decides_by_on_error(on_error, allowed, caplog) -> None:
    cfg = parse_config(None)
    j = Judge([*select(["PSS"]), BROKEN], cfg, AdmissionPolicy(cfg), on_error=on_error)
    with caplog.at_level("ERROR", logger="kubeguard.webhook"):
        decision = j.decide(request(pod(), uid="uid-42"))
    assert decision.allowed is allowed
    assert decision.outcome == f"error-{'denied' if not allowed else 'allowed'}"
    assert "Pod shop/web (CREATE, uid uid-42)" in caplog.text and "RuntimeError: boom" in caplog.text
    if not allowed:
        assert "could not judge Pod shop/web" in decision.message


def test_scan_only_rules_are_not_run() -> None:
    rules = admission_rules(select())
    assert all(not r.needs for r in rules)
    assert {"NET001", "RBAC017", "WKL010"}.isdisjoint(r.code for r in rules)
    assert {"PSS002", "WKL001", "RBAC014"} <= {r.code for r in rules}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"apiVersion": "admission.k8s.io/v1", ', "the body is not JSON"),
        (b"\xff\xfe", "the body is not JSON"),
        (b"[1, 2]", "the body is a list, not an AdmissionReview"),
        (
            b'{"apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview", "request": {}}',
            "not an AdmissionReview admission.k8s.io/v1 (apiVersion 'admission.k8s.io/v1beta1'",
        ),
        (b'{"apiVersion": "v1", "kind": "Pod"}', "not an AdmissionReview admission.k8s.io/v1"),
        (
            b'{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}',
            "request is null, not a mapping",
        ),
        (
            json.dumps(
                {
                    "apiVersion": "admission.k8s.io/v1",
                    "kind": "AdmissionReview",
                    "request": {"operation": "CREATE", "object": {}},
                }
            ).encode(),
            "request.uid is missing or empty",
        ),
        (body(pod(), operation="PATCH"), "request.operation is 'PATCH'"),
        (body(["not", "a", "mapping"]), "request.object is a list, not a mapping"),
        (body(None), "request.object is null, not a mapping"),
        (body(pod(), operation="UPDATE", old="x"), "request.oldObject is a string, not a mapping"),
        (b"[" * 100_000 + b"]" * 100_000, "the body is"),
    ],
)
def test_malformed_bodies_are_refused_with_a_clear_message(raw: bytes, message: str) -> None:
    with pytest.raises(BadReview) as caught:
        parse_review(raw)
    assert message in str(caught.value)


def test_an_exception_for_a_deployment_admits_the_pods_it_makes() -> None:
    config = {
        "exceptions": [{"rule": "PSS002", "match": {"kind": "Deployment", "name": "cni"}, "reason": "CNI"}]
    }
    j = judge(config)
    assert j.decide(request(deployment("cni", privileged=True))).allowed
    made = pod("cni-5d4f8-x2x9", privileged=True)
    made["metadata"]["labels"]["pod-template-hash"] = "5d4f8"
    made["metadata"]["ownerReferences"] = [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "cni-5d4f8", "uid": "x", "controller": True}
    ]
    assert j.decide(request(made)).allowed  # the ReplicaSet's pod is covered as its Deployment is
    del made["metadata"]["ownerReferences"]
    assert not j.decide(request(made)).allowed
