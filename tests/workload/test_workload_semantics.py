"""Semantics users complain about in other tools, each pinned by a named test, plus the
configuration switches of the workload and image rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubeguard.engine.registry import all_rules
from kubeguard.engine.runner import evaluate
from kubeguard.findings.report import Evaluation, ScanReport
from kubeguard.loading.config import ConfigError, parse_config
from kubeguard.loading.files import load
from kubeguard.model.config import Config
from kubeguard.rules.context import OptionsError, ScanContext, ScanOptions

RULES = {r.code: r for r in all_rules()}


def scan(
    tmp_path: Path, text: str, codes: list[str], config: dict | Config | None = None, **options
) -> ScanReport:
    """``config``: settings checked as a .kubeguard.yaml would be, or a Config built unchecked."""
    path = tmp_path / "input.yaml"
    path.write_text(text)
    loaded = load([str(path)])
    assert not loaded.errors
    checked = config if isinstance(config, Config) else parse_config(config)
    ctx = ScanContext(loaded.resources, ScanOptions(**options), checked)
    return evaluate(ctx, [RULES[c] for c in codes], texts=loaded.texts)


def outcome(report: ScanReport, code: str, name: str) -> Evaluation:
    for c, obj, ev in report.evaluations:
        if c == code and obj.name == name:
            return ev
    raise KeyError((code, name))


def findings(report: ScanReport, code: str, name: str) -> list[tuple[str, str]]:
    return [(f.pointer, f.message) for f in report.findings if f.rule.code == code and f.object.name == name]


POD_LEVEL = """
apiVersion: v1
kind: Pod
metadata: {name: inherits}
spec:
  securityContext: {runAsUser: 20000, runAsGroup: 20000}
  initContainers: [{name: init, image: busybox:1.36}]
  containers:
    - {name: app, image: nginx:1.27}
    - {name: own, image: nginx:1.27, securityContext: {runAsUser: 33}}
"""


def test_pod_level_security_context_is_inherited_by_containers(tmp_path):
    report = scan(tmp_path, POD_LEVEL, ["WKL002", "WKL003"])
    # Group: set only at pod level, inherited by the init and both regular containers.
    assert outcome(report, "WKL003", "inherits") is Evaluation.PASS
    # User: the container's own value overrides the pod's and is reported at the container field.
    assert findings(report, "WKL002", "inherits") == [
        (
            "/spec/containers/1/securityContext/runAsUser",
            "container 'own' runs with runAsUser=33 (from its securityContext), below 10000",
        )
    ]


def test_pod_level_low_value_is_reported_at_the_pod_field(tmp_path):
    text = POD_LEVEL.replace("runAsUser: 20000, ", "runAsUser: 1000, ")
    report = scan(tmp_path, text, ["WKL002"])
    pointers = [p for p, _ in findings(report, "WKL002", "inherits")]
    # init and app inherit 1000 from the pod; "own" overrides with 33.
    assert sorted(pointers) == [
        "/spec/containers/1/securityContext/runAsUser",
        "/spec/securityContext/runAsUser",
        "/spec/securityContext/runAsUser",
    ]


INIT = """
apiVersion: v1
kind: Pod
metadata: {name: with-init}
spec:
  initContainers:
    - name: migrate
      image: busybox:1.36
  containers:
    - name: app
      image: nginx:1.27@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac
      securityContext: {readOnlyRootFilesystem: true}
      resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}
      livenessProbe: {tcpSocket: {port: 80}}
      readinessProbe: {tcpSocket: {port: 80}}
"""


def test_init_containers_are_judged_by_the_rules_that_apply_to_them(tmp_path):
    report = scan(tmp_path, INIT, ["WKL001", "WKL004", "WKL005", "WKL007", "WKL015", "WKL016", "IMG002"])
    # Rules that apply to init containers flag the init container only ...
    for code in ("WKL001", "WKL004", "WKL005", "WKL007", "IMG002"):
        pointers = {p for p, _ in findings(report, code, "with-init")}
        assert pointers and all(p.startswith("/spec/initContainers/0/") for p in pointers), (code, pointers)
    # ... while no probe is expected on a (non-restartable) init container.
    assert outcome(report, "WKL015", "with-init") is Evaluation.PASS
    assert outcome(report, "WKL016", "with-init") is Evaluation.PASS


def test_restartable_sidecar_init_container_is_expected_to_have_probes(tmp_path):
    text = INIT.replace("    - name: migrate\n", "    - name: migrate\n      restartPolicy: Always\n")
    report = scan(tmp_path, text, ["WKL015", "WKL016"])
    assert [p for p, _ in findings(report, "WKL015", "with-init")] == ["/spec/initContainers/0/livenessProbe"]
    assert [p for p, _ in findings(report, "WKL016", "with-init")] == [
        "/spec/initContainers/0/readinessProbe"
    ]


KINDS = """
apiVersion: v1
kind: Service
metadata: {name: svc}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: default}
data: {image: "nginx:latest"}
---
apiVersion: batch/v1
kind: Job
metadata: {name: job}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: job, image: "busybox:latest"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: deploy}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec:
      containers: [{name: app, image: "nginx:latest"}]
"""


def test_rules_fire_only_on_kinds_they_apply_to(tmp_path):
    workload_rules = [
        c for c in RULES if c.startswith(("WKL", "IMG")) and c not in ("WKL009", "WKL019", "WKL020")
    ]
    report = scan(tmp_path, KINDS, [*workload_rules, "WKL019", "WKL020"])
    for code in workload_rules:
        assert outcome(report, code, "svc") is Evaluation.NOT_APPLICABLE, code
        assert outcome(report, code, "cm") is Evaluation.NOT_APPLICABLE, code
    # API version rules look only at the kinds of the migration guide.
    for code in ("WKL019", "WKL020"):
        assert outcome(report, code, "svc") is Evaluation.NOT_APPLICABLE
        assert outcome(report, code, "deploy") is Evaluation.PASS
    # Probes are not expected from run-to-completion Jobs.
    assert outcome(report, "WKL015", "job") is Evaluation.NOT_APPLICABLE
    assert outcome(report, "WKL015", "deploy") is Evaluation.FAIL
    assert outcome(report, "IMG001", "job") is Evaluation.FAIL
    assert not [f for f in report.findings if f.object.name in ("svc", "cm")]


SERVICE_ACCOUNTS = """
apiVersion: v1
kind: ServiceAccount
metadata: {name: quiet, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: {name: uses-quiet, namespace: shop}
spec:
  serviceAccountName: quiet
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: overrides-quiet, namespace: shop}
spec:
  serviceAccountName: quiet
  automountServiceAccountToken: true
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: quiet-elsewhere, namespace: other}
spec:
  serviceAccountName: quiet
  containers: [{name: app, image: nginx:1.27}]
"""


def test_service_account_level_automount_setting_is_honoured(tmp_path):
    report = scan(tmp_path, SERVICE_ACCOUNTS, ["WKL010"])
    assert outcome(report, "WKL010", "uses-quiet") is Evaluation.PASS
    # The pod's own field wins over the ServiceAccount's.
    assert findings(report, "WKL010", "overrides-quiet") == [
        (
            "/spec/automountServiceAccountToken",
            "the ServiceAccount token is mounted: the pod sets automountServiceAccountToken: true",
        )
    ]
    # A ServiceAccount of the same name in another namespace is not the pod's.
    assert outcome(report, "WKL010", "quiet-elsewhere") is Evaluation.FAIL


BARE_POD = """
apiVersion: v1
kind: Pod
metadata: {name: bare}
spec:
  containers: [{name: app, image: "registry.example.com/app:1.0"}]
"""


def test_resource_requirements_follow_the_configuration(tmp_path):
    codes = ["WKL004", "WKL005", "WKL006", "WKL007", "WKL008"]
    default = scan(tmp_path, BARE_POD, codes)
    assert {c: outcome(default, c, "bare") for c in codes} == {
        "WKL004": Evaluation.FAIL,
        "WKL005": Evaluation.FAIL,
        "WKL006": Evaluation.NOT_APPLICABLE,
        "WKL007": Evaluation.FAIL,
        "WKL008": Evaluation.NOT_APPLICABLE,
    }
    custom = scan(
        tmp_path, BARE_POD, codes, {"resources": {"require": ["limits.cpu", "limits.ephemeral-storage"]}}
    )
    assert {c: outcome(custom, c, "bare") for c in codes} == {
        "WKL004": Evaluation.NOT_APPLICABLE,
        "WKL005": Evaluation.NOT_APPLICABLE,
        "WKL006": Evaluation.FAIL,
        "WKL007": Evaluation.NOT_APPLICABLE,
        "WKL008": Evaluation.FAIL,
    }
    none = scan(tmp_path, BARE_POD, codes, {"resources": {"require": []}})
    assert all(outcome(none, c, "bare") is Evaluation.NOT_APPLICABLE for c in codes)


def test_unknown_resource_requirement_is_reported_as_a_rule_error(tmp_path):
    # Loading the file rejects it; a Config built in code still reaches the rule, which says so.
    with pytest.raises(ConfigError, match=r"unknown value 'requests\.gpu'"):
        parse_config({"resources": {"require": ["requests.gpu"]}})
    report = scan(
        tmp_path, BARE_POD, ["WKL004"], Config(sections={"resources": {"require": ["requests.gpu"]}})
    )
    assert outcome(report, "WKL004", "bare") is Evaluation.ERROR
    assert "resources.require" in report.rule_errors[0].message
    assert "requests.gpu" in report.rule_errors[0].message


def test_image_registry_rules_are_not_applicable_without_configuration(tmp_path):
    report = scan(tmp_path, BARE_POD, ["IMG004", "IMG005"])
    assert outcome(report, "IMG004", "bare") is Evaluation.NOT_APPLICABLE
    assert outcome(report, "IMG005", "bare") is Evaluation.NOT_APPLICABLE
    configured = scan(
        tmp_path,
        BARE_POD,
        ["IMG004", "IMG005"],
        {"images": {"allowedRegistries": ["ghcr.io"], "requirePullSecret": ["registry.example.com"]}},
    )
    assert outcome(configured, "IMG004", "bare") is Evaluation.FAIL
    assert outcome(configured, "IMG005", "bare") is Evaluation.FAIL
    # An empty allow-list is a configured list that allows nothing.
    empty = scan(tmp_path, BARE_POD, ["IMG004"], {"images": {"allowedRegistries": []}})
    assert outcome(empty, "IMG004", "bare") is Evaluation.FAIL


def test_invalid_image_configuration_is_reported_as_a_rule_error(tmp_path):
    with pytest.raises(ConfigError, match=r"images\.allowedRegistries must be a list"):
        parse_config({"images": {"allowedRegistries": "ghcr.io"}})
    report = scan(
        tmp_path, BARE_POD, ["IMG004"], Config(sections={"images": {"allowedRegistries": "ghcr.io"}})
    )
    assert outcome(report, "IMG004", "bare") is Evaluation.ERROR
    assert "images.allowedRegistries" in report.rule_errors[0].message


def test_invalid_token_expiry_configuration_is_reported_as_a_rule_error(tmp_path):
    with pytest.raises(ConfigError, match="maxExpirationSeconds must be an integer, not a string"):
        parse_config({"serviceAccountTokens": {"maxExpirationSeconds": "1d"}})
    sections = {"serviceAccountTokens": {"maxExpirationSeconds": "1d"}}
    report = scan(tmp_path, BARE_POD, ["WKL018"], Config(sections=sections))
    assert outcome(report, "WKL018", "bare") is Evaluation.ERROR


DEPRECATED = """
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: pdb}
spec: {maxUnavailable: 1}
"""


@pytest.mark.parametrize(
    ("version", "removed", "deprecated"),
    [
        ("latest", Evaluation.FAIL, Evaluation.PASS),
        ("v1.25", Evaluation.FAIL, Evaluation.PASS),
        ("v1.24", Evaluation.PASS, Evaluation.FAIL),
        ("v1.21", Evaluation.PASS, Evaluation.FAIL),
        ("v1.20", Evaluation.PASS, Evaluation.PASS),
        ("1.30", Evaluation.FAIL, Evaluation.PASS),
    ],
)
def test_api_version_rules_follow_the_target_version(tmp_path, version, removed, deprecated):
    report = scan(tmp_path, DEPRECATED, ["WKL019", "WKL020"], k8s_version=version)
    assert outcome(report, "WKL019", "pdb") is removed
    assert outcome(report, "WKL020", "pdb") is deprecated


def test_invalid_target_version_is_refused_when_options_are_made(tmp_path):
    with pytest.raises(OptionsError, match=r"k8s_version: .*'2\.0'"):
        scan(tmp_path, DEPRECATED, ["WKL019"], k8s_version="2.0")


def test_helm_rendered_namespace_is_not_the_manifests_choice():
    from kubeguard.model.resource import Resource, SourceLocation

    raw = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default"},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
    }
    rendered = Resource(raw, SourceLocation(file="chart", origin="helm"))
    written = Resource(raw, SourceLocation(file="pod.yaml"))
    report = evaluate(ScanContext([rendered]), [RULES["WKL009"], RULES["WKL012"]])
    assert outcome(report, "WKL012", "p") is Evaluation.PASS
    assert outcome(report, "WKL009", "p") is Evaluation.PASS
    report = evaluate(ScanContext([written]), [RULES["WKL009"], RULES["WKL012"]])
    assert outcome(report, "WKL012", "p") is Evaluation.FAIL
    assert outcome(report, "WKL009", "p") is Evaluation.FAIL
