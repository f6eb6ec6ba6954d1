"""Audit policy evaluation: first matching rule wins, with the API server's matching semantics."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kubeguard.analyzers.controlplane.audit import LEVELS, Policy, Request, outcomes

POLICY = Policy(
    {
        "rules": [
            {
                "level": "None",
                "users": ["system:kube-proxy"],
                "verbs": ["watch"],
                "resources": [{"group": "", "resources": ["endpoints", "services"]}],
            },
            {"level": "None", "nonResourceURLs": ["/healthz*", "/version"]},
            {"level": "Metadata", "resources": [{"group": "", "resources": ["secrets"]}]},
            {
                "level": "Request",
                "namespaces": ["kube-system"],
                "resources": [{"group": "", "resources": ["configmaps"], "resourceNames": ["cfg"]}],
            },
            {"level": "RequestResponse", "resources": [{"group": "", "resources": ["pods/*", "*/scale"]}]},
            {"level": "Metadata"},
        ]
    }
)


def test_first_match_wins():
    assert POLICY.level(Request("watch", "", "services", user="system:kube-proxy")) == "None"
    assert POLICY.level(Request("get", "", "services", user="system:kube-proxy")) == "Metadata"
    assert POLICY.level(Request("get", "", "secrets")) == "Metadata"


def test_namespaces_and_resource_names():
    assert POLICY.level(Request("get", "", "configmaps", namespace="kube-system", name="cfg")) == "Request"
    assert POLICY.level(Request("get", "", "configmaps", namespace="default", name="cfg")) == "Metadata"
    assert POLICY.level(Request("get", "", "configmaps", namespace="kube-system", name="other")) == "Metadata"


def test_resource_patterns():
    assert POLICY.level(Request("create", "", "pods", "exec")) == "RequestResponse"
    assert POLICY.level(Request("get", "", "pods")) == "RequestResponse"  # "pods/*" also matches pods
    assert POLICY.level(Request("update", "apps", "deployments", "scale")) == "Metadata"  # other group
    assert POLICY.level(Request("update", "", "replicationcontrollers", "scale")) == "RequestResponse"


def test_non_resource_urls():
    assert POLICY.level(Request("get", path="/healthz/ready")) == "None"
    assert POLICY.level(Request("get", path="/version")) == "None"
    assert POLICY.level(Request("get", path="/versions")) == "Metadata"
    # a rule with resources never matches a non-resource request
    assert not POLICY.rules[2].matches(Request("get", path="/api"))


def test_user_groups_match_any():
    p = Policy({"rules": [{"level": "None", "userGroups": ["a", "b"]}, {"level": "Metadata"}]})
    assert p.level(Request("get", "", "pods", groups=("x", "b"))) == "None"
    assert p.level(Request("get", "", "pods", groups=("x",))) == "Metadata"


def test_no_match_is_not_logged():
    p = Policy({"rules": [{"level": "Metadata", "verbs": ["get"]}]})
    assert p.level(Request("delete", "", "pods")) == "None"


def test_outcomes_find_the_one_user_that_escapes():
    p = Policy(
        {
            "rules": [
                {
                    "level": "Request",
                    "users": ["bob"],
                    "resources": [{"group": "", "resources": ["secrets"]}],
                },
                {"level": "Metadata"},
            ]
        }
    )
    levels = {(req.user, rule.level if rule else "None") for req, rule in outcomes(p, ["get"], "", "secrets")}
    assert ("bob", "Request") in levels
    assert all(level == "Metadata" for user, level in levels if user != "bob")


RULE = st.fixed_dictionaries(
    {"level": st.sampled_from(LEVELS)},
    optional={
        "users": st.lists(st.sampled_from(["alice", "bob"]), min_size=1, max_size=2),
        "verbs": st.lists(st.sampled_from(["get", "create", "delete"]), min_size=1, max_size=2),
        "namespaces": st.lists(st.sampled_from(["", "a", "b"]), min_size=1, max_size=2),
        "resources": st.lists(
            st.fixed_dictionaries(
                {
                    "group": st.sampled_from(["", "apps"]),
                    "resources": st.lists(st.sampled_from(["secrets", "pods", "*", "pods/*"]), max_size=2),
                }
            ),
            min_size=1,
            max_size=2,
        ),
    },
)


@given(
    st.lists(RULE, max_size=6),
    st.sampled_from(["alice", "bob", "carol"]),
    st.sampled_from(["get", "create", "delete", "list"]),
    st.sampled_from(["", "a", "b", "c"]),
)
def test_representative_requests_cover_every_outcome(rules, user, verb, namespace):
    """Whatever the concrete request, some representative request is decided by the same rule."""
    policy = Policy({"rules": rules})
    concrete = policy.first_match(Request(verb, "", "secrets", namespace=namespace, user=user))
    seen = {rule.index if rule else None for _, rule in outcomes(policy, [verb], "", "secrets")}
    assert (concrete.index if concrete else None) in seen
