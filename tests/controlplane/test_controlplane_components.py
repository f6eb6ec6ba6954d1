"""Which component a Pod starts: by command, by args, through launchers, by image; memoised per
resource."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubeguard.model.controlplane.commands import (
    component_of_binary,
    component_of_image,
    container_argv,
    container_component,
)
from kubeguard.model.controlplane.static_pod import pod_component, static_pod_component
from kubeguard.model.pointer import ROOT, Pointer
from kubeguard.model.resource import Resource, SourceLocation


def _pod(*containers: dict[str, Any]) -> Resource:
    raw = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "kube-system"},
        "spec": {"containers": list(containers)},
    }
    return Resource(raw, SourceLocation("x.yaml"))


def test_memo_builds_once_per_resource_and_key():
    r = _pod({"name": "c", "image": "nginx"})
    calls: list[Resource] = []

    def build(res: Resource) -> int:
        calls.append(res)
        return len(calls)

    assert r.memo("a", build) == 1
    assert r.memo("a", build) == 1
    assert r.memo("b", build) == 2
    assert _pod({"name": "c"}).memo("a", build) == 3
    assert calls[0] is r


def test_pod_component_is_per_resource_even_when_objects_are_shared():
    # Two resources over the same decoded object (a List item re-read, a rendered copy) and a third
    # over another object, asked in turn: each answer belongs to its own resource.
    api = {"name": "a", "command": ["kube-apiserver"]}
    first = _pod(api)
    twin = Resource(first.raw, SourceLocation("y.yaml"))
    etcd = _pod({"name": "e", "command": ["etcd"]})
    for _ in range(2):
        assert pod_component(first) == "kube-apiserver"
        assert pod_component(etcd) == "etcd"
        assert pod_component(twin) == "kube-apiserver"
    assert pod_component(_pod({"name": "n", "command": ["nginx"]})) is None


# --- which program a container starts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "component"),
    [
        ("registry.k8s.io/kube-apiserver:v1.31.2", "kube-apiserver"),
        ("k8s.gcr.io/kube-controller-manager-amd64:v1.15.12", "kube-controller-manager"),
        ("harbor.corp.example:8443/mirror/kube-scheduler@sha256:" + "a" * 64, "kube-scheduler"),
        ("k8s.gcr.io/etcd:3.5.6-0", "etcd"),
        ("quay.io/coreos/etcd:v3.5.9", "etcd"),
        ("gcr.io/etcd-development/etcd:v3.5.16", "etcd"),
        ("bitnami/etcd", "etcd"),
        ("docker.io/bitnami/etcd:3.5.16", "etcd"),
        ("rancher/mirrored-coreos-etcd:v3.5.9", "etcd"),
        ("rancher/hardened-etcd:v3.5.13-k3s1-build20240531", "etcd"),
        ("rancher/hardened-kubernetes:v1.31.2-rke2r1", None),  # one image for every component
        ("ghcr.io/example/etcd-operator:v1", None),
        ("nginx:1.27", None),
        ("{{ .Values.image }}", None),
        (None, None),
    ],
)
def test_component_of_image(image, component):
    assert component_of_image(image) == component


def _argv(container: dict[str, Any]) -> tuple[str, list[str]] | None:
    found = container_argv(container, ROOT)
    return None if found is None else (found[0], [t for t, _ in found[1]])


def test_args_only_on_a_component_image_are_its_flags():
    c = {"image": "registry.k8s.io/etcd:3.5.15-0", "args": ["--auto-tls=true"]}
    assert _argv(c) == ("etcd", ["--auto-tls=true"])
    assert container_component(c) == "etcd"
    # Nothing at all: the image's entrypoint runs the component with its defaults (and ETCD_* env).
    assert _argv({"image": "bitnami/etcd:3.5"}) == ("etcd", [])


def test_args_that_name_another_program_are_not_the_component():
    assert container_component({"image": "registry.k8s.io/etcd:3.5", "args": ["etcdctl", "get", "/"]}) is None
    assert (
        container_component({"image": "quay.io/coreos/etcd:v3.5.9", "command": ["sleep"], "args": ["-x"]})
        is None
    )
    assert container_component({"image": "ghcr.io/acme/tool:1", "args": ["--peer-auto-tls=true"]}) is None


def test_go_runner_flags_are_looked_through():
    c = {
        "command": [
            "/go-runner",
            "--log-file",
            "/var/log/a.log",
            "--also-stdout=false",
            "/usr/local/bin/kube-apiserver",
            "--x=1",
        ]
    }
    assert _argv(c) == ("/usr/local/bin/kube-apiserver", ["--x=1"])
    # As the entrypoint of the registry.k8s.io images, with args only, whatever the image is called.
    c = {"image": "mirror.example/k8s/apiserver-image:1", "args": ["-log-file=/l", "kube-scheduler", "--y=2"]}
    assert _argv(c) == ("kube-scheduler", ["--y=2"])
    # A flag go-runner does not have means the args are not go-runner's.
    assert container_component({"image": "nginx", "args": ["--profiling=false", "kube-scheduler"]}) is None


@pytest.mark.parametrize(
    "shell",
    [
        ["sh", "-c"],
        ["/bin/bash", "-ec"],
        ["/bin/bash", "-euxo", "pipefail", "-c"],
        ["bash", "--login", "-c"],
        ["/bin/sh", "-c", "--"],
    ],
)
def test_shell_options_before_the_script(shell):
    c = {"command": shell, "args": ["exec /usr/local/bin/kube-apiserver --profiling=false"]}
    assert _argv(c) == ("/usr/local/bin/kube-apiserver", ["--profiling=false"])


def test_script_with_several_commands_finds_the_component():
    script = (
        "set -e\nmkdir -p /var/lib/etcd && chmod 700 /var/lib/etcd; "
        "ETCD_X=1 exec etcd --auto-tls=false \\\n  --peer-auto-tls='true' 2>&1 | tee /var/log/etcd.log"
    )
    assert _argv({"command": ["/bin/sh", "-c", script]}) == (
        "etcd",
        ["--auto-tls=false", "--peer-auto-tls=true"],
    )
    # No component: the script's first command is the program.
    assert _argv({"command": ["sh", "-c", "echo kube-apiserver --profiling=true"]}) == (
        "echo",
        ["kube-apiserver", "--profiling=true"],
    )
    assert _argv({"command": ["sh", "/entrypoint.sh"]}) is None
    assert _argv({"command": ["sh", "-c", "exec etcd 'unclosed"]}) is None


def test_hyperkube_and_busybox():
    assert _argv({"command": ["/hyperkube", "kube-apiserver", "--a=1"]}) == ("kube-apiserver", ["--a=1"])
    assert _argv({"command": ["busybox", "sh", "-c", "exec etcd --a=1"]}) == ("etcd", ["--a=1"])


def test_static_pod_flags_from_args_point_at_args():
    raw = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "etcd"},
        "spec": {
            "containers": [
                {"name": "etcd", "image": "quay.io/coreos/etcd:v3.5.9", "args": ["--auto-tls=true"]}
            ]
        },
    }
    cfg = static_pod_component(Resource(raw, SourceLocation("x.yaml")))
    assert cfg is not None and cfg.component == "etcd"
    assert cfg.flags.at("auto-tls") == Pointer(("spec", "containers", 0, "args", 0))
    assert cfg.flags.insert_at == Pointer(("spec", "containers", 0, "args"))


_WORDS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["sh", "-c", "-euxo", "pipefail", "--", "exec", "/go-runner", "--log-file", "hyperkube", "etcd"]
    ),
    st.sampled_from(["kube-apiserver", "--profiling=false", "2>&1", "&&", ";", "'", '"', "\\", "\n"]),
    st.sampled_from(
        ["nice", "-n", "ionice", "timeout", "env", "A=1", "tini", "busybox", "then", "do", "$(", ")"]
    ),
)


@given(
    command=st.one_of(st.none(), st.lists(_WORDS, max_size=6)),
    args=st.one_of(st.none(), st.lists(_WORDS, max_size=6), st.lists(st.text(max_size=40), max_size=2)),
    image=st.one_of(
        st.none(), st.text(max_size=30), st.sampled_from(["registry.k8s.io/etcd:3.5", "bitnami/etcd"])
    ),
)
def test_any_container_is_read_without_error(command, args, image):
    container: dict[str, Any] = {"name": "c"}
    for key, value in (("command", command), ("args", args), ("image", image)):
        if value is not None:
            container[key] = value
    found = container_argv(container, ROOT)
    # The cheap test agrees with the full reading.
    assert container_component(container) == (component_of_binary(found[0]) if found else None)
    static_pod_component(_pod(container))


def test_launchers_are_looked_through():
    assert _argv({"command": ["nice", "-n", "-19", "ionice", "-c2", "-n0", "etcd", "--a=1"]}) == (
        "etcd",
        ["--a=1"],
    )
    assert _argv({"command": ["timeout", "-s", "TERM", "300", "kube-scheduler", "--b=2"]}) == (
        "kube-scheduler",
        ["--b=2"],
    )
    assert _argv({"command": ["/usr/bin/env", "-u", "HOME", "GOGC=50", "kube-apiserver", "--c=3"]}) == (
        "kube-apiserver",
        ["--c=3"],
    )
    assert _argv({"command": ["/tini", "--", "etcd"]}) == ("etcd", [])
    assert _argv({"command": ["dumb-init", "--single-child", "--", "/usr/local/bin/etcd", "--d=4"]}) == (
        "/usr/local/bin/etcd",
        ["--d=4"],
    )
    assert _argv({"command": ["nice", "-n", "5"]}) is None  # nothing left to run


def test_script_clauses_and_substitutions():
    script = (
        "#!/bin/sh\nset -euo pipefail\nwhile [ -n \"$(ss -Htan '( sport = 2379 )')\" ]; do\n  sleep 1\ndone\n"
        "if [ -f /x ]; then exec etcd --auto-tls=true; fi"
    )
    assert _argv({"command": ["/bin/sh", "-c", script]}) == ("etcd", ["--auto-tls=true"])


def test_wrapper_with_its_own_configuration_is_not_looked_through():
    # OpenShift's kube-apiserver reads most settings from --openshift-config: its command-line
    # defaults would be misjudged, so watch-termination is not a launcher.
    script = (
        "LOCK=/var/log/kube-apiserver/.lock\n"
        'exec {LOCK_FD}>${LOCK} && flock --verbose -w 30 "${LOCK_FD}" || {\n  exit 1\n}\n'
        "exec watch-termination --termination-touch-file=/var/log/kube-apiserver/.terminating -- "
        "hyperkube kube-apiserver --openshift-config=/etc/kubernetes/config.yaml"
    )
    container = {
        "image": "quay.io/openshift/ose-hyperkube:4.17",
        "command": ["/bin/bash", "-ec"],
        "args": [script],
    }
    assert container_component(container) is None
