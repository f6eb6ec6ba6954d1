"""One pod view for every family: container order, own and effective securityContext, Windows."""

from __future__ import annotations

import textwrap

from kubeguard.analyzers.pss.policy import evaluate
from kubeguard.engine.registry import all_rules
from kubeguard.engine.runner import evaluate as run_rules
from kubeguard.loading.documents import parse_text
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext

RULES = {r.code: r for r in all_rules()}


def one(text: str) -> Resource:
    items = parse_text(textwrap.dedent(text), "t.yaml")
    (resource,) = [r for r in items if isinstance(r, Resource)]
    return resource


POD = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: {runAsUser: 1000}
  ephemeralContainers:
  - {name: debug, image: busybox, securityContext: {privileged: true}}
  containers:
  - {name: app, image: nginx, securityContext: {privileged: true, runAsUser: 20000}}
  initContainers:
  - {name: init, image: busybox, securityContext: {privileged: true}}
"""


def test_containers_in_kubernetes_order_for_every_family():
    workload = one(POD).workload
    assert workload is not None
    assert [c.name for c in workload.containers()] == ["init", "app", "debug"]
    (privileged,) = [r for r in evaluate(workload, "baseline", "latest") if r.check == "privileged"]
    # Pod Security names them in the same order, from the same view
    assert (
        privileged.detail == 'containers "init", "app", "debug" must not set securityContext.privileged=true'
    )


def test_own_and_effective_security_context():
    init, app, _ = one(POD).workload.containers()
    assert app.own_sc == {"privileged": True, "runAsUser": 20000}
    assert app.security_context.run_as_user == 20000
    assert "runAsUser" not in init.own_sc
    assert init.security_context.run_as_user == 1000
    assert init.security_context.pointer("runAsUser") == init.pod_sc_pointer / "runAsUser"
    assert app.sc_pointer("runAsUser") == app.pointer.join("securityContext", "runAsUser")


def test_unnamed_container_keeps_the_api_value_for_pod_security():
    workload = one(
        """\
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - {image: nginx, securityContext: {privileged: true}}
        """
    ).workload
    (c,) = workload.containers()
    assert (c.name, c.declared_name) == ("#0", "")
    (privileged,) = [r for r in evaluate(workload, "baseline", "latest") if r.check == "privileged"]
    assert privileged.detail == 'container "" must not set securityContext.privileged=true'


WINDOWS_BY_SELECTOR = """\
apiVersion: v1
kind: Pod
metadata: {name: win}
spec:
  nodeSelector: {kubernetes.io/os: windows}
  securityContext: {runAsUser: 1000}
  containers:
  - {name: app, image: mcr.microsoft.com/windows/nanoserver:ltsc2022}
"""


def test_one_windows_model_two_questions():
    selected = one(WINDOWS_BY_SELECTOR).workload
    assert selected.runs_on_windows and not selected.declares_windows
    declared = one(
        WINDOWS_BY_SELECTOR.replace("nodeSelector: {kubernetes.io/os: windows}", "os: {name: windows}")
    )
    assert declared.workload.runs_on_windows and declared.workload.declares_windows
    # The workload rules skip a pod pinned to Windows nodes; Pod Security exempts only spec.os.name,
    # as admission does.
    report = run_rules(ScanContext([one(WINDOWS_BY_SELECTOR)]), [RULES["WKL002"], RULES["PSS014"]])
    assert {f.rule.code for f in report.findings} == {"PSS014"}
    report = run_rules(ScanContext([declared]), [RULES["WKL002"], RULES["PSS014"]])
    assert not report.findings


def test_pod_security_version_skew_never_changes_the_shared_view():
    # The API server of v1.19-v1.26 fills seccompProfile from the old annotations before admission;
    # Pod Security judges that on a private copy, while the other rules keep reading the manifest.
    from kubeguard.rules.context import ScanOptions

    resource = one(
        """\
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          annotations:
            seccomp.security.alpha.kubernetes.io/pod: unconfined
            container.seccomp.security.alpha.kubernetes.io/app: unconfined
        spec:
          containers:
          - {name: app, image: nginx}
        """
    )
    ctx = ScanContext([resource], ScanOptions(pss_level="baseline", k8s_version="v1.22"))
    report = run_rules(ctx, [RULES["PSS009"]])
    assert sorted(f.pointer for f in report.findings) == [
        "/metadata/annotations/container.seccomp.security.alpha.kubernetes.io~1app",
        "/metadata/annotations/seccomp.security.alpha.kubernetes.io~1pod",
    ]
    workload = resource.workload
    assert "seccompProfile" not in workload.pod_sc
    (app,) = workload.containers()
    assert "seccompProfile" not in app.own_sc and type(app).__name__ == "Container"
