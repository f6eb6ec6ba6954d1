"""Authorization requests as the RBAC authorizer sees them, and parsing them from the command line.

A resource request has a verb, an API group, a resource, an optional subresource, a namespace and an
optional object name. The namespace is ``""`` for a cluster-wide request (cluster-scoped resources,
or a list across all namespaces: only ClusterRoleBindings grant these) and ``"*"`` to ask about any
namespace at once (who-can ``-A``). A non-resource request has a verb and a URL path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kubeguard.analyzers.rbac.names import ApiNames, UnknownName, builtin_resources

#: Resources with no namespace: a RoleBinding can never grant them (``namespaces`` is special: a
#: request about namespace N carries N as its namespace).
CLUSTER_SCOPED_RESOURCES = frozenset(
    r.plural for r in builtin_resources() if not r.namespaced and r.plural != "namespaces"
)


@dataclass(frozen=True, slots=True)
class ResourceRequest:
    verb: str
    api_group: str
    resource: str
    subresource: str = ""
    namespace: str = ""
    name: str = ""

    @property
    def combined(self) -> str:
        return f"{self.resource}/{self.subresource}" if self.subresource else self.resource

    def __str__(self) -> str:
        group = f".{self.api_group}" if self.api_group else ""
        where = {"": "cluster-wide", "*": "in any namespace"}.get(
            self.namespace, f"in namespace {self.namespace}"
        )
        name = f" named {self.name!r}" if self.name else ""
        return f"{self.verb} {self.resource}{group}{'/' + self.subresource if self.subresource else ''}{name} {where}"


@dataclass(frozen=True, slots=True)
class UrlRequest:
    verb: str
    path: str

    def __str__(self) -> str:
        return f"{self.verb} {self.path}"


def resource_request(
    verb: str,
    resource: str,
    namespace: str | None = None,
    name: str = "",
    api_group: str | None = None,
    all_namespaces: bool = False,
    names: ApiNames | None = None,
) -> ResourceRequest:
    """Parse ``RESOURCE[.GROUP][/SUBRESOURCE]`` the way kubectl reads it; ``ValueError`` if malformed.

    With ``names`` (what :meth:`ApiNames.of_input` knows), the verb must be known and RESOURCE may be
    a plural, singular or short name or a kind, resolved to its plural name and API group; anything
    unknown raises :class:`UnknownName` (a ``ValueError``) with a did-you-mean. Without ``names``,
    built-in names are resolved and anything else is taken as given (core group unless ``.GROUP``).
    A cluster-scoped resource ignores the namespace.
    """
    verb = verb.strip()
    if not verb:
        raise ValueError("VERB must not be empty")
    text = resource.strip()
    base, _, sub = text.partition("/")
    if not base or "/" in sub or (text.endswith("/") and not sub):
        raise ValueError(f"resource {resource!r} must be RESOURCE[.GROUP][/SUBRESOURCE]")
    res, dot, rest = base.partition(".")
    if api_group is not None and dot:
        raise ValueError(f"give the API group either in {resource!r} or with --api-group, not both")
    strict = names is not None
    known = names if names is not None else _builtin_names()
    group = api_group if api_group is not None else (known.split_group(rest) if dot else None)
    if strict:
        known.check_verb(verb)
    try:
        resolved = known.resolve(res, group)
        res, group, namespaced = resolved.resource, resolved.group, resolved.namespaced
    except UnknownName:
        if strict:
            raise
        res, group, namespaced = res.lower(), group or "", None
    ns = "*" if all_namespaces else namespace or ""
    if namespaced is None:
        namespaced = res not in CLUSTER_SCOPED_RESOURCES
    if res == "namespaces" and not sub and group == "":
        ns = name or ""  # the API server puts a namespace's own name in the request's namespace
    elif not namespaced and res != "namespaces" and not (verb == "bind" and res == "clusterroles"):
        ns = ""  # (binding a ClusterRole in a RoleBinding is checked in the RoleBinding's namespace)
    return ResourceRequest(verb, group, res, sub.lower(), ns, name)


@cache
def _builtin_names() -> ApiNames:
    return ApiNames.builtin()


def url_request(verb: str, path: str, names: ApiNames | None = None) -> UrlRequest:
    """A non-resource request; with ``names`` the verb must be a known URL verb (``get``, ``post`` ...)."""
    if not path.startswith("/"):
        raise ValueError(f"non-resource URL {path!r} must start with '/'")
    verb = verb.strip()
    if names is not None:
        names.check_verb(verb, url=True)
    return UrlRequest(verb, path)
