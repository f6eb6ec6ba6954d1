"""``kubeguard node --root``: a node tree built in tmp_path, with chmod/chown'ed files."""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kubeguard.cli.main import cli
from kubeguard.loading.node import collect, host_path_of

FIXTURES = Path(__file__).parent / "fixtures" / "kubeadm-v1.31"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
KEY = base64.b64encode(b"k" * 32).decode()

DROPIN = """\
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
"""

ENCRYPTION = f"""\
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - aescbc:
          keys: [{{name: key1, secret: {KEY}}}, {{name: key2, secret: {base64.b64encode(b"short").decode()}}}]
      - identity: {{}}
"""

POLICY = """\
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse
"""


def _write(root: Path, path: str, text: str, mode: int = 0o600) -> Path:
    p = root / path.lstrip("/")
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    p.chmod(mode)
    return p


def _control_plane(root: Path, *, extra_apiserver_flags: list[str] = ()) -> None:
    manifests = root / "etc/kubernetes/manifests"
    manifests.mkdir(parents=True)
    for name in ("kube-apiserver.yaml", "kube-controller-manager.yaml", "kube-scheduler.yaml", "etcd.yaml"):
        text = (FIXTURES / name).read_text()
        if name == "kube-apiserver.yaml" and extra_apiserver_flags:
            text = text.replace(
                "    - --allow-privileged=true\n",
                "    - --allow-privileged=true\n" + "".join(f"    - {f}\n" for f in extra_apiserver_flags),
            )
        _write(root, f"/etc/kubernetes/manifests/{name}", text)
    for conf in (
        "admin.conf",
        "super-admin.conf",
        "scheduler.conf",
        "controller-manager.conf",
        "kubelet.conf",
    ):
        _write(root, f"/etc/kubernetes/{conf}", "apiVersion: v1\nkind: Config\n")
    for name in ("ca", "apiserver", "sa", "etcd/ca", "etcd/server"):
        _write(root, f"/etc/kubernetes/pki/{name}.crt", "CERT", 0o644)
        _write(root, f"/etc/kubernetes/pki/{name}.key", "KEY", 0o600)
    (root / "var/lib/etcd").mkdir(parents=True)
    (root / "var/lib/etcd").chmod(0o700)


def _kubelet(root: Path, extra_args: str = "", with_config: bool = True) -> None:
    _write(root, "/usr/lib/systemd/system/kubelet.service", "[Service]\nExecStart=/usr/bin/kubelet\n")
    dropin = (
        DROPIN
        if with_config
        else DROPIN.replace('Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"\n', "")
    )
    _write(root, "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", dropin)
    _write(
        root,
        "/var/lib/kubelet/kubeadm-flags.env",
        'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock"\n',
    )
    if extra_args:
        _write(root, "/etc/default/kubelet", f'KUBELET_EXTRA_ARGS="{extra_args}"\n')
    if with_config:
        shutil.copy(FIXTURES / "kubelet-config.yaml", root / "var/lib/kubelet/config.yaml")
        (root / "var/lib/kubelet/config.yaml").chmod(0o600)


def _run(root: Path, *args: str):
    result = CliRunner().invoke(cli, ["node", "--root", str(root), "--format", "json", *args])
    data = json.loads(result.stdout) if result.stdout.strip().startswith("{") else None
    return result, data


def _by_rule(data) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in data["findings"]:
        out.setdefault(f["rule"], []).append(f)
    return out


def test_nothing_to_check_is_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["node", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert "nothing to check" in result.output


def test_root_must_be_a_directory(tmp_path):
    result = CliRunner().invoke(cli, ["node", "--root", str(tmp_path / "missing")])
    assert result.exit_code == 2


def test_control_plane_node(tmp_path):
    _control_plane(tmp_path)
    _kubelet(tmp_path, extra_args="--read-only-port=10255")
    (tmp_path / "etc/kubernetes/manifests/kube-apiserver.yaml").chmod(0o644)
    (tmp_path / "etc/kubernetes/super-admin.conf").chmod(0o640)
    (tmp_path / "etc/kubernetes/pki/sa.key").chmod(0o644)
    (tmp_path / "etc/kubernetes/pki/ca.crt").chmod(0o666)
    result, data = _run(tmp_path)
    assert result.exit_code == 1, result.output
    rules = _by_rule(data)
    # file permissions, named by node path
    assert [f["resource"]["name"] for f in rules["CP110"]] == [
        "/etc/kubernetes/manifests/kube-apiserver.yaml"
    ]
    assert "CP112" not in rules  # controller manager manifest is 0600
    assert [f["resource"]["name"] for f in rules["CP120"]] == ["/etc/kubernetes/super-admin.conf"]
    assert [f["resource"]["name"] for f in rules["CP128"]] == ["/etc/kubernetes/pki/sa.key"]
    assert [f["resource"]["name"] for f in rules["CP127"]] == ["/etc/kubernetes/pki/ca.crt"]
    assert [f["resource"]["name"] for f in rules["CP135"]] == [
        "/etc/kubernetes/pki/ca.crt"
    ]  # kubelet client CA
    assert rules["CP110"][0]["compliance"]["cis-1.12"] == ["1.1.1"]
    assert rules["CP110"][0]["resource"]["namespace"] is None
    # the same flag findings as `kubeguard scan` of the manifests
    assert {"CP001", "CP015", "CP016", "CP027", "CP030", "CP040", "CP041", "CP050"} <= set(rules)
    # the kubelet flag from /etc/default/kubelet overrides the configuration file
    [ro] = rules["CP073"]
    assert "--read-only-port=10255" in ro["message"] and "/etc/default/kubelet" in ro["message"]
    assert ro["file"].endswith("var/lib/kubelet/config.yaml")
    assert "CP070" not in rules  # anonymous auth is off in the configuration file, no flag changes it
    # kubeadm runs etcd as root: CIS 1.1.12 wants etcd:etcd
    assert [f["resource"]["name"] for f in rules["CP119"]] == ["/var/lib/etcd"]
    assert data["options"]["checked"]


def test_files_the_api_server_names_are_read_and_key_material_never_printed(tmp_path):
    _control_plane(
        tmp_path,
        extra_apiserver_flags=[
            "--encryption-provider-config=/etc/kubernetes/enc/encryption.yaml",
            "--audit-policy-file=/etc/kubernetes/audit/policy.yaml",
        ],
    )
    # kubeadm mounts such files through hostPath volumes: map the container path to the node path
    manifest = tmp_path / "etc/kubernetes/manifests/kube-apiserver.yaml"
    text = (
        manifest.read_text()
        .replace(
            "    - mountPath: /etc/kubernetes/pki\n",
            "    - mountPath: /etc/kubernetes/enc\n      name: enc\n      readOnly: true\n    - mountPath: /etc/kubernetes/pki\n",
        )
        .replace(
            "  volumes:\n",
            "  volumes:\n  - hostPath:\n      path: /srv/kube-enc\n      type: DirectoryOrCreate\n    name: enc\n",
        )
    )
    manifest.write_text(text)
    _write(tmp_path, "/srv/kube-enc/encryption.yaml", ENCRYPTION, 0o644)
    _write(tmp_path, "/etc/kubernetes/audit/policy.yaml", POLICY, 0o600)
    result, data = _run(tmp_path)
    rules = _by_rule(data)
    assert "CP027" not in rules and "CP030" not in rules
    assert {"CP092", "CP093", "CP100", "CP141"} <= set(rules)
    assert rules["CP141"][0]["resource"]["name"] == "/srv/kube-enc/encryption.yaml"
    assert KEY not in result.stdout and base64.b64encode(b"short").decode() not in result.stdout
    table = CliRunner().invoke(cli, ["node", "--root", str(tmp_path)])
    assert KEY not in table.output


def test_referenced_file_missing_is_reported(tmp_path):
    _control_plane(tmp_path, extra_apiserver_flags=["--audit-policy-file=/etc/kubernetes/audit/policy.yaml"])
    _, data = _run(tmp_path)
    [missing] = _by_rule(data)["CP032"]
    assert "--audit-policy-file=/etc/kubernetes/audit/policy.yaml" in missing["message"]
    assert missing["line"] is not None
    # `kubeguard scan` cannot see node files: the rule is switched off there
    scan = CliRunner().invoke(
        cli, ["scan", str(tmp_path / "etc/kubernetes/manifests"), "-f", "json", "--select", "CP032"]
    )
    assert json.loads(scan.stdout)["rules"][0]["evaluations"]["notApplicable"] == 4


def test_worker_with_flags_only_uses_command_line_defaults(tmp_path):
    _kubelet(tmp_path, with_config=False)
    _write(tmp_path, "/etc/kubernetes/kubelet.conf", "apiVersion: v1\n", 0o644)
    _, data = _run(tmp_path)
    rules = _by_rule(data)
    # without --config the kubelet keeps its legacy defaults: anonymous on, AlwaysAllow, port 10255
    assert {"CP070", "CP071", "CP073", "CP133"} <= set(rules)
    assert rules["CP070"][0]["resource"]["name"] == "kubelet (command line)"


def test_host_path_of_maps_mounts():
    pod = {
        "spec": {
            "containers": [{"name": "c", "volumeMounts": [{"name": "v", "mountPath": "/etc/x"}]}],
            "volumes": [{"name": "v", "hostPath": {"path": "/srv/x"}}],
        }
    }
    assert host_path_of(pod, "c", "/etc/x/a.yaml") == "/srv/x/a.yaml"
    assert host_path_of(pod, "c", "/etc/xy/a.yaml") == "/etc/xy/a.yaml"


@pytest.mark.skipif(not IS_ROOT, reason="chown needs root")
def test_ownership_with_the_trees_own_user_names(tmp_path):
    _control_plane(tmp_path)
    _write(
        tmp_path,
        "/etc/passwd",
        "root:x:0:0::/root:/bin/sh\netcd:x:998:998::/var/lib/etcd:/sbin/nologin\nkube:x:1000:1000::/home/kube:/bin/sh\n",
        0o644,
    )
    _write(tmp_path, "/etc/group", "root:x:0:\netcd:x:998:\nkube:x:1000:\n", 0o644)
    os.chown(tmp_path / "var/lib/etcd", 998, 998)
    os.chown(tmp_path / "etc/kubernetes/admin.conf", 1000, 0)
    os.chown(tmp_path / "etc/kubernetes/pki/etcd/server.key", 0, 1000)
    _, data = _run(tmp_path)
    rules = _by_rule(data)
    assert "CP119" not in rules  # etcd:etcd by the tree's names
    [admin] = rules["CP121"]
    assert "owned by kube:root" in admin["message"]
    assert [f["resource"]["name"] for f in rules["CP126"]] == ["/etc/kubernetes/pki/etcd/server.key"]
    scan = collect(str(tmp_path))
    assert not scan.empty


def test_static_pod_path_and_cni_files(tmp_path):
    _kubelet(tmp_path)
    config = tmp_path / "var/lib/kubelet/config.yaml"
    config.write_text(
        config.read_text().replace("staticPodPath: /etc/kubernetes/manifests", "staticPodPath: /srv/static")
    )
    shutil.copy(FIXTURES / "kube-scheduler.yaml", tmp_path / "srv-static.yaml")
    (tmp_path / "srv/static").mkdir(parents=True)
    shutil.move(tmp_path / "srv-static.yaml", tmp_path / "srv/static/kube-scheduler.yaml")
    (tmp_path / "srv/static/kube-scheduler.yaml").chmod(0o644)
    _write(tmp_path, "/etc/cni/net.d/10-flannel.conflist", "{}", 0o644)
    _write(tmp_path, "/var/lib/cni/networks/cbr0/10.244.0.2", "abc", 0o600)
    _, data = _run(tmp_path)
    rules = _by_rule(data)
    assert [f["resource"]["name"] for f in rules["CP114"]] == ["/srv/static/kube-scheduler.yaml"]
    assert "CP050" in rules
    assert [f["resource"]["name"] for f in rules["CP143"]] == ["/etc/cni/net.d/10-flannel.conflist"]


def test_exceptions_and_selection(tmp_path):
    _control_plane(tmp_path)
    config = tmp_path / "kubeguard.yaml"
    config.write_text(
        "exceptions:\n"
        "  - rule: CP119\n"
        "    reason: kubeadm runs etcd as root\n"
        "    match: {kind: NodeFile, name: /var/lib/etcd}\n"
    )
    _, data = _run(tmp_path, "--config", str(config), "--select", "CP1")
    assert {f["rule"] for f in data["findings"]} <= {f"CP{n}" for n in range(100, 200)}
    [etcd] = [f for f in data["findings"] if f["rule"] == "CP119"]
    assert etcd["suppressed"] and "kubeadm runs etcd as root" in etcd["suppression"]
    result = CliRunner().invoke(cli, ["node", "--root", str(tmp_path), "--select", "NOPE"])
    assert result.exit_code == 2


def test_json_report_follows_the_schema(tmp_path):
    import jsonschema

    schema_path = Path(__file__).parents[2] / "src/kubeguard/reporters/schemas/report.schema.json"
    _control_plane(tmp_path)
    _kubelet(tmp_path)
    _, data = _run(tmp_path)
    jsonschema.validate(data, json.loads(schema_path.read_text()))
    assert all(
        f["compliance"]
        for f in data["findings"]
        if f["rule"] not in ("CP075", "CP139", "CP140", "CP141", "CP142")
    )
