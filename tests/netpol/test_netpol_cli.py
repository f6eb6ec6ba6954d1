"""``kubeguard netpol`` from the command line (click's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from kubeguard.cli.main import cli
from kubeguard.loading.files import load
from kubeguard.model.network import NetworkPolicy
from tests.netpol.helpers import network

DATA = Path(__file__).parent / "data"
SHOP = str(DATA / "shop.yaml")
SHOP_V2 = str(DATA / "v2" / "shop.yaml")


def run(*args: str):
    return CliRunner().invoke(cli, ["netpol", *args])


def test_reach_allowed_exit_0_with_deciding_rules():
    r = run("reach", SHOP, "--from", "shop/web", "--to", "shop/db", "--port", "5432")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("ALLOWED: shop/web -> shop/db on 5432/TCP")
    assert "NetworkPolicy shop/web egress[0]" in r.output
    assert "NetworkPolicy shop/db ingress[0]" in r.output
    assert "shop.yaml:" in r.output


def test_reach_names_the_line_of_the_deciding_rule_not_of_its_policy():
    r = run("reach", SHOP, "--from", "shop/web", "--to", "shop/db", "--port", "5432")
    # shop.yaml: policy web starts at line 28, its egress[0] at 36; policy db at 39, its ingress[0] at 45.
    assert "NetworkPolicy shop/web egress[0] (" in r.output and "shop.yaml:36)" in r.output
    assert "NetworkPolicy shop/db ingress[0] (" in r.output and "shop.yaml:45)" in r.output


def test_reach_denied_exit_1_names_isolating_policies():
    r = run("reach", SHOP, "--from", "shop/db", "--to", "shop/web", "--port", "8080/tcp")
    assert r.exit_code == 1, r.output
    assert r.output.startswith("DENIED")
    assert "egress: denied" in r.output and "NetworkPolicy shop/default-deny" in r.output


def test_reach_json_and_ip_endpoints():
    r = run("reach", SHOP, "--from", "203.0.113.7", "--to", "shop/web", "--port", "8080", "-f", "json")
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert data["allowed"] is True and data["from"] == "203.0.113.7" and data["to"] == "shop/web"
    assert data["ingress"]["allowedBy"] == [
        {"policy": "shop/web", "rule": "ingress[0]", "pointer": "/spec/ingress/0"}
    ]
    r = run("reach", SHOP, "--from", "shop/web", "--to", "169.254.169.254", "--port", "80")
    assert r.exit_code == 1


def test_reach_and_quarantine_accept_a_replica_name_of_a_workload():
    r = run("reach", SHOP, "--from", "shop/web-7d9f8-x2x9z", "--to", "shop/db", "--port", "5432")
    assert r.exit_code == 0
    assert "taken as a pod of Deployment shop/web" in r.output
    q = run("generate", "quarantine", "shop/web-7d9f8-x2x9z", SHOP)
    assert q.exit_code == 0
    assert (
        "#   kubectl -n shop label pod web-7d9f8-x2x9z kubeguard.io/quarantine=true app- --overwrite"
        in q.output
    )
    assert "WARNING" not in q.output


HOST_NETWORK = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostNetwork: true
      containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]
"""
DB = """\
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec:
  containers: [{name: db, image: postgres, ports: [{containerPort: 5432}]}]
"""
DB_POLICY = """\
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}, {from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]
"""


def test_reach_from_a_host_network_pod_answers_with_the_reason(tmp_path):
    f = tmp_path / "host.yaml"
    f.write_text(HOST_NETWORK)
    r = run("reach", str(f), "--from", "shop/web", "--to", "10.0.0.1", "--port", "80")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("ALLOWED: shop/web -> 10.0.0.1 on 80/TCP")
    assert "NetworkPolicy does not isolate host-network pods (shop/web)" in r.output
    assert "egress: not isolated (a host-network pod: NetworkPolicy does not apply to it)" in r.output


def test_a_host_network_pod_is_the_node_address_to_other_pods_policies(tmp_path):
    f = tmp_path / "host.yaml"
    f.write_text(HOST_NETWORK + DB + DB_POLICY.replace(", {from: [{ipBlock: {cidr: 10.0.0.0/8}}]}", ""))
    # the podSelector app=web does not match the node's address: denied, with the reason
    r = run("reach", str(f), "--from", "shop/web", "--to", "shop/db", "--port", "5432")
    assert r.exit_code == 1 and r.output.startswith("DENIED"), r.output
    assert "matched only" not in r.output and "only by an ipBlock" in r.output
    f.write_text(HOST_NETWORK + DB + DB_POLICY)
    r = run("reach", str(f), "--from", "shop/web", "--to", "shop/db", "--port", "5432", "-f", "json")
    doc = json.loads(r.stdout)
    assert r.exit_code == 0 and doc["allowed"] and doc["ingress"]["allowedBy"][0]["rule"] == "ingress[1]"
    assert doc["egress"]["isolated"] is False and "host-network" in doc["note"]


def test_matrix_of_host_network_pods_only(tmp_path):
    f = tmp_path / "host.yaml"
    f.write_text(HOST_NETWORK)
    r = run("matrix", str(f))
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[1:4] == [
        "<external>  shop/web    8080/TCP  allowed",
        "shop/web    <external>  443/TCP   allowed",
        "shop/web    shop/web    8080/TCP  allowed",
    ]
    assert lines[4].startswith("note: NetworkPolicy does not isolate host-network pods (shop/web)")


def test_matrix_host_network_pod_to_an_isolated_pod(tmp_path):
    f = tmp_path / "host.yaml"
    f.write_text(HOST_NETWORK + DB + DB_POLICY.replace(", {from: [{ipBlock: {cidr: 10.0.0.0/8}}]}", ""))
    doc = json.loads(run("matrix", str(f), "-f", "json").stdout)
    verdict = {(c["from"], c["to"]): c["allowed"] for c in doc}
    assert verdict[("shop/web", "shop/db")] is False  # the policy's podSelector does not match the node
    assert verdict[("shop/db", "shop/web")] is True  # db's egress is not isolated


def test_reach_usage_errors_exit_2():
    assert run("reach", SHOP, "--from", "shop/nope", "--to", "shop/db", "--port", "5432").exit_code == 2
    assert run("reach", SHOP, "--from", "shop/web", "--to", "shop/db", "--port", "http").exit_code == 2
    assert run("reach", SHOP, "--from", "shop/web", "--to", "shop/db", "--port", "80/ICMP").exit_code == 2
    assert run("reach", SHOP, "--from", "shop/web", "--to", "shop/db").exit_code == 2


EXPECTED_MATRIX = [
    {"from": "<external>", "to": "shop/db", "port": 5432, "protocol": "TCP", "allowed": False},
    {"from": "<external>", "to": "shop/web", "port": 8080, "protocol": "TCP", "allowed": True},
    {"from": "shop/db", "to": "<external>", "port": 443, "protocol": "TCP", "allowed": False},
    # a pod reaching itself is governed like other traffic: db's egress is denied by default-deny
    {"from": "shop/db", "to": "shop/db", "port": 5432, "protocol": "TCP", "allowed": False},
    {"from": "shop/db", "to": "shop/web", "port": 8080, "protocol": "TCP", "allowed": False},
    {"from": "shop/web", "to": "<external>", "port": 443, "protocol": "TCP", "allowed": False},
    {"from": "shop/web", "to": "shop/db", "port": 5432, "protocol": "TCP", "allowed": True},
    {"from": "shop/web", "to": "shop/web", "port": 8080, "protocol": "TCP", "allowed": False},
]


def test_matrix_json_is_the_hand_checked_matrix():
    r = run("matrix", SHOP, "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == EXPECTED_MATRIX


def test_matrix_on_an_arbitrary_port_and_table():
    r = run("matrix", SHOP, "--format", "json", "--port", "5432/TCP", "--no-external")
    rows = json.loads(r.output)
    assert {(c["from"], c["to"]) for c in rows if c["allowed"]} == {("shop/web", "shop/db")}
    assert len(rows) == 4
    t = run("matrix", SHOP)
    assert t.exit_code == 0 and "shop/web" in t.output and "denied" in t.output


def test_diff_opened_and_closed():
    r = run("diff", SHOP, SHOP_V2, "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == [
        {"change": "opened", "from": "<external>", "to": "shop/db", "port": 5432, "protocol": "TCP"},
        {"change": "closed", "from": "<external>", "to": "shop/web", "port": 8080, "protocol": "TCP"},
    ]
    t = run("diff", SHOP, SHOP_V2, "--fail-on-open")
    assert t.exit_code == 1 and "opened" in t.output and "closed" in t.output
    same = run("diff", SHOP, SHOP)
    assert same.exit_code == 0 and "no connection opened or closed" in same.output


def test_generate_default_deny_outputs_valid_policies(tmp_path):
    r = run("generate", "default-deny", "--namespace", "shop", "--namespace", "web")
    assert r.exit_code == 0
    docs = list(yaml.safe_load_all(r.output))
    assert [(d["metadata"]["namespace"], d["metadata"]["name"]) for d in docs] == [
        ("shop", "default-deny-all"),
        ("shop", "allow-dns-egress"),
        ("web", "default-deny-all"),
        ("web", "allow-dns-egress"),
    ]
    out = tmp_path / "policies.yaml"
    out.write_text(r.output)
    loaded = load([str(out)])
    assert not loaded.errors
    assert all(NetworkPolicy.of(res).valid for res in loaded.resources)
    no_dns = list(yaml.safe_load_all(run("generate", "default-deny", "--no-dns").output))
    assert [(d["metadata"]["namespace"], d["metadata"]["name"]) for d in no_dns] == [
        ("default", "default-deny-all")
    ]
    from_input = list(yaml.safe_load_all(run("generate", "default-deny", SHOP).output))
    assert {d["metadata"]["namespace"] for d in from_input} == {"shop"}


def test_generate_quarantine_outputs_policy_and_label_command(tmp_path):
    r = run("generate", "quarantine", "shop/db", SHOP)
    assert r.exit_code == 0, r.output
    assert "#   kubectl -n shop label pod db kubeguard.io/quarantine=true app- --overwrite" in r.output
    docs = [d for d in yaml.safe_load_all(r.output) if d]
    assert len(docs) == 1 and NetworkPolicy.of(load_one(tmp_path, r.output)).valid
    # shop's policies do not select the quarantined pod any more: the engine confirms isolation
    text = Path(SHOP).read_text().replace("labels: {app: db}", "labels: {kubeguard.io/quarantine: 'true'}")
    net = network(text + "\n---\n" + r.output)
    web, db = net.find("shop", "web")[0], net.find("shop", "db")[0]
    assert not net.reach(web, db, 5432).allowed
    bad = run("generate", "quarantine", "db")
    assert bad.exit_code == 2
    missing = run("generate", "quarantine", "shop/nope", SHOP)
    assert missing.exit_code == 2


def load_one(tmp_path, text):
    p = tmp_path / "q.yaml"
    p.write_text(text)
    loaded = load([str(p)])
    assert not loaded.errors and len(loaded.resources) == 1
    return loaded.resources[0]


def test_help_has_examples():
    for args in (
        ["--help"],
        ["reach", "--help"],
        ["matrix", "--help"],
        ["diff", "--help"],
        ["generate", "--help"],
    ):
        r = run(*args)
        assert r.exit_code == 0 and "Examples:" in r.output


def test_reach_warns_that_cilium_policies_are_not_evaluated(tmp_path):
    f = tmp_path / "cilium.yaml"
    f.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: shop, labels: {app: api}}\n"
        "spec: {containers: [{name: a, image: x}]}\n---\n"
        "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: lock, namespace: shop}\n"
        "spec: {endpointSelector: {matchLabels: {app: api}}, ingress: [{fromEntities: [cluster]}]}\n"
    )
    r = run("reach", str(f), "--from", "8.8.8.8", "--to", "shop/api", "--port", "80")
    assert r.exit_code == 0
    assert "CiliumNetworkPolicy shop/lock not evaluated" in r.stderr
    assert "CiliumNetworkPolicy" not in r.stdout


ALLOW_BY_CIDR = """apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a}}
spec: {containers: [{name: c, image: nginx:1.27, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {app: b}}
spec: {containers: [{name: c, image: nginx:1.27, ports: [{containerPort: 80}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all-by-cidr, namespace: x}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]
"""


def test_ipblock_pods_option_pod_cidr_and_config(tmp_path, monkeypatch):
    path = tmp_path / "x.yaml"
    path.write_text(ALLOW_BY_CIDR)
    monkeypatch.chdir(tmp_path)
    args = ("reach", str(path), "--from", "x/b", "--to", "x/a", "--port", "80")
    # 10.0.0.0/8 does not surely hold pod IPs unless the pod CIDR says so
    assert run(*args).exit_code == 1
    r = run(*args, "--pod-cidr", "10.244.0.0/16")
    assert r.exit_code == 0 and "ipBlock covering the pod CIDR" in r.output and "Cilium" in r.output
    assert run(*args, "--pod-cidr", "10.244.0.0/16", "--ipblock-pods", "ignore").exit_code == 1
    r = run("matrix", str(path), "--pod-cidr", "10.244.0.0/16", "-f", "json", "--no-external")
    assert {(c["from"], c["to"]) for c in json.loads(r.output) if c["allowed"]} == {
        ("x/a", "x/a"),
        ("x/a", "x/b"),
        ("x/b", "x/a"),
        ("x/b", "x/b"),
    }
    # the same settings from ./.kubeguard.yaml; the command line wins
    (tmp_path / ".kubeguard.yaml").write_text("network:\n  podCIDRs: [10.244.0.0/16]\n")
    assert run(*args).exit_code == 0
    assert run(*args, "--ipblock-pods", "ignore").exit_code == 1
    (tmp_path / ".kubeguard.yaml").write_text("network:\n  podCIDRs: [10.244.0.0/33]\n")
    r = run(*args)
    assert r.exit_code == 2 and "not a CIDR" in r.output
    (tmp_path / ".kubeguard.yaml").unlink()
    r = run(*args, "--pod-cidr", "nonsense")
    assert r.exit_code == 2 and "not a CIDR" in r.output


def test_reach_says_when_a_pod_talks_to_itself():
    r = run("reach", SHOP, "--from", "shop/db", "--to", "shop/db", "--port", "5432")
    assert r.exit_code == 1, r.output
    assert "same pod" in r.output and "hairpin" in r.output
    j = run("reach", SHOP, "--from", "shop/db", "--to", "shop/db", "--port", "5432", "-f", "json")
    assert "hairpin" in json.loads(j.output)["note"]
