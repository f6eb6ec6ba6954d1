"""Escalation paths: found in constructed scenarios, absent where none exists, shortest first."""

from __future__ import annotations

from kubeguard.analyzers.rbac.escalation import EscalationGraph, TokenSecret, escalation_graph_of
from kubeguard.model.rbac import Identity
from kubeguard.model.versions import LATEST, KubeVersion
from tests.rbac.rbac_helpers import binding, graph, group, resources, role, sa, user

ADMIN_SA = binding("ci-admin", "ClusterRole", "cluster-admin", [sa("ci", "build")])


V1_23 = KubeVersion(23)


def esc(
    text: str,
    builtin: bool = True,
    sas: list[tuple[str, str]] | None = None,
    k8s: KubeVersion = LATEST,
    tokens: tuple[TokenSecret, ...] = (),
) -> EscalationGraph:
    return EscalationGraph(graph(text, builtin), sas or [], token_secrets=tokens, k8s=k8s)


def rule(verbs: list[str], resources: list[str], group_: str = "", names: list[str] | None = None) -> dict:
    r: dict = {"apiGroups": [group_], "resources": resources, "verbs": verbs}
    if names:
        r["resourceNames"] = names
    return r


def test_create_pods_in_namespace_of_stronger_service_account():
    e = esc(binding("rb", "ClusterRole", "edit", [user("alice")], "build") + ADMIN_SA)
    [first, *_] = e.paths_for("user:alice")
    assert [s.becomes for s in first.steps] == ["sa:build/ci", "cluster-admin"]
    assert first.steps[0].grants[0].binding.name == "rb"
    assert first.steps[0].grants[0].role.name == "edit"
    assert first.steps[1].grants[0].binding.name == "ci-admin"
    assert "namespace build" in first.steps[0].action


def test_no_path_when_the_namespace_has_no_stronger_account():
    e = esc(binding("rb", "ClusterRole", "edit", [user("alice")], "sandbox") + ADMIN_SA)
    assert e.paths_for("user:alice") == []
    assert e.paths_for("user:nobody") == []


def test_no_path_with_view_only():
    e = esc(binding("rb", "ClusterRole", "view", [user("alice")], "build") + ADMIN_SA)
    assert e.paths_for("user:alice") == []


def test_patching_jobs_is_no_path_but_patching_cronjobs_is():
    # a Job's pod template is immutable; a CronJob's template is used for its next Jobs
    jobs = role("j", [rule(["get", "patch", "update"], ["jobs"], "batch")], namespace="build")
    e = esc(jobs + binding("rb", "Role", "j", [user("alice")], "build") + ADMIN_SA)
    assert e.paths_for("user:alice") == []
    cron = role("c", [rule(["patch"], ["cronjobs"], "batch")], namespace="build")
    e2 = esc(cron + binding("rb", "Role", "c", [user("alice")], "build") + ADMIN_SA)
    assert [s.becomes for s in e2.paths_for("user:alice")[0].steps] == ["sa:build/ci", "cluster-admin"]


def test_token_creation_limited_by_resource_names():
    strong = role("t", [rule(["create"], ["serviceaccounts/token"], names=["ci"])], namespace="build")
    weak = role("w", [rule(["create"], ["serviceaccounts/token"], names=["other"])], namespace="build")
    e = esc(strong + binding("rb", "Role", "t", [user("alice")], "build") + ADMIN_SA)
    assert [s.becomes for s in e.paths_for("user:alice")[0].steps] == ["sa:build/ci", "cluster-admin"]
    e2 = esc(weak + binding("rb", "Role", "w", [user("alice")], "build") + ADMIN_SA)
    assert e2.paths_for("user:alice") == []


def test_impersonating_groups_reaches_system_masters():
    text = role("imp", [rule(["impersonate"], ["groups"])]) + binding(
        "b", "ClusterRole", "imp", [user("alice")]
    )
    [p] = esc(text).paths_for("user:alice")
    assert [s.becomes for s in p.steps] == ["group:system:masters", "cluster-admin"]
    # without built-ins system:masters is still authorized before RBAC
    [p2] = esc(text, builtin=False).paths_for("user:alice")
    assert p2.steps[-1].becomes == "cluster-admin"


def test_impersonating_a_named_user():
    text = (
        role("imp", [rule(["impersonate"], ["users"], names=["root-bob"])])
        + binding("b", "ClusterRole", "imp", [user("alice")])
        + binding("admin", "ClusterRole", "cluster-admin", [user("root-bob")])
    )
    [p] = esc(text).paths_for("user:alice")
    assert [s.becomes for s in p.steps] == ["user:root-bob", "cluster-admin"]
    # impersonation through a RoleBinding grants nothing (users are cluster-scoped)
    text2 = text.replace(
        "kind: ClusterRoleBinding\nmetadata:\n  name: b",
        "kind: RoleBinding\nmetadata:\n  name: b\n  namespace: x",
    )
    assert esc(text2).paths_for("user:alice") == []


def test_bind_and_create_clusterrolebindings():
    ok = role(
        "binder",
        [
            rule(["bind"], ["clusterroles"], "rbac.authorization.k8s.io"),
            rule(["create"], ["clusterrolebindings"], "rbac.authorization.k8s.io"),
        ],
    )
    [p] = esc(ok + binding("b", "ClusterRole", "binder", [user("alice")])).paths_for("user:alice")
    assert len(p.steps) == 1 and p.steps[0].becomes == "cluster-admin"
    assert len(p.steps[0].grants) == 2
    only_view = role(
        "binder",
        [
            rule(["bind"], ["clusterroles"], "rbac.authorization.k8s.io", names=["view"]),
            rule(["create"], ["clusterrolebindings"], "rbac.authorization.k8s.io"),
        ],
    )
    assert (
        esc(only_view + binding("b", "ClusterRole", "binder", [user("alice")])).paths_for("user:alice") == []
    )
    bind_only = role("binder", [rule(["bind"], ["clusterroles"], "rbac.authorization.k8s.io")])
    assert (
        esc(bind_only + binding("b", "ClusterRole", "binder", [user("alice")])).paths_for("user:alice") == []
    )


def test_escalate_and_update_clusterroles():
    text = role("esc", [rule(["escalate", "update"], ["clusterroles"], "rbac.authorization.k8s.io")])
    [p] = esc(text + binding("b", "ClusterRole", "esc", [group("platform")])).paths_for("group:platform")
    assert p.steps[0].becomes == "cluster-admin"


def test_namespace_bind_then_pods():
    text = role(
        "nsbinder",
        [
            rule(["bind"], ["clusterroles"], "rbac.authorization.k8s.io"),
            rule(["create"], ["rolebindings"], "rbac.authorization.k8s.io"),
        ],
    )
    e = esc(text + binding("b", "ClusterRole", "nsbinder", [user("alice")], "build") + ADMIN_SA)
    assert [s.becomes for s in e.paths_for("user:alice")[0].steps] == ["sa:build/ci", "cluster-admin"]


def test_nodes_proxy_reaches_every_service_account():
    text = role("np", [rule(["get"], ["nodes/proxy"])]) + binding("b", "ClusterRole", "np", [user("alice")])
    e = esc(text + ADMIN_SA)
    assert [s.becomes for s in e.paths_for("user:alice")[0].steps] == ["sa:build/ci", "cluster-admin"]
    # without built-ins (whose kube-system controller accounts are strong) no account is stronger
    assert esc(text, builtin=False).paths_for("user:alice") == []


def test_csr_approval_needs_approval_signer_and_create():
    base = [
        rule(["update"], ["certificatesigningrequests/approval"], "certificates.k8s.io"),
        rule(["create"], ["certificatesigningrequests"], "certificates.k8s.io"),
    ]
    signer = rule(
        ["approve"], ["signers"], "certificates.k8s.io", names=["kubernetes.io/kube-apiserver-client"]
    )
    full = role("csr", [*base, signer]) + binding("b", "ClusterRole", "csr", [user("alice")])
    [p] = esc(full).paths_for("user:alice")
    assert [s.becomes for s in p.steps] == ["group:system:masters", "cluster-admin"]
    no_signer = role("csr", base) + binding("b", "ClusterRole", "csr", [user("alice")])
    assert esc(no_signer).paths_for("user:alice") == []
    kubelet_signer = role(
        "csr",
        [
            *base,
            rule(["approve"], ["signers"], "certificates.k8s.io", names=["kubernetes.io/kubelet-serving"]),
        ],
    )
    assert (
        esc(kubelet_signer + binding("b", "ClusterRole", "csr", [user("alice")])).paths_for("user:alice")
        == []
    )


def test_multi_hop_and_shortest_first():
    text = (
        # alice creates pods in a; a/runner reads secrets in b; b/deployer is cluster-admin
        role("pods", [rule(["create"], ["pods"])])
        + binding("alice-pods", "ClusterRole", "pods", [user("alice")], "a")
        + role("secrets", [rule(["list"], ["secrets"])])
        + binding("runner-secrets", "ClusterRole", "secrets", [sa("runner")], "b")
        + binding("deployer-admin", "ClusterRole", "cluster-admin", [sa("deployer", "b")])
    )
    e = esc(text, sas=[("a", "runner")], k8s=V1_23)
    assert e.paths_for("user:alice") == []  # runner lives in namespace a? no: the binding is in b
    e = esc(text.replace("name: runner\n", "name: runner\n  namespace: a\n"), k8s=V1_23)
    [p] = e.paths_for("user:alice")
    assert [s.becomes for s in p.steps] == ["sa:a/runner", "sa:b/deployer", "cluster-admin"]
    # a shorter alternative is listed first
    e2 = esc(
        text.replace("name: runner\n", "name: runner\n  namespace: a\n")
        + binding("direct", "ClusterRole", "secrets", [user("alice")], "b"),
        k8s=V1_23,
    )
    paths = e2.paths_for("user:alice")
    assert [len(p.steps) for p in paths] == [2, 3]
    assert paths[0].steps[0].grants[0].binding.name == "direct"


def test_group_grants_reach_every_member():
    text = (
        binding("all-sa-edit", "ClusterRole", "edit", [group("system:serviceaccounts")], "build") + ADMIN_SA
    )
    e = esc(text, sas=[("shop", "app")])
    assert [s.becomes for s in e.paths_for("sa:shop/app")[0].steps] == ["sa:build/ci", "cluster-admin"]
    assert e.paths_for("user:alice") == []  # users are not service accounts
    # an identity no binding names still inherits group grants
    paths = e.paths_for_identity(Identity.service_account("elsewhere", "x"))
    assert paths and paths[0].steps[-1].becomes == "cluster-admin"


def test_direct_admin_is_a_single_step_and_all_paths_hides_system():
    e = esc(ADMIN_SA + binding("rb", "ClusterRole", "edit", [user("alice")], "build"))
    [p] = e.paths_for("sa:build/ci")
    assert p.direct
    subjects = {p.subject for p in e.all_paths()}
    assert {"sa:build/ci", "user:alice"} <= subjects
    assert not any(s.startswith(("user:system:", "group:system:")) for s in subjects)
    assert "group:system:masters" in {p.subject for p in e.all_paths(include_system=True)}
    d = p.to_dict()
    assert d["length"] == 1 and d["steps"][0]["grantedBy"][0]["binding"]["name"] == "ci-admin"


def test_service_account_named_by_its_user_name():
    text = binding("rb", "ClusterRole", "edit", [user("alice")], "build") + binding(
        "admin", "ClusterRole", "cluster-admin", [user("system:serviceaccount:build:robot")]
    )
    e = esc(text)
    assert "sa:build/robot" in e.identities
    [p] = e.paths_for("user:alice")[:1]
    assert [s.becomes for s in p.steps][-2:] == ["sa:build/robot", "cluster-admin"]


def test_all_paths_hides_identities_only_builtins_name():
    e = esc(binding("rb", "ClusterRole", "edit", [user("alice")], "sandbox"))
    assert e.all_paths() == []  # the kube-system controller accounts have paths, but are not the input's
    shown = {p.subject for p in e.all_paths(include_system=True)}
    assert "sa:kube-system/clusterrole-aggregation-controller" in shown


def test_patching_running_pods_is_a_path_but_reading_them_is_not():
    # a running pod's container image may be changed: the new image runs as the pod's account
    patch = role("p", [rule(["get", "patch"], ["pods"])], namespace="build")
    e = esc(patch + binding("rb", "Role", "p", [user("alice")], "build") + ADMIN_SA)
    [first, *_] = e.paths_for("user:alice")
    assert [s.becomes for s in first.steps] == ["sa:build/ci", "cluster-admin"]
    assert "changes the image of running pods" in first.steps[0].action
    read = role("r", [rule(["get", "list", "watch"], ["pods"])], namespace="build")
    assert (
        esc(read + binding("rb", "Role", "r", [user("alice")], "build") + ADMIN_SA).paths_for("user:alice")
        == []
    )


# --- reading secrets: legacy token Secrets exist only before v1.24, or when the input has them ------

SECRET_READER = role("secrets", [rule(["get", "list", "watch"], ["secrets"])]) + binding(
    "nginx-secrets", "ClusterRole", "secrets", [sa("ingress-nginx", "ingress-nginx")]
)


def test_reading_secrets_is_no_path_from_v1_24_without_token_secrets():
    # ingress-nginx's official manifest: list secrets cluster-wide; kube-system holds strong
    # controller accounts, but since v1.24 no token Secret is created for them.
    assert esc(SECRET_READER + ADMIN_SA).paths_for("sa:ingress-nginx/ingress-nginx") == []
    assert (
        esc(SECRET_READER + ADMIN_SA, k8s=KubeVersion(33)).paths_for("sa:ingress-nginx/ingress-nginx") == []
    )


def test_reading_secrets_before_v1_24_reaches_every_account():
    [p] = esc(SECRET_READER + ADMIN_SA, k8s=V1_23).paths_for("sa:ingress-nginx/ingress-nginx")
    assert [s.becomes for s in p.steps] == ["sa:build/ci", "cluster-admin"]
    assert "before v1.24" in p.steps[0].action


def test_token_secret_in_the_input_is_a_path_to_its_account_only():
    tokens = (TokenSecret("build", "ci-token", "ci"),)
    [p] = esc(SECRET_READER + ADMIN_SA, tokens=tokens).paths_for("sa:ingress-nginx/ingress-nginx")
    assert [s.becomes for s in p.steps] == ["sa:build/ci", "cluster-admin"]
    assert "token Secret build/ci-token of ServiceAccount ci" in p.steps[0].action
    # a token Secret of a weak account of the same namespace leads nowhere
    weak = (TokenSecret("build", "runner-token", "runner"),)
    assert esc(SECRET_READER + ADMIN_SA, tokens=weak).paths_for("sa:ingress-nginx/ingress-nginx") == []


def test_token_secret_reading_respects_namespace_and_resource_names():
    tokens = (TokenSecret("build", "ci-token", "ci"),)
    in_other_ns = role("s", [rule(["get"], ["secrets"])], namespace="web") + binding(
        "rb", "Role", "s", [user("alice")], "web"
    )
    assert esc(in_other_ns + ADMIN_SA, tokens=tokens).paths_for("user:alice") == []
    named = role("s", [rule(["get"], ["secrets"], names=["ci-token"])], namespace="build") + binding(
        "rb", "Role", "s", [user("alice")], "build"
    )
    assert [s.becomes for s in esc(named + ADMIN_SA, tokens=tokens).paths_for("user:alice")[0].steps] == [
        "sa:build/ci",
        "cluster-admin",
    ]
    other_name = named.replace("- ci-token", "- tls-cert")
    assert esc(other_name + ADMIN_SA, tokens=tokens).paths_for("user:alice") == []
    # before v1.24 a resourceNames-limited rule still cannot guess the generated token Secret names
    assert esc(other_name + ADMIN_SA, k8s=V1_23).paths_for("user:alice") == []


def test_token_secrets_are_read_from_the_input():
    text = (
        SECRET_READER
        + ADMIN_SA
        + """apiVersion: v1
kind: Secret
metadata:
  name: ci-token
  namespace: build
  annotations: {kubernetes.io/service-account.name: ci}
type: kubernetes.io/service-account-token
---
apiVersion: v1
kind: Secret
metadata:
  name: not-a-token
  namespace: build
  annotations: {kubernetes.io/service-account.name: ci}
type: Opaque
"""
    )
    items = resources(text)
    e = escalation_graph_of(graph(text), items)
    [p] = e.paths_for("sa:ingress-nginx/ingress-nginx")
    assert "ci-token" in p.steps[0].action
    opaque_only = [r for r in items if r.name != "ci-token"]
    assert escalation_graph_of(graph(text), opaque_only).paths_for("sa:ingress-nginx/ingress-nginx") == []
