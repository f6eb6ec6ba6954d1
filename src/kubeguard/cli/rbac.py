"""``kubeguard rbac``: who can do what, what a subject can do, and how it could become cluster-admin."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from kubeguard.analyzers.rbac.escalation import escalation_graph_of
from kubeguard.analyzers.rbac.graph import Permissions, RbacGraph
from kubeguard.analyzers.rbac.names import ApiNames
from kubeguard.analyzers.rbac.requests import ResourceRequest, UrlRequest, resource_request, url_request
from kubeguard.api import merged_views, rbac_graph
from kubeguard.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Inputs,
    answer_code,
    fail_usage,
    format_option,
    input_options,
    note,
    output_option,
    screen_for,
    write_output,
)
from kubeguard.loading.cluster.source import RBAC_KINDS
from kubeguard.loading.files import LoadResult
from kubeguard.model.rbac import MASTERS, Identity, parse_subject_spec
from kubeguard.model.versions import KubeVersion, VersionError
from kubeguard.reporters import rbac_table

F = TypeVar("F", bound=Callable[..., Any])


def _common(f: F) -> F:
    f = input_options(f)
    f = format_option(
        ("table", "json"), help="Output format: table (for people) or json (documented in docs/rbac.md)."
    )(f)
    f = click.option(
        "--no-builtin-rbac",
        is_flag=True,
        help="Do not assume Kubernetes' default roles and bindings (use for a complete cluster capture).",
    )(f)
    return output_option(f)


def _load(paths: Sequence[str], inputs: Inputs, builtin: bool) -> tuple[RbacGraph, LoadResult]:
    loaded = inputs.needing(RBAC_KINDS).read(paths, what="analyse")
    if (mixed := merged_views(loaded)) is not None:
        note(f"warning: {mixed}")
    return rbac_graph(loaded, builtin=builtin), loaded


def _subject(text: str, groups: Sequence[str] = ()) -> Identity:
    try:
        identity = parse_subject_spec(text)
    except ValueError as exc:
        fail_usage(str(exc))
        raise  # unreachable: fail_usage exits
    if groups:
        identity = Identity(identity.user, identity.groups | frozenset(groups), identity.label)
    return identity


def _request_dict(req: ResourceRequest | UrlRequest) -> dict[str, Any]:
    if isinstance(req, UrlRequest):
        return {"verb": req.verb, "nonResourceURL": req.path}
    return {
        "verb": req.verb,
        "apiGroup": req.api_group,
        "resource": req.resource,
        "subresource": req.subresource,
        "namespace": {"": None, "*": "*"}.get(req.namespace, req.namespace),
        "name": req.name or None,
    }


def _emit(text: str, output: str | None) -> None:
    write_output(text, output)


@click.group(
    "rbac",
    epilog="""\b
Examples:
  kubeguard rbac who-can get secrets -n prod rbac/
  kubeguard rbac can sa:prod/web create pods -n prod rbac/
  kubeguard rbac permissions user:alice rbac/ --format json
  kubeguard rbac paths cluster-export/""",
)
def rbac_group() -> None:
    """RBAC analysis with the Kubernetes authorizer's semantics.

    Kubernetes' default roles and bindings (cluster-admin, admin, edit, view, system:*) are assumed
    unless --no-builtin-rbac is given; objects in the input replace defaults of the same name.
    """


@rbac_group.command(
    "who-can",
    epilog="""\b
Examples:
  kubeguard rbac who-can get secrets -n prod k8s/
  kubeguard rbac who-can create pods/exec -A k8s/
  kubeguard rbac who-can list deployments.apps -n shop k8s/
  kubeguard rbac who-can get cert -n shop k8s/   # short names, kinds, CRDs
  kubeguard rbac who-can update certificatesigningrequests/approval k8s/
  kubeguard rbac who-can get --url /metrics k8s/

RESOURCE is read like kubectl reads it (plural, singular, short name or kind); an unknown verb or
resource is a usage error with a suggestion. Without -n the request is cluster-wide (only
ClusterRoleBindings grant it); -A lists grants in any namespace. Exit codes: 0 answered, 2 usage
error or nothing read, 3 answered but some input could not be read.""",
)
@click.argument("verb")
@click.argument("args", nargs=-1, metavar="RESOURCE[/SUBRESOURCE] PATH...")
@click.option("--namespace", "-n", default=None, metavar="NS", help="Ask about a request in namespace NS.")
@click.option(
    "--all-namespaces", "-A", is_flag=True, help="Ask about every namespace (shows each grant's scope)."
)
@click.option(
    "--name", default="", metavar="NAME", help="Object name of the request (matches resourceNames)."
)
@click.option(
    "--api-group",
    default=None,
    metavar="GROUP",
    help="API group of RESOURCE ('' for core); default: from RESOURCE.GROUP or well-known resources.",
)
@click.option(
    "--url", default=None, metavar="PATH", help="Ask about a non-resource URL (e.g. /metrics) instead."
)
@_common
def who_can(
    verb: str,
    args: tuple[str, ...],
    namespace: str | None,
    all_namespaces: bool,
    name: str,
    api_group: str | None,
    url: str | None,
    fmt: str,
    no_builtin_rbac: bool,
    output: str | None,
    inputs: Inputs,
) -> None:
    """Every subject allowed to VERB RESOURCE, with the binding and role that allow it."""
    req: ResourceRequest | UrlRequest
    try:
        if url is not None:
            url_request(verb, url)
            paths = args
        else:
            if not args:
                fail_usage("give a RESOURCE (or --url PATH) and one or more PATHs")
            resource_request(verb, args[0], namespace, name, api_group, all_namespaces)
            paths = args[1:]
    except ValueError as exc:
        fail_usage(str(exc))
        return
    graph, loaded = _load(paths, inputs, not no_builtin_rbac)
    # Names resolve against the built-in APIs, the input's CRDs and what its roles grant.
    names = ApiNames.of_input(loaded.resources, graph.roles.values())
    try:
        if url is not None:
            req = url_request(verb, url, names)
        else:
            req = resource_request(verb, args[0], namespace, name, api_group, all_namespaces, names)
    except ValueError as exc:
        fail_usage(str(exc))
        return
    grants = graph.who_can_url(req) if isinstance(req, UrlRequest) else graph.who_can(req)
    if fmt == "json":
        doc = {
            "request": _request_dict(req),
            "builtinRbac": not no_builtin_rbac,
            "grants": [g.to_dict() for g in grants],
        }
        _emit(json.dumps(doc, indent=2) + "\n", output)
    else:
        _emit(rbac_table.who_can(grants, req, screen_for(output)), output)
    sys.exit(answer_code(EXIT_OK, loaded))


@rbac_group.command(
    "can",
    epilog="""\b
Examples:
  kubeguard rbac can user:alice get secrets -n prod k8s/
  kubeguard rbac can sa:ci/deployer create deployments.apps -n shop k8s/
  kubeguard rbac can sa:ingress/ingress-nginx list secret -n default k8s/
  kubeguard rbac can group:devs create pods/exec -n shop k8s/
  kubeguard rbac can user:alice --group devs delete nodes k8s/
  kubeguard rbac can user:prometheus get /metrics k8s/

Exit codes: 0 allowed, 1 denied, 2 usage error or nothing read, 3 allowed but some input could not
be read.""",
)
@click.argument("subject")
@click.argument("verb")
@click.argument("resource", metavar="RESOURCE[/SUBRESOURCE]|/URL")
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option("--namespace", "-n", default=None, metavar="NS", help="Namespace of the request.")
@click.option(
    "--name", default="", metavar="NAME", help="Object name of the request (matches resourceNames)."
)
@click.option("--api-group", default=None, metavar="GROUP", help="API group of RESOURCE ('' for core).")
@click.option(
    "--group",
    "groups",
    multiple=True,
    metavar="GROUP",
    help="A group the subject belongs to besides the implicit ones (repeatable).",
)
@_common
def can(
    subject: str,
    verb: str,
    resource: str,
    paths: tuple[str, ...],
    namespace: str | None,
    name: str,
    api_group: str | None,
    groups: tuple[str, ...],
    fmt: str,
    no_builtin_rbac: bool,
    output: str | None,
    inputs: Inputs,
) -> None:
    """Whether SUBJECT may VERB RESOURCE (yes or no), and why. SUBJECT is user:NAME, group:NAME or sa:NS/NAME."""
    identity = _subject(subject, groups)
    req: ResourceRequest | UrlRequest

    def parse(names: ApiNames | None) -> ResourceRequest | UrlRequest:
        if resource.startswith("/"):
            return url_request(verb, resource, names)
        return resource_request(verb, resource, namespace, name, api_group, names=names)

    try:
        parse(None)
    except ValueError as exc:
        fail_usage(str(exc))
        return
    graph, loaded = _load(paths, inputs, not no_builtin_rbac)
    try:
        req = parse(ApiNames.of_input(loaded.resources, graph.roles.values()))
    except ValueError as exc:
        fail_usage(str(exc))
        return
    grants = graph.can(identity, req)
    # The API server authorizes system:masters before RBAC is consulted.
    masters = MASTERS in identity.groups
    allowed = bool(grants) or masters
    if fmt == "json":
        doc = {
            "subject": identity.label,
            "user": identity.user,
            "groups": sorted(identity.groups),
            "request": _request_dict(req),
            "allowed": allowed,
            "privilegedGroup": masters,
            "builtinRbac": not no_builtin_rbac,
            "grants": [g.to_dict() for g in grants],
        }
        _emit(json.dumps(doc, indent=2) + "\n", output)
    else:
        _emit(rbac_table.can(identity, req, grants, allowed, screen_for(output)), output)
    sys.exit(answer_code(EXIT_OK if allowed else EXIT_FINDINGS, loaded))


@rbac_group.command(
    "permissions",
    epilog="""\b
Examples:
  kubeguard rbac permissions sa:shop/app k8s/
  kubeguard rbac permissions user:alice -n prod k8s/
  kubeguard rbac permissions group:devs -f json k8s/

Cluster-wide permissions (ClusterRoleBindings) apply in every namespace; each namespace lists what its
RoleBindings add. Exit codes: 0 answered, 2 usage error or nothing read, 3 answered but some input
could not be read.""",
)
@click.argument("subject")
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option(
    "--namespace", "-n", default=None, metavar="NS", help="Only cluster-wide permissions and those of NS."
)
@click.option(
    "--group",
    "groups",
    multiple=True,
    metavar="GROUP",
    help="A group the subject belongs to besides the implicit ones (repeatable).",
)
@_common
def permissions(
    subject: str,
    paths: tuple[str, ...],
    namespace: str | None,
    groups: tuple[str, ...],
    fmt: str,
    no_builtin_rbac: bool,
    output: str | None,
    inputs: Inputs,
) -> None:
    """Effective permissions of SUBJECT, merged per namespace. SUBJECT is user:NAME, group:NAME or sa:NS/NAME."""
    identity = _subject(subject, groups)
    graph, loaded = _load(paths, inputs, not no_builtin_rbac)
    perms = graph.permissions(identity)
    if namespace is not None:
        perms = Permissions(
            perms.identity, perms.cluster_wide, {namespace: perms.namespaces.get(namespace, [])}
        )
    if fmt == "json":
        doc = perms.to_dict()
        doc["builtinRbac"] = not no_builtin_rbac
        _emit(json.dumps(doc, indent=2) + "\n", output)
    else:
        _emit(rbac_table.permissions(perms, namespace, screen_for(output)), output)
    sys.exit(answer_code(EXIT_OK, loaded))


@rbac_group.command(
    "paths",
    epilog="""\b
Examples:
  kubeguard rbac paths k8s/
  kubeguard rbac paths --subject user:alice k8s/
  kubeguard rbac paths --k8s-version v1.23 k8s/
  kubeguard rbac paths --include-system --max-per-subject 1 -f json \\
      --no-builtin-rbac cluster-dump.yaml

Exit codes: 0 answered (with or without paths), 2 usage error or nothing read, 3 answered but some
input could not be read.""",
)
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option(
    "--subject",
    "subject",
    default=None,
    metavar="SUBJECT",
    help="Only paths of SUBJECT (user:NAME, group:NAME or sa:NS/NAME).",
)
@click.option(
    "--include-system",
    is_flag=True,
    help="Also show system: users and groups, and identities that only built-in bindings name.",
)
@click.option(
    "--max-per-subject",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Paths per subject, one per distinct first step, shortest first.",
)
@click.option(
    "--k8s-version",
    default="latest",
    show_default=True,
    metavar="VERSION",
    help="Target Kubernetes version (v1.N): before v1.24 every service account has a token Secret.",
)
@_common
def paths_command(
    paths: tuple[str, ...],
    subject: str | None,
    include_system: bool,
    max_per_subject: int,
    k8s_version: str,
    fmt: str,
    no_builtin_rbac: bool,
    output: str | None,
    inputs: Inputs,
) -> None:
    """Privilege-escalation paths to cluster-admin-equivalent power, shortest first."""
    identity = _subject(subject) if subject else None
    try:
        k8s = KubeVersion.parse(k8s_version)
    except VersionError as exc:
        fail_usage(f"invalid --k8s-version: {exc}")
        return
    graph, loaded = _load(paths, inputs, not no_builtin_rbac)
    esc = escalation_graph_of(graph, loaded.resources, k8s)
    if identity is not None:
        found = esc.paths_for_identity(identity, max_per_subject)
    else:
        found = esc.all_paths(max_per_subject, include_system=include_system)
    if fmt == "json":
        doc = {"builtinRbac": not no_builtin_rbac, "paths": [p.to_dict() for p in found]}
        _emit(json.dumps(doc, indent=2) + "\n", output)
    else:
        _emit(rbac_table.paths(found, screen_for(output)), output)
    sys.exit(answer_code(EXIT_OK, loaded))


COMMAND = rbac_group
