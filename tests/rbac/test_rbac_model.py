"""The authorizer's matching rules, checked against hand-worked expectations."""

from __future__ import annotations

import pytest

from kubeguard.model.rbac import (
    Identity,
    LabelSelector,
    PolicyRule,
    non_resource_url_matches,
    parse_binding,
    parse_subject_spec,
    resource_matches,
)


@pytest.mark.parametrize(
    ("rule_resources", "resource", "sub", "expected"),
    [
        (["pods"], "pods", "", True),
        (["pods"], "pods", "exec", False),  # a resource does not include its subresources
        (["pods/exec"], "pods", "exec", True),
        (["pods/exec"], "pods", "", False),
        (["*"], "pods", "exec", True),  # '*' includes every subresource
        (["*/scale"], "deployments", "scale", True),
        (["*/scale"], "deployments", "", False),
        (["*/scale"], "deployments", "status", False),
        (["*/status"], "deployments", "scale", False),
        (["pods/*"], "pods", "exec", False),  # no resource/* wildcard in Kubernetes
        (["pods/*"], "pods", "", False),
        (["*/exec"], "pods", "exec", True),
        (["x/exec"], "pods", "exec", False),
    ],
)
def test_resource_matches(rule_resources, resource, sub, expected):
    assert resource_matches(rule_resources, resource, sub) is expected


@pytest.mark.parametrize(
    ("urls", "path", "expected"),
    [
        (["/healthz"], "/healthz", True),
        (["/healthz"], "/healthz/etcd", False),
        (["/healthz/*"], "/healthz/etcd", True),
        (["/healthz/*"], "/healthz", False),  # the prefix is '/healthz/'
        (["/api*"], "/apis/apps", True),  # a trailing '*' is a plain prefix match
        (["/api/*"], "/apis", False),
        (["*"], "/anything", True),
        (["/metrics"], "/metrics/slis", False),
    ],
)
def test_non_resource_url_matches(urls, path, expected):
    assert non_resource_url_matches(urls, path) is expected


def test_policy_rule_allows_checks_every_part():
    rule = PolicyRule(verbs=("get", "list"), api_groups=("apps",), resources=("deployments",))
    assert rule.allows("get", "apps", "deployments")
    assert not rule.allows("get", "", "deployments")  # the core group is not apps
    assert not rule.allows("delete", "apps", "deployments")
    assert not rule.allows("get", "apps", "deployments", "scale")
    star = PolicyRule(verbs=("*",), api_groups=("*",), resources=("*",))
    assert star.allows("impersonate", "anything.example.com", "widgets", "status", "n")
    assert star.is_full_wildcard


def test_resource_names_restrict_named_requests_only():
    rule = PolicyRule(verbs=("get", "list"), api_groups=("",), resources=("secrets",), resource_names=("db",))
    assert rule.allows("get", "", "secrets", name="db")
    assert not rule.allows("get", "", "secrets", name="other")
    assert not rule.allows("list", "", "secrets")  # a request without a name never matches resourceNames
    assert not PolicyRule(
        verbs=("*",), api_groups=("*",), resources=("*",), resource_names=("x",)
    ).is_full_wildcard


def test_non_resource_rule_does_not_allow_resources():
    rule = PolicyRule(verbs=("get",), non_resource_urls=("*",))
    assert rule.allows_url("get", "/metrics")
    assert not rule.allows_url("post", "/metrics")
    assert not rule.allows("get", "", "pods")


def test_label_selector_expressions():
    sel = LabelSelector.parse(
        {
            "matchLabels": {"a": "1"},
            "matchExpressions": [
                {"key": "b", "operator": "In", "values": ["x", "y"]},
                {"key": "c", "operator": "NotIn", "values": ["bad"]},
                {"key": "d", "operator": "Exists"},
                {"key": "e", "operator": "DoesNotExist"},
            ],
        }
    )
    assert sel.matches({"a": "1", "b": "x", "d": ""})
    assert sel.matches({"a": "1", "b": "y", "c": "ok", "d": "z"})
    assert not sel.matches({"a": "1", "b": "z", "d": ""})  # In
    assert not sel.matches({"a": "1", "b": "x", "c": "bad", "d": ""})  # NotIn
    assert not sel.matches({"a": "1", "b": "x"})  # Exists
    assert not sel.matches({"a": "1", "b": "x", "d": "", "e": "1"})  # DoesNotExist
    assert not sel.matches({"a": "2", "b": "x", "d": ""})  # matchLabels
    assert LabelSelector.parse({}).matches({"anything": "1"})  # empty selector: everything
    assert not LabelSelector.parse(None).matches({})  # null selector: nothing
    assert not LabelSelector.parse({"matchExpressions": [{"key": "a", "operator": "Bogus"}]}).matches(
        {"a": "1"}
    )


def test_service_account_subject_namespace_defaults_to_binding_namespace():
    rb = parse_binding(
        {
            "kind": "RoleBinding",
            "metadata": {"name": "b", "namespace": "shop"},
            "roleRef": {"kind": "Role", "name": "r"},
            "subjects": [
                {"kind": "ServiceAccount", "name": "app"},
                {"kind": "ServiceAccount", "name": "x", "namespace": "o"},
            ],
        }
    )
    assert [s.namespace for s, _ in rb.subjects] == ["shop", "o"]
    crb = parse_binding(
        {
            "kind": "ClusterRoleBinding",
            "metadata": {"name": "c"},
            "roleRef": {"kind": "ClusterRole", "name": "r"},
            "subjects": [{"kind": "ServiceAccount", "name": "app"}],
        }
    )
    subject = crb.subjects[0][0]
    assert subject.namespace == "" and not subject.matchable  # nobody: no namespace to default to


def test_identities_carry_implicit_groups():
    alice = Identity.user_named("alice")
    assert alice.groups == {"system:authenticated"}
    anon = Identity.user_named("system:anonymous")
    assert anon.groups == {"system:unauthenticated"}
    sa = Identity.service_account("shop", "app")
    assert sa.user == "system:serviceaccount:shop:app"
    assert sa.groups == {"system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"}
    assert Identity.user_named("system:serviceaccount:shop:app") == sa  # the same identity
    assert Identity.group_member("devs").groups == {"devs", "system:authenticated"}
    assert Identity.group_member("system:unauthenticated").groups == {"system:unauthenticated"}


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("user:alice", "user:alice"),
        ("group:system:masters", "group:system:masters"),
        ("sa:shop/app", "sa:shop/app"),
        ("user:system:serviceaccount:shop:app", "sa:shop/app"),
        ("system:serviceaccount:shop:app", "sa:shop/app"),  # kubectl's --as form, without a kind
    ],
)
def test_parse_subject_spec(text, label):
    assert parse_subject_spec(text).label == label


def test_parse_subject_spec_service_account_user_name_has_the_service_account_groups():
    identity = parse_subject_spec("system:serviceaccount:shop:app")
    assert identity.user == "system:serviceaccount:shop:app"
    assert identity.groups == {
        "system:serviceaccounts",
        "system:serviceaccounts:shop",
        "system:authenticated",
    }


@pytest.mark.parametrize(
    "text",
    [
        "alice",
        "user:",
        "sa:shop",
        "sa:/app",
        "sa:shop/",
        "sa:a/b/c",
        "role:x",
        ":x",
        "system:serviceaccount:shop",
        "system:serviceaccount::app",
        "system:serviceaccount:shop:a:b",
    ],
)
def test_parse_subject_spec_rejects(text):
    with pytest.raises(ValueError):
        parse_subject_spec(text)
