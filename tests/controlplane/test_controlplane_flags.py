"""The component flag model: pflag's parsing rules, kubeadm extraArgs, systemd units, etcd env."""

from __future__ import annotations

import shlex

from hypothesis import given
from hypothesis import strategies as st

from kubeguard.loading.systemd import kubelet_command_flags, parse_env_file, parse_unit
from kubeguard.model.controlplane.commands import container_argv
from kubeguard.model.controlplane.flags import BOOL_FLAGS, Flag, FlagSet, parse_argv, parse_bool
from kubeguard.model.controlplane.kubeadm import extra_args
from kubeguard.model.controlplane.static_pod import static_pod_component
from kubeguard.model.pointer import ROOT, Pointer
from kubeguard.model.resource import Resource, SourceLocation


def _flags(*tokens: str) -> FlagSet:
    return FlagSet(parse_argv([(t, Pointer(("command", i))) for i, t in enumerate(tokens)]))


def test_equals_space_and_bare_forms():
    fs = _flags("--a=1", "--b", "2", "--profiling", "--c=", "-v=2")
    assert fs.value("a") == "1"
    assert fs.value("b") == "2"
    assert fs.value("profiling") == "true"
    assert fs.value("c") == "" and not fs.has("c") and "c" in fs
    assert fs.value("v") == "2"


def test_boolean_flag_never_takes_the_next_word():
    # pflag: `--profiling false` sets profiling=true and leaves `false` as an argument.
    fs = _flags("--profiling", "false", "--anonymous-auth", "false")
    assert fs.bool("profiling", default=False) is True
    assert fs.bool("anonymous-auth", default=False) is True


def test_value_that_looks_like_a_flag_is_not_consumed():
    fs = _flags("--token-auth-file", "--profiling=false")
    assert fs.value("token-auth-file") == "true"  # bare
    assert fs.bool("profiling", True) is False


def test_last_occurrence_wins_and_lists_accumulate():
    fs = _flags(
        "--profiling=true",
        "--enable-admission-plugins=A,B",
        "--profiling=false",
        "--enable-admission-plugins=C",
        "--feature-gates=X=true,Y=false",
        "--feature-gates=X=false",
    )
    assert fs.bool("profiling", True) is False
    assert fs.at("profiling") == Pointer(("command", 2))
    assert fs.list("enable-admission-plugins") == ["A", "B", "C"]
    assert fs.mapping("feature-gates") == {"X": "false", "Y": "false"}


def test_double_dash_ends_flags():
    fs = _flags("--a=1", "--", "--b=2")
    assert "a" in fs and "b" not in fs


def test_absent_flag_points_where_it_should_be_added():
    fs = FlagSet([], Pointer(("spec", "containers", 0, "command")))
    assert fs.at("profiling") == Pointer(("spec", "containers", 0, "command"))
    assert fs.bool("profiling", default=True) is True


def test_parse_bool_is_pflag_strconv():
    assert parse_bool(None) is True
    assert [parse_bool(v) for v in ("1", "t", "TRUE", "True", "0", "f", "False")] == [True] * 4 + [False] * 3
    assert parse_bool("yes") is None


def _pod(container: dict) -> Resource:
    raw = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "kube-system"},
        "spec": {"containers": [container]},
    }
    return Resource(raw, SourceLocation("x.yaml"))


def test_command_plus_args_and_pointers():
    cfg = static_pod_component(
        _pod({"name": "api", "command": ["kube-apiserver", "--a=1"], "args": ["--b=2"]})
    )
    assert cfg is not None and cfg.component == "kube-apiserver"
    assert cfg.flags.at("b") == Pointer(("spec", "containers", 0, "args", 0))
    assert cfg.flags.at("a") == Pointer(("spec", "containers", 0, "command", 1))


def test_shell_wrapper_and_hyperkube():
    cfg = static_pod_component(
        _pod(
            {
                "name": "api",
                "command": ["/bin/sh", "-c", "exec /usr/local/bin/kube-apiserver --profiling='false'"],
            }
        )
    )
    assert cfg is not None and cfg.flags.value("profiling") == "false"
    cfg = static_pod_component(
        _pod({"name": "cm", "command": ["/hyperkube", "kube-controller-manager", "--profiling=false"]})
    )
    assert cfg is not None and cfg.component == "kube-controller-manager"


def test_etcd_environment_variables_count_and_flags_win():
    cfg = static_pod_component(
        _pod(
            {
                "name": "etcd",
                "command": ["etcd", "--client-cert-auth=true"],
                "env": [
                    {"name": "ETCD_CLIENT_CERT_AUTH", "value": "false"},
                    {"name": "ETCD_AUTO_TLS", "value": True},
                ],
            }
        )
    )
    assert cfg is not None
    assert cfg.flags.value("client-cert-auth") == "true"
    assert cfg.flags.value("auto-tls") == "true"
    assert cfg.flags.origin("auto-tls") == "env"


def test_not_a_component():
    assert static_pod_component(_pod({"name": "nginx", "image": "nginx", "command": ["nginx"]})) is None


def test_kubeadm_extra_args_both_forms():
    v3 = extra_args({"profiling": "false", "audit-log-maxage": 30}, Pointer(("apiServer", "extraArgs")))
    v4 = extra_args(
        [{"name": "profiling", "value": "false"}, {"name": "audit-log-maxage", "value": "30"}],
        Pointer(("apiServer", "extraArgs")),
    )
    assert (
        [(f.name, f.value) for f in v3]
        == [(f.name, f.value) for f in v4]
        == [("profiling", "false"), ("audit-log-maxage", "30")]
    )
    assert v3[0].at == Pointer(("apiServer", "extraArgs", "profiling"))
    assert v4[1].at == Pointer(("apiServer", "extraArgs", 1, "value"))


KUBEADM_DROPIN = """\
# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
"""


def test_kubelet_flags_from_systemd_dropin_and_env_files():
    unit = parse_unit(
        [
            ("/lib/systemd/system/kubelet.service", "[Service]\nExecStart=/usr/bin/kubelet\n"),
            ("/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", KUBEADM_DROPIN),
        ]
    )
    env = {
        "/var/lib/kubelet/kubeadm-flags.env": 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock --read-only-port=0"\n',
        "/etc/default/kubelet": "KUBELET_EXTRA_ARGS=--read-only-port=10255 --anonymous-auth=true\n",
    }
    flags, found = kubelet_command_flags(unit, env)
    assert found
    assert flags.value("config") == "/var/lib/kubelet/config.yaml"
    assert flags.value("read-only-port") == "10255"  # KUBELET_EXTRA_ARGS comes last
    assert "KUBELET_EXTRA_ARGS" in (flags.origin("anonymous-auth") or "")
    assert "/etc/default/kubelet" in (flags.origin("anonymous-auth") or "")


def test_empty_exec_start_resets():
    unit = parse_unit(
        [("a", "[Service]\nExecStart=/usr/bin/kubelet --a=1\n"), ("b", "[Service]\nExecStart=\n")]
    )
    flags, found = kubelet_command_flags(unit, {})
    assert not found and len(flags) == 0


def test_env_file_comments_quotes_export():
    assert parse_env_file("# c\n; c\nexport A='x y'\nB=\"z\"\nC=plain\nnot a line\n") == {
        "A": "x y",
        "B": "z",
        "C": "plain",
    }


def test_container_argv_without_command():
    assert container_argv({"args": []}, ROOT) is None


# --- properties ---------------------------------------------------------------------------------

NAME = st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True).filter(lambda n: n not in BOOL_FLAGS)
VALUE = st.from_regex(r"[A-Za-z0-9_./:,=]{1,20}", fullmatch=True)


@given(st.lists(st.tuples(NAME, VALUE, st.booleans()), max_size=12))
def test_equals_and_space_forms_parse_the_same(pairs):
    equals = [f"--{n}={v}" for n, v, _ in pairs]
    mixed: list[str] = []
    for n, v, space in pairs:
        mixed += [f"--{n}", v] if space and not v.startswith("-") else [f"--{n}={v}"]
    a, b = _flags(*equals), _flags(*mixed)
    assert [(f.name, f.value) for f in a] == [(f.name, f.value) for f in b]
    for n, _v, _ in pairs:
        assert a.value(n) == [val for nn, val, _ in pairs if nn == n][-1]


@given(st.lists(st.text(max_size=30), max_size=20))
def test_any_argv_parses_without_error(tokens):
    fs = _flags(*tokens)
    for f in fs:
        assert isinstance(f, Flag) and f.name


@given(st.lists(st.tuples(NAME, VALUE), max_size=8))
def test_systemd_round_trip(pairs):
    args = " ".join(f"--{n}={shlex.quote(v)}" for n, v in pairs)
    unit = parse_unit(
        [
            (
                "u",
                f'[Service]\nEnvironment="KUBELET_EXTRA_ARGS={args}"\nExecStart=/usr/bin/kubelet $KUBELET_EXTRA_ARGS\n',
            )
        ]
    )
    flags, found = kubelet_command_flags(unit, {})
    assert found
    for n, _v in pairs:
        assert flags.value(n) == [val for nn, val in pairs if nn == n][-1]
