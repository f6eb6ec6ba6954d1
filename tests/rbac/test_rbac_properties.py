"""Random RBAC objects never crash the graph, the queries, the escalation graph or the rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kubeguard.analyzers.rbac.escalation import EscalationGraph
from kubeguard.analyzers.rbac.graph import RbacGraph
from kubeguard.analyzers.rbac.requests import resource_request, url_request
from kubeguard.engine.registry import all_rules
from kubeguard.engine.runner import evaluate
from kubeguard.model.rbac import Identity, PolicyRule
from kubeguard.model.resource import Resource, SourceLocation
from kubeguard.rules.context import ScanContext, ScanOptions

words = st.sampled_from(
    ["*", "", "get", "create", "pods", "pods/exec", "*/scale", "secrets", "apps", "a", "/x*"]
)
junk = st.one_of(st.none(), st.integers(), st.text(max_size=3), st.booleans())
str_lists = st.one_of(st.lists(st.one_of(words, junk), max_size=4), junk)
rules = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {},
            optional={
                "verbs": str_lists,
                "apiGroups": str_lists,
                "resources": str_lists,
                "resourceNames": str_lists,
                "nonResourceURLs": str_lists,
            },
        ),
        junk,
    ),
    max_size=3,
)
subject = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "kind": st.sampled_from(["User", "Group", "ServiceAccount", "Bot", 3]),
            "name": st.one_of(words, junk),
            "namespace": st.one_of(words, junk),
        },
    ),
    junk,
)
names = st.sampled_from(["a", "b", "edit", "cluster-admin", ""])
objects = st.lists(
    st.one_of(
        st.builds(
            lambda kind, name, ns, r, labels, agg: {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": kind,
                "metadata": {"name": name, "namespace": ns, "labels": labels},
                "rules": r,
                "aggregationRule": agg,
            },
            st.sampled_from(["Role", "ClusterRole"]),
            names,
            st.one_of(st.none(), names),
            rules,
            st.one_of(st.dictionaries(st.sampled_from(["x", "y"]), st.sampled_from(["1", "2"])), junk),
            st.one_of(
                junk,
                st.fixed_dictionaries(
                    {
                        "clusterRoleSelectors": st.one_of(
                            junk,
                            st.lists(
                                st.one_of(
                                    junk,
                                    st.fixed_dictionaries(
                                        {},
                                        optional={
                                            "matchLabels": st.one_of(junk, st.just({"x": "1"})),
                                            "matchExpressions": st.one_of(
                                                junk,
                                                st.just([{"key": "x", "operator": "In", "values": ["1"]}]),
                                            ),
                                        },
                                    ),
                                ),
                                max_size=2,
                            ),
                        )
                    }
                ),
            ),
        ),
        st.builds(
            lambda kind, name, ns, ref, subs: {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": kind,
                "metadata": {"name": name, "namespace": ns},
                "roleRef": ref,
                "subjects": subs,
            },
            st.sampled_from(["RoleBinding", "ClusterRoleBinding"]),
            names,
            st.one_of(st.none(), names),
            st.one_of(
                junk,
                st.fixed_dictionaries({"kind": st.sampled_from(["Role", "ClusterRole", "X"]), "name": names}),
            ),
            st.one_of(junk, st.lists(subject, max_size=3)),
        ),
    ),
    max_size=8,
)

RBAC_RULES = [r for r in all_rules() if r.family == "RBAC"]


@settings(max_examples=60, deadline=None)
@given(objects)
def test_random_rbac_objects_never_crash(docs):
    resources = [Resource(d, SourceLocation("x.yaml", i)) for i, d in enumerate(docs)]
    for builtin in (True, False):
        g = RbacGraph.build(resources, builtin=builtin)
        g.who_can(resource_request("get", "pods/exec", all_namespaces=True))
        g.who_can_url(url_request("get", "/x"))
        alice = Identity.user_named("a")
        g.can(alice, resource_request("create", "pods", "a"))
        g.permissions(alice)
        EscalationGraph(g).all_paths(include_system=True)
        report = evaluate(ScanContext(resources, ScanOptions(builtin_rbac=builtin)), RBAC_RULES)
        assert not report.rule_errors, [e.message for e in report.rule_errors]


# --- one matching function: the who-can index, can, and a brute-force check agree ---------------

RESOURCE_FORMS = [
    "*",
    "pods",
    "pods/exec",
    "pods/*",
    "*/exec",
    "*/*",
    "*/scale",
    "deployments/scale",
    "secrets",
]
PROBES = [
    ("create", "pods/exec"),
    ("get", "pods/exec"),
    ("create", "pods"),
    ("update", "deployments.apps/scale"),
    ("get", "secrets"),
    ("get", "pods/log"),
]
simple_rules = st.lists(
    st.fixed_dictionaries(
        {
            "apiGroups": st.lists(st.sampled_from(["", "apps", "*"]), min_size=1, max_size=2),
            "resources": st.lists(st.sampled_from(RESOURCE_FORMS), min_size=1, max_size=3),
            "verbs": st.lists(st.sampled_from(["get", "create", "update", "*"]), min_size=1, max_size=2),
        }
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(simple_rules, st.booleans()), min_size=1, max_size=4))
def test_who_can_can_and_the_authorizer_rule_agree(roles):
    docs = []
    for i, (role_rules, cluster) in enumerate(roles):
        docs.append(
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "ClusterRole",
                "metadata": {"name": f"r{i}"},
                "rules": role_rules,
            }
        )
        md = {"name": f"b{i}"} if cluster else {"name": f"b{i}", "namespace": "ns"}
        docs.append(
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "ClusterRoleBinding" if cluster else "RoleBinding",
                "metadata": md,
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": f"r{i}"},
                "subjects": [{"kind": "User", "name": f"u{i}"}],
            }
        )
    g = RbacGraph.build([Resource(d, SourceLocation("x.yaml", i)) for i, d in enumerate(docs)], builtin=False)
    for verb, resource in PROBES:
        req = resource_request(verb, resource, "ns")
        by_index = {gr.subject.name for gr in g.who_can(req)}
        by_can = {f"u{i}" for i in range(len(roles)) if g.can(Identity.user_named(f"u{i}"), req)}
        brute = {
            f"u{i}"
            for i, (role_rules, _c) in enumerate(roles)
            if any(
                PolicyRule.parse(r).allows(req.verb, req.api_group, req.resource, req.subresource)
                for r in role_rules
            )
        }
        assert by_index == by_can == brute, (verb, resource)
