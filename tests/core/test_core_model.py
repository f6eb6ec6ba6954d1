"""The model: workloads of every kind, containers of every sort, securityContext inheritance."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from kubeguard.engine.registry import RegistryError, _unique, select_rules
from kubeguard.loading.documents import parse_text
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource, SourceLocation
from kubeguard.rules.rule import WORKLOADS, Rule, Severity


def one(text: str) -> Resource:
    (item,) = list(parse_text(textwrap.dedent(text), "x.yaml"))
    assert isinstance(item, Resource)
    return item


POD_SPEC = """
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        seccompProfile: {type: RuntimeDefault}
      initContainers:
        - name: init
          image: busybox:1.36
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            runAsUser: 2000
            privileged: false
      ephemeralContainers:
        - name: debug
          image: busybox:1.36
"""

KINDS = {
    "Deployment": ("apps/v1", "spec:\n  template:\n    spec:" + POD_SPEC, ("spec", "template", "spec")),
    "StatefulSet": ("apps/v1", "spec:\n  template:\n    spec:" + POD_SPEC, ("spec", "template", "spec")),
    "DaemonSet": ("apps/v1", "spec:\n  template:\n    spec:" + POD_SPEC, ("spec", "template", "spec")),
    "ReplicaSet": ("apps/v1", "spec:\n  template:\n    spec:" + POD_SPEC, ("spec", "template", "spec")),
    "ReplicationController": ("v1", "spec:\n  template:\n    spec:" + POD_SPEC, ("spec", "template", "spec")),
    "Job": ("batch/v1", "spec:\n  template:\n    spec:" + POD_SPEC, ("spec", "template", "spec")),
    "PodTemplate": ("v1", "template:\n    spec:" + POD_SPEC, ("template", "spec")),
    "CronJob": (
        "batch/v1",
        "spec:\n  jobTemplate:\n   spec:\n    template:\n     spec:" + textwrap.indent(POD_SPEC, "   "),
        ("spec", "jobTemplate", "spec", "template", "spec"),
    ),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_workload_kind_exposes_its_pod_template(kind):
    api, body, path = KINDS[kind]
    resource = one(f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: w}}\n{body}")
    workload = resource.workload
    assert workload is not None and workload.spec_pointer == Pointer(path)
    containers = workload.containers()
    # Kubernetes' own order (and Pod Security Admission's): init, regular, ephemeral
    assert [(c.kind, c.name) for c in containers] == [
        ("initContainer", "init"),
        ("container", "app"),
        ("ephemeralContainer", "debug"),
    ]
    assert containers[1].pointer == Pointer((*path, "containers", 0))
    assert containers[2].pointer == Pointer((*path, "ephemeralContainers", 0))


def test_effective_security_context_inherits_only_what_kubernetes_inherits():
    spec = textwrap.indent(textwrap.dedent(POD_SPEC), "  ")
    resource = one("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:" + spec)
    init, app, debug = resource.workload.containers()
    # container value wins over the pod's
    assert app.security_context.run_as_user == 2000
    assert app.security_context.pointer("runAsUser") == Pointer(
        ("spec", "containers", 0, "securityContext", "runAsUser")
    )
    # pod-level values are inherited by every container, init and ephemeral too
    for c in (app, init, debug):
        assert c.security_context.run_as_non_root is True
        assert c.security_context.seccomp_type == "RuntimeDefault"
    assert init.security_context.source("runAsUser") == "pod"
    assert init.security_context.pointer("runAsUser") == Pointer(("spec", "securityContext", "runAsUser"))
    # fields that only exist per container are never inherited
    assert app.security_context.privileged is False
    assert init.security_context.privileged is None
    assert init.security_context.pointer("privileged") == Pointer(
        ("spec", "initContainers", 0, "securityContext", "privileged")
    )


def unchecked(text: str) -> Resource:
    """A resource built without the loader (whose type check rejects malformed built-in objects)."""
    return Resource(yaml.safe_load(text), SourceLocation("x.yaml"))


def test_non_workloads_and_malformed_pod_specs():
    assert one("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {}").workload is None
    assert (
        unchecked("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {template: 3}").workload
        is None
    )
    weird = unchecked(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [3, {name: ok}], initContainers: x}"
    )
    assert [c.name for c in weird.workload.containers()] == ["ok"]


def test_object_identity_and_namespaces():
    pod = one("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}")
    assert pod.namespace is None and pod.effective_namespace == "default"
    assert str(pod.ref) == "Pod/default/p"
    crb = one(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: c, namespace: x}\nroleRef: {}"
    )
    assert crb.effective_namespace is None and str(crb.ref) == "ClusterRoleBinding/c"


def _rule(code, slug):
    return Rule(
        code=code,
        slug=slug,
        title="t",
        severity=Severity.LOW,
        applies_to=WORKLOADS,
        check=lambda w, c: iter(()),
        remediation="r",
    )


def test_registry_rejects_duplicate_codes_and_slugs():
    with pytest.raises(RegistryError, match="duplicate rule code TST001"):
        _unique([_rule("TST001", "a"), _rule("TST001", "b")])
    with pytest.raises(RegistryError, match="duplicate rule slug a"):
        _unique([_rule("TST001", "a"), _rule("TST002", "a")])
    with pytest.raises(ValueError, match="rule code"):
        _rule("tst1", "a")


def test_selection_by_code_prefix_and_slug():
    rules = [_rule("TST001", "one"), _rule("TST002", "two"), _rule("OTH001", "three")]
    assert [r.code for r in select_rules(rules, ["TST"])] == ["TST001", "TST002"]
    assert [r.code for r in select_rules(rules, ["two", "OTH001"])] == ["TST002", "OTH001"]
    assert [r.code for r in select_rules(rules, [], ["TST00"])] == ["OTH001"]
    with pytest.raises(RegistryError):
        select_rules(rules, ["NOPE"])
