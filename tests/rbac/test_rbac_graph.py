"""who-can, can and permissions over constructed inputs, with hand-checked expectations."""

from __future__ import annotations

from kubeguard.analyzers.rbac.graph import RbacGraph
from kubeguard.analyzers.rbac.requests import resource_request, url_request
from kubeguard.model.rbac import Identity
from tests.rbac.rbac_helpers import binding, graph, group, role, sa, user

ALICE = Identity.user_named("alice")
READ_SECRETS = [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]}]


def who(g: RbacGraph, verb: str, resource: str, **kw: object) -> set[str]:
    return {gr.subject.key for gr in g.who_can(resource_request(verb, resource, **kw))}  # type: ignore[arg-type]


def allowed(g: RbacGraph, identity: Identity, verb: str, resource: str, **kw: object) -> bool:
    return bool(g.can(identity, resource_request(verb, resource, **kw)))  # type: ignore[arg-type]


def test_clusterrole_bound_by_rolebinding_grants_only_in_that_namespace():
    g = graph(role("reader", READ_SECRETS) + binding("rb", "ClusterRole", "reader", [user("alice")], "shop"))
    assert allowed(g, ALICE, "get", "secrets", namespace="shop")
    assert not allowed(g, ALICE, "get", "secrets", namespace="prod")
    assert not allowed(g, ALICE, "list", "secrets")  # cluster-wide list across namespaces
    assert who(g, "get", "secrets", namespace="shop") >= {"user:alice"}
    assert "user:alice" not in who(g, "get", "secrets", namespace="prod")
    assert "user:alice" in who(g, "get", "secrets", all_namespaces=True)
    [grant] = [
        x for x in g.who_can(resource_request("get", "secrets", "shop")) if x.subject.key == "user:alice"
    ]
    assert grant.scope == "shop" and grant.role.name == "reader" and grant.binding.name == "rb"


def test_clusterrolebinding_grants_everywhere():
    g = graph(role("reader", READ_SECRETS) + binding("crb", "ClusterRole", "reader", [user("alice")]))
    for ns in ("shop", "prod", ""):
        assert allowed(g, ALICE, "list", "secrets", namespace=ns)


def test_rolebinding_cannot_grant_cluster_scoped_resources():
    rules = [{"apiGroups": [""], "resources": ["nodes", "namespaces"], "verbs": ["get", "patch"]}]
    g = graph(role("nodes", rules) + binding("rb", "ClusterRole", "nodes", [user("alice")], "shop"))
    assert not allowed(g, ALICE, "get", "nodes", namespace="shop")
    # a request about namespace 'shop' carries 'shop' as its namespace: the RoleBinding applies
    assert allowed(g, ALICE, "patch", "namespaces", name="shop")
    assert not allowed(g, ALICE, "patch", "namespaces", name="prod")


def test_role_is_looked_up_in_the_binding_namespace():
    text = role("r", READ_SECRETS, namespace="shop") + binding("rb", "Role", "r", [user("alice")], "prod")
    g = graph(text)
    assert not allowed(g, ALICE, "get", "secrets", namespace="prod")
    assert g.role_of(g.bindings[-1]) is None
    g2 = graph(role("r", READ_SECRETS, namespace="shop") + binding("crb", "Role", "r", [user("alice")]))
    assert g2.role_of(next(b for b in g2.bindings if b.name == "crb")) is None  # a CRB cannot use a Role


def test_resource_names_and_subresources():
    rules = [
        {"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["db"], "verbs": ["get"]},
        {"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]},
        {"apiGroups": ["apps"], "resources": ["*/scale"], "verbs": ["update"]},
    ]
    g = graph(role("r", rules) + binding("crb", "ClusterRole", "r", [user("alice")]))
    assert allowed(g, ALICE, "get", "secrets", namespace="a", name="db")
    assert not allowed(g, ALICE, "get", "secrets", namespace="a", name="other")
    assert not allowed(g, ALICE, "get", "secrets", namespace="a")
    assert allowed(g, ALICE, "create", "pods/exec", namespace="a")
    assert not allowed(g, ALICE, "create", "pods", namespace="a")
    assert allowed(g, ALICE, "update", "deployments/scale", namespace="a")  # apps from the well-known table
    assert allowed(g, ALICE, "update", "statefulsets.apps/scale", namespace="a")
    assert not allowed(g, ALICE, "update", "deployments", namespace="a")
    assert "user:alice" in who(g, "get", "secrets", namespace="a", name="db")
    assert "user:alice" not in who(g, "get", "secrets", namespace="a")


def test_wildcards():
    g = graph(
        role("all", [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}])
        + binding("crb", "ClusterRole", "all", [user("alice")])
        + role("verbs", [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["*"]}])
        + binding("crb2", "ClusterRole", "verbs", [user("bob")]),
        builtin=False,
    )
    assert allowed(g, ALICE, "impersonate", "users")
    assert allowed(g, ALICE, "get", "widgets", api_group="example.com", namespace="x")
    bob = Identity.user_named("bob")
    assert allowed(g, bob, "deletecollection", "configmaps", namespace="x")
    assert not allowed(g, bob, "get", "secrets", namespace="x")
    assert who(g, "escalate", "clusterroles") == {"user:alice"}


def test_groups_and_implicit_groups():
    g = graph(
        role("r", READ_SECRETS)
        + binding("authn", "ClusterRole", "r", [group("system:authenticated")], "a")
        + binding("unauthn", "ClusterRole", "r", [group("system:unauthenticated")], "b")
        + binding("sas", "ClusterRole", "r", [group("system:serviceaccounts")], "c")
        + binding("sas-d", "ClusterRole", "r", [group("system:serviceaccounts:d")], "e")
        + binding("devs", "ClusterRole", "r", [group("devs")], "f"),
        builtin=False,
    )
    anon = Identity.user_named("system:anonymous")
    sa_d = Identity.service_account("d", "app")
    sa_x = Identity.service_account("x", "app")
    assert allowed(g, ALICE, "get", "secrets", namespace="a")
    assert not allowed(g, anon, "get", "secrets", namespace="a")  # anonymous is not authenticated
    assert allowed(g, anon, "get", "secrets", namespace="b")
    assert not allowed(g, ALICE, "get", "secrets", namespace="b")
    assert allowed(g, sa_x, "get", "secrets", namespace="c") and allowed(
        g, sa_x, "get", "secrets", namespace="a"
    )
    assert not allowed(g, ALICE, "get", "secrets", namespace="c")
    assert allowed(g, sa_d, "get", "secrets", namespace="e") and not allowed(
        g, sa_x, "get", "secrets", namespace="e"
    )
    assert not allowed(g, ALICE, "get", "secrets", namespace="f")
    assert allowed(g, Identity.user_named("alice", ["devs"]), "get", "secrets", namespace="f")
    assert allowed(g, Identity.group_member("devs"), "get", "secrets", namespace="f")


def test_service_account_subjects():
    g = graph(
        role("r", READ_SECRETS)
        + binding("rb", "ClusterRole", "r", [sa("app")], "shop")  # namespace defaults to shop
        + binding("crb", "ClusterRole", "r", [sa("nobody")])  # no namespace in a CRB: matches nobody
        + binding("user-form", "ClusterRole", "r", [user("system:serviceaccount:ops:bot")], "ops"),
        builtin=False,
    )
    assert allowed(g, Identity.service_account("shop", "app"), "get", "secrets", namespace="shop")
    assert not allowed(g, Identity.service_account("other", "app"), "get", "secrets", namespace="shop")
    assert not any(
        allowed(g, Identity.service_account(ns, "nobody"), "get", "secrets", namespace=ns)
        for ns in ("default", "shop", "")
    )
    assert allowed(g, Identity.service_account("ops", "bot"), "get", "secrets", namespace="ops")


def test_non_resource_urls_only_through_clusterrolebindings():
    r = role("metrics", [{"nonResourceURLs": ["/metrics", "/debug/*"], "verbs": ["get"]}])
    g = graph(
        r
        + binding("rb", "ClusterRole", "metrics", [user("alice")], "shop")
        + binding("crb", "ClusterRole", "metrics", [user("bob")]),
        builtin=False,
    )
    assert not g.can(ALICE, url_request("get", "/metrics"))
    bob = Identity.user_named("bob")
    assert g.can(bob, url_request("get", "/metrics"))
    assert g.can(bob, url_request("get", "/debug/pprof"))
    assert not g.can(bob, url_request("get", "/debug"))
    assert not g.can(bob, url_request("post", "/metrics"))
    assert {x.subject.key for x in g.who_can_url(url_request("get", "/metrics"))} == {"user:bob"}


def test_builtin_roles_and_bindings():
    g = graph(binding("rb", "ClusterRole", "edit", [user("alice")], "shop"))
    assert allowed(g, ALICE, "create", "deployments", namespace="shop")  # edit <- aggregate-to-edit
    assert allowed(g, ALICE, "get", "pods", namespace="shop")  # edit <- view <- aggregate-to-view
    assert not allowed(g, ALICE, "create", "roles", namespace="shop")  # admin only
    # built-in bindings: every authenticated user gets discovery, even anonymous gets /healthz
    assert g.can(ALICE, url_request("get", "/apis/apps"))
    assert g.can(Identity.user_named("system:anonymous"), url_request("get", "/healthz"))
    assert not g.can(Identity.user_named("system:anonymous"), url_request("get", "/apis"))
    assert allowed(g, Identity.group_member("system:masters"), "delete", "nodes")
    off = graph(binding("rb", "ClusterRole", "edit", [user("alice")], "shop"), builtin=False)
    assert not allowed(off, ALICE, "create", "deployments", namespace="shop")
    assert not off.can(ALICE, url_request("get", "/apis"))


def test_input_objects_override_builtins():
    text = role("view", [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]) + binding(
        "rb", "ClusterRole", "view", [user("alice")], "shop"
    )
    g = graph(text)
    assert allowed(g, ALICE, "get", "secrets", namespace="shop")
    assert not allowed(g, ALICE, "get", "pods", namespace="shop")
    # edit aggregates whatever carries aggregate-to-edit; the input 'view' has no label any more
    g2 = graph(text + binding("rb2", "ClusterRole", "edit", [user("bob")], "shop"))
    bob = Identity.user_named("bob")
    assert not allowed(g2, bob, "get", "secrets", namespace="x") and allowed(
        g2, bob, "get", "secrets", namespace="shop"
    )
    assert not allowed(g2, bob, "list", "configmaps", namespace="shop")  # came only through the built-in view


def test_aggregation_over_input_and_builtins():
    text = (
        role(
            "crd-viewer",
            [{"apiGroups": ["example.com"], "resources": ["widgets"], "verbs": ["get"]}],
            labels={"rbac.authorization.k8s.io/aggregate-to-view": "true"},
        )
        + role(
            "monitoring",
            [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["delete"]}],
            aggregationRule={
                "clusterRoleSelectors": [
                    {"matchExpressions": [{"key": "team", "operator": "In", "values": ["mon", "obs"]}]},
                    {"matchLabels": {"extra": "yes"}},
                ]
            },
        )
        + role("a", [{"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]}], labels={"team": "obs"})
        + role(
            "b", [{"apiGroups": [""], "resources": ["services"], "verbs": ["list"]}], labels={"extra": "yes"}
        )
        + role("c", [{"apiGroups": [""], "resources": ["nodes"], "verbs": ["list"]}], labels={"team": "dev"})
        + binding("v", "ClusterRole", "admin", [user("alice")], "shop")
        + binding("m", "ClusterRole", "monitoring", [user("bob")])
    )
    g = graph(text)
    # the custom rule reaches view, edit (aggregates view) and admin (aggregates edit)
    assert allowed(g, ALICE, "get", "widgets", api_group="example.com", namespace="shop")
    bob = Identity.user_named("bob")
    assert allowed(g, bob, "list", "pods") and allowed(g, bob, "list", "services")
    assert not allowed(g, bob, "list", "nodes")  # label team=dev is not selected
    assert not allowed(g, bob, "delete", "configmaps", namespace="x")  # own rules are replaced
    monitoring = g.roles[("ClusterRole", None, "monitoring")]
    origins = {rr.origin.name for rr in g.rules_of(monitoring)}
    assert origins == {"a", "b"}


def test_aggregation_cycle_terminates():
    text = (
        role(
            "x",
            [],
            aggregationRule={"clusterRoleSelectors": [{"matchLabels": {"agg": "y"}}]},
            labels={"agg": "x"},
        )
        + role(
            "y",
            [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}],
            aggregationRule={"clusterRoleSelectors": [{"matchLabels": {"agg": "x"}}]},
            labels={"agg": "y"},
        )
        + binding("b", "ClusterRole", "x", [user("alice")])
    )
    g = graph(text, builtin=False)
    assert isinstance(g.rules_of(g.roles[("ClusterRole", None, "x")]), tuple)


def test_permissions_merge_per_namespace():
    g = graph(
        role("r1", [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}])
        + role(
            "r2",
            [
                {"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]},
                {"nonResourceURLs": ["/metrics"], "verbs": ["get"]},
            ],
        )
        + binding("b1", "ClusterRole", "r1", [user("alice")], "shop")
        + binding("b2", "ClusterRole", "r2", [user("alice")], "shop")
        + binding("b3", "ClusterRole", "r1", [user("alice")]),
        builtin=False,
    )
    p = g.permissions(ALICE)
    [shop_pods] = [e for e in p.namespaces["shop"] if e.resource == "pods"]
    assert shop_pods.verbs == {"get", "list"}
    assert len(shop_pods.granted_by) == 2
    assert not [e for e in p.namespaces["shop"] if e.url]  # a RoleBinding grants no URL
    assert [(e.resource, sorted(e.verbs)) for e in p.cluster_wide] == [("pods", ["get"])]
    assert p.to_dict()["namespaces"]["shop"][0]["verbs"] == ["get", "list"]


def test_permissions_leave_out_what_a_rolebinding_cannot_grant():
    rules = [
        {
            "apiGroups": ["", "rbac.authorization.k8s.io"],
            "resources": ["nodes", "nodes/proxy", "pods", "clusterroles"],
            "verbs": ["*"],
        }
    ]
    g = graph(role("r", rules) + binding("b", "ClusterRole", "r", [user("alice")], "shop"), builtin=False)
    entries = {(e.api_group, e.resource): e.verbs for e in g.permissions(ALICE).namespaces["shop"]}
    assert ("", "nodes") not in entries and ("", "nodes/proxy") not in entries
    assert entries[("", "pods")] == {"*"}
    assert entries[("rbac.authorization.k8s.io", "clusterroles")] == {"bind"}


def test_who_can_index_matches_a_full_scan():
    """The token index must find exactly what checking every binding finds."""
    rules = [
        {"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]},
        {"apiGroups": ["*"], "resources": ["*/exec"], "verbs": ["get"]},
        {"apiGroups": [""], "resources": ["*"], "verbs": ["create"]},
    ]
    text = "".join(
        role(f"r{i}", [r]) + binding(f"b{i}", "ClusterRole", f"r{i}", [user(f"u{i}")], "ns")
        for i, r in enumerate(rules)
    )
    g = graph(text, builtin=False)
    assert who(g, "create", "pods/exec", namespace="ns") == {"user:u0", "user:u2"}
    assert who(g, "get", "pods/exec", namespace="ns") == {"user:u1"}
    assert who(g, "create", "pods", namespace="ns") == {"user:u2"}
    assert who(g, "create", "pods", namespace="other") == set()


def test_bind_on_clusterroles_is_checked_in_the_rolebinding_namespace():
    rules = [{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "verbs": ["bind"]}]
    g = graph(
        role("binder", rules) + binding("rb", "ClusterRole", "binder", [user("alice")], "shop"), builtin=False
    )
    assert allowed(g, ALICE, "bind", "clusterroles", namespace="shop", name="admin")
    assert not allowed(g, ALICE, "bind", "clusterroles", namespace="prod", name="admin")
    assert not allowed(
        g, ALICE, "bind", "clusterroles", name="admin"
    )  # a ClusterRoleBinding needs a CRB grant
    assert not allowed(
        g, ALICE, "escalate", "clusterroles", namespace="shop"
    )  # other verbs stay cluster-scoped
