"""A fake Kubernetes API server for tests: real HTTPS on 127.0.0.1, the real REST protocol.

It serves what the official client and kubeguard's collector ask a real API server for:

- ``/version``; discovery: ``/api``, ``/apis`` (APIGroupList with preferred versions), ``/api/v1``
  and ``/apis/<group>/<version>`` (APIResourceList: name, kind, namespaced, verbs, subresources);
- lists, cluster-wide and per namespace, as ``<Kind>List`` documents whose items carry no
  apiVersion and no kind (as the real server sends them), paged with ``limit`` and
  ``metadata.continue`` (``remainingItemCount`` too);
- ``Status`` documents for errors: 401 without the bearer token, 403 for configured forbidden
  resources (cluster-wide or per namespace), 410 ``Expired`` for a continue token when asked to
  expire some, 404 for anything else;
- ``/api/v1/nodes/<node>/proxy/configz`` (the kubelet's live configuration) for configured nodes.

Its objects are real manifests with the fields the server adds (uid, resourceVersion,
creationTimestamp, generation, managedFields, status). TLS uses a throwaway CA (kubeguard's own
``serve.certs``);
:meth:`FakeApiServer.write_kubeconfig` writes a kubeconfig with that CA and the token.
"""

from __future__ import annotations

import base64
import copy
import json
import ssl
import tempfile
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

from kubeguard.model.kinds import CONFIG_GROUPS, is_cluster_scoped
from kubeguard.serve.certs import issue, make_ca

TOKEN = "kg-test-token-7f3c9a1e5b2d4c6f8a0e"
VERSION = {
    "major": "1",
    "minor": "31",
    "gitVersion": "v1.31.4",
    "gitCommit": "0000000000000000000000000000000000000000",
    "gitTreeState": "clean",
    "buildDate": "2026-01-01T00:00:00Z",
    "goVersion": "go1.22.9",
    "compiler": "gc",
    "platform": "linux/amd64",
}

#: Built-in resources every discovery lists, present or not: (group, version, plural, kind, verbs).
_LIST = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]
BUILTIN_RESOURCES: list[tuple[str, str, str, str, list[str]]] = [
    ("", "v1", "namespaces", "Namespace", _LIST),
    ("", "v1", "pods", "Pod", _LIST),
    ("", "v1", "services", "Service", _LIST),
    ("", "v1", "serviceaccounts", "ServiceAccount", _LIST),
    ("", "v1", "secrets", "Secret", _LIST),
    ("", "v1", "configmaps", "ConfigMap", _LIST),
    ("", "v1", "nodes", "Node", _LIST),
    ("", "v1", "events", "Event", _LIST),
    ("", "v1", "limitranges", "LimitRange", _LIST),
    ("", "v1", "resourcequotas", "ResourceQuota", _LIST),
    ("", "v1", "persistentvolumes", "PersistentVolume", _LIST),
    ("", "v1", "bindings", "Binding", ["create"]),
    ("apps", "v1", "deployments", "Deployment", _LIST),
    ("apps", "v1", "daemonsets", "DaemonSet", _LIST),
    ("apps", "v1", "statefulsets", "StatefulSet", _LIST),
    ("apps", "v1", "replicasets", "ReplicaSet", _LIST),
    ("batch", "v1", "jobs", "Job", _LIST),
    ("batch", "v1", "cronjobs", "CronJob", _LIST),
    ("rbac.authorization.k8s.io", "v1", "roles", "Role", _LIST),
    ("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", _LIST),
    ("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", _LIST),
    ("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", _LIST),
    ("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", _LIST),
    ("networking.k8s.io", "v1", "ingresses", "Ingress", _LIST),
    ("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", ["create"]),
]


def guess_plural(kind: str) -> str:
    """The resource name of a kind, as apimachinery's ``UnsafeGuessKindToResource`` makes it."""
    lower = kind.lower()
    if lower.endswith("endpoints"):
        return lower
    if lower.endswith("s"):
        return lower + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return lower[:-1] + "ies"
    return lower + "s"


def split_api_version(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


@dataclass
class ResourceType:
    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool
    verbs: list[str]
    objects: list[dict[str, Any]] = field(default_factory=list)

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version


def _status(code: int, reason: str, message: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": extra.pop("metadata", {}),
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
        **extra,
    }


def with_server_fields(obj: dict[str, Any], serial: int) -> dict[str, Any]:
    """The object as the API server returns it: uid, resourceVersion, timestamps, managedFields, status."""
    out = copy.deepcopy(obj)
    md = out.setdefault("metadata", {})
    ident = f"{out.get('apiVersion')}/{out.get('kind')}/{md.get('namespace')}/{md.get('name')}"
    md["uid"] = str(uuid.uuid5(uuid.NAMESPACE_URL, ident))
    md["resourceVersion"] = str(1000 + serial)
    md["creationTimestamp"] = "2026-01-01T00:00:00Z"
    md["generation"] = 1
    md["managedFields"] = [
        {
            "manager": "kubectl-client-side-apply",
            "operation": "Update",
            "apiVersion": out.get("apiVersion"),
            "time": "2026-01-01T00:00:00Z",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:metadata": {"f:labels": {".": {}}}, "f:spec": {}},
        }
    ]
    if out.get("kind") == "Pod":
        out["status"] = {"phase": "Running", "podIP": "10.244.0.5", "hostIP": "172.18.0.2"}
    elif out.get("kind") == "Node":
        out["status"] = {
            "nodeInfo": {
                "kubeletVersion": VERSION["gitVersion"],
                "containerRuntimeVersion": "containerd://1.7",
            },
            "addresses": [{"type": "InternalIP", "address": "172.18.0.2"}],
        }
    else:
        out["status"] = {"observedGeneration": 1}
    return out


class FakeApiServer:
    """A running fake API server; use as a context manager (``with FakeApiServer(objs) as api:``).

    ``objects``: complete objects (apiVersion, kind, metadata); each is served in its own group and
    version with server fields added. ``forbidden``: resource names (``secrets``) or
    ``namespace/resource`` pairs that answer 403. ``expire_continue``: how many continue requests
    answer 410 Expired before paging works. ``max_limit``: the server's own page cap, if any.
    ``configz``: node name -> kubelet configuration served at the node's ``proxy/configz``;
    ``configz_forbidden``: answer 403 there instead.
    """

    def __init__(
        self,
        objects: Iterable[dict[str, Any]] = (),
        *,
        token: str = TOKEN,
        forbidden: Iterable[str] = (),
        expire_continue: int = 0,
        max_limit: int | None = None,
        configz: dict[str, dict[str, Any]] | None = None,
        configz_forbidden: bool = False,
        version: dict[str, str] | None = None,
    ) -> None:
        self.token = token
        self.forbidden = set(forbidden)
        self.expire_continue = expire_continue
        self.max_limit = max_limit
        self.configz = configz or {}
        self.configz_forbidden = configz_forbidden
        self.version = version or VERSION
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.types: dict[tuple[str, str, str], ResourceType] = {}
        for group, version_, plural, kind, verbs in BUILTIN_RESOURCES:
            self.types[(group, version_, plural)] = ResourceType(
                group, version_, plural, kind, not is_cluster_scoped(kind, group), verbs
            )
        for serial, obj in enumerate(objects):
            group, version_ = split_api_version(str(obj["apiVersion"]))
            kind = str(obj["kind"])
            key = (group, version_, guess_plural(kind))
            rtype = self.types.get(key)
            if rtype is None:
                rtype = self.types[key] = ResourceType(
                    group, version_, key[2], kind, not is_cluster_scoped(kind, group), list(_LIST)
                )
            rtype.objects.append(with_server_fields(obj, serial))
        for rtype in self.types.values():
            rtype.objects.sort(
                key=lambda o: (o["metadata"].get("namespace") or "", o["metadata"].get("name") or "")
            )
        self._ca = make_ca("fake-apiserver-ca")
        self._cert = issue(self._ca, ["127.0.0.1", "localhost"])
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> FakeApiServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        server = self

        class Handler(_Handler):
            api = server

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.TemporaryDirectory() as tmp:  # the ssl module loads a key pair from files only
            cert, key = Path(tmp, "tls.crt"), Path(tmp, "tls.key")
            cert.write_bytes(self._cert.cert_pem)
            key.write_bytes(self._cert.key_pem)
            ctx.load_cert_chain(cert, key)
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=10)

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"https://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def ca_pem(self) -> bytes:
        return self._ca.cert_pem

    def write_kubeconfig(
        self,
        path: Path,
        *,
        context: str = "fake-ctx",
        token: str | None = None,
        ca_pem: bytes | None = None,
        server: str | None = None,
    ) -> Path:
        """A kubeconfig for this server: its CA, a bearer token, one context (the current one)."""
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": "fake",
                    "cluster": {
                        "server": server or self.url,
                        "certificate-authority-data": base64.b64encode(ca_pem or self.ca_pem).decode(),
                    },
                }
            ],
            "users": [{"name": "fake-user", "user": {"token": token if token is not None else self.token}}],
            "contexts": [{"name": context, "context": {"cluster": "fake", "user": "fake-user"}}],
            "current-context": context,
        }
        path.write_text(yaml.safe_dump(config), encoding="utf-8")
        return path

    # -- what the server answers -----------------------------------------------------------------

    def groups(self) -> dict[str, list[str]]:
        """API group -> versions, the preferred (first seen, v1 before others) first."""
        out: dict[str, list[str]] = {}
        for group, version, _plural in self.types:
            versions = out.setdefault(group, [])
            if version not in versions:
                versions.append(version)
        for versions in out.values():
            versions.sort(key=lambda v: (v != "v1", v))
        return out

    def resource_list(self, group: str, version: str) -> dict[str, Any] | None:
        found = [t for (g, v, _p), t in self.types.items() if g == group and v == version]
        if not found:
            return None
        resources: list[dict[str, Any]] = []
        for t in sorted(found, key=lambda t: t.plural):
            resources.append(
                {
                    "name": t.plural,
                    "singularName": t.kind.lower(),
                    "namespaced": t.namespaced,
                    "kind": t.kind,
                    "verbs": t.verbs,
                }
            )
            if t.kind == "Pod":
                resources.append(
                    {
                        "name": "pods/log",
                        "singularName": "",
                        "namespaced": True,
                        "kind": "Pod",
                        "verbs": ["get"],
                    }
                )
            if t.kind == "Node":
                resources.append(
                    {
                        "name": "nodes/proxy",
                        "singularName": "",
                        "namespaced": False,
                        "kind": "NodeProxyOptions",
                        "verbs": ["create", "delete", "get", "patch", "update"],
                    }
                )
        gv = f"{group}/{version}" if group else version
        return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}


class _Handler(BaseHTTPRequestHandler):
    api: FakeApiServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests read the recorded requests instead

    def _send(self, code: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        api = self.api
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with api.lock:
            api.requests.append(self.path)
        if self.headers.get("Authorization") != f"Bearer {api.token}":
            self._send(401, _status(401, "Unauthorized", "Unauthorized"))
            return
        path = parts.path.rstrip("/")
        segs = [s for s in path.split("/") if s]
        if path == "/version":
            self._send(200, api.version)
            return
        if path == "/api":
            self._send(
                200,
                {
                    "kind": "APIVersions",
                    "versions": ["v1"],
                    "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}],
                },
            )
            return
        if path == "/apis":
            groups = []
            for group, versions in sorted(api.groups().items()):
                if not group:
                    continue
                gvs = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
                groups.append({"name": group, "versions": gvs, "preferredVersion": gvs[0]})
            self._send(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
            return
        if segs[:1] == ["api"] and len(segs) >= 2:
            group, version, rest = "", segs[1], segs[2:]
        elif segs[:1] == ["apis"] and len(segs) >= 3:
            group, version, rest = segs[1], segs[2], segs[3:]
        else:
            self._not_found()
            return
        if not rest:
            listing = api.resource_list(group, version)
            if listing is None:
                self._not_found()
            else:
                self._send(200, listing)
            return
        if group == "" and len(rest) == 4 and rest[0] == "nodes" and rest[2:] == ["proxy", "configz"]:
            self._configz(rest[1])
            return
        namespace: str | None = None
        if len(rest) == 3 and rest[0] == "namespaces":
            namespace, rest = rest[1], rest[2:]
        if len(rest) != 1:
            self._not_found()
            return
        rtype = api.types.get((group, version, rest[0]))
        if rtype is None or "list" not in rtype.verbs:
            self._not_found()
            return
        self._list(rtype, namespace, query)

    def _not_found(self) -> None:
        self._send(404, _status(404, "NotFound", "the server could not find the requested resource"))

    def _configz(self, node: str) -> None:
        api = self.api
        if api.configz_forbidden:
            self._send(
                403,
                _status(
                    403,
                    "Forbidden",
                    f'nodes "{node}" is forbidden: User "system:serviceaccount:kubeguard:scanner" cannot '
                    'get resource "nodes/proxy" in API group "" at the cluster scope',
                    details={"name": node, "kind": "nodes"},
                ),
            )
            return
        if node not in api.configz:
            self._send(404, _status(404, "NotFound", f'nodes "{node}" not found'))
            return
        self._send(200, {"kubeletconfig": api.configz[node]})

    def _list(self, rtype: ResourceType, namespace: str | None, query: dict[str, str]) -> None:
        api = self.api
        res = rtype.plural if not rtype.group else f"{rtype.plural}.{rtype.group}"
        if rtype.plural in api.forbidden or (namespace and f"{namespace}/{rtype.plural}" in api.forbidden):
            scope = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
            self._send(
                403,
                _status(
                    403,
                    "Forbidden",
                    f'{res} is forbidden: User "system:serviceaccount:kubeguard:scanner" cannot list '
                    f'resource "{rtype.plural}" in API group "{rtype.group}" {scope}',
                    details={"group": rtype.group, "kind": rtype.plural},
                ),
            )
            return
        if namespace is not None and not rtype.namespaced:
            self._not_found()
            return
        items = [
            o
            for o in rtype.objects
            if namespace is None or (o["metadata"].get("namespace") or "") == namespace
        ]
        start = 0
        token = query.get("continue")
        if token:
            with api.lock:
                expire = api.expire_continue > 0
                if expire:
                    api.expire_continue -= 1
            if expire:
                self._send(
                    410,
                    _status(
                        410,
                        "Expired",
                        "The provided continue parameter is too old to display a consistent list result. "
                        "You can start a new list without the continue parameter, or use the continue "
                        "token in this response to retrieve the remainder of the results.",
                    ),
                )
                return
            try:
                start = int(json.loads(base64.b64decode(token))["start"])
            except (ValueError, KeyError, TypeError):
                self._send(400, _status(400, "BadRequest", "continue key is not valid"))
                return
        limit = int(query["limit"]) if query.get("limit") else 0
        if api.max_limit is not None:
            limit = min(limit, api.max_limit) if limit else api.max_limit
        end = len(items) if not limit else min(len(items), start + limit)
        page = []
        for obj in items[start:end]:
            item = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind")}
            page.append(item)
        metadata: dict[str, Any] = {"resourceVersion": "99999"}
        if end < len(items):
            metadata["continue"] = base64.b64encode(json.dumps({"rv": 99999, "start": end}).encode()).decode()
            metadata["remainingItemCount"] = len(items) - end
        self._send(
            200,
            {
                "kind": f"{rtype.kind}List",
                "apiVersion": rtype.group_version,
                "metadata": metadata,
                "items": page,
            },
        )


def cluster_objects(resources: Iterable[Any]) -> list[dict[str, Any]]:
    """Objects a cluster could hold, from resources kubeguard read from files.

    One object per (group, kind, namespace, name) and one version per (group, kind) (a real server
    serves every object at every version of its resource; this one serves each object at the version
    it is written in, so a kind written at two versions would be two resources); namespaced objects
    get their namespace written, cluster-scoped ones lose it; component configuration files and
    kubeguard's own node files are no API objects and are left out, and so is the ``extensions``
    group, which no supported server serves any more (its kinds live in apps and networking.k8s.io).
    """
    seen: set[tuple[str, str, str | None, str]] = set()
    version_of: dict[tuple[str, str], str] = {}
    out: list[dict[str, Any]] = []
    for r in resources:
        if (
            r.group in CONFIG_GROUPS
            or r.group in ("kubeguard.io", "extensions")
            or r.kind == "List"
            or not r.name
        ):
            continue
        if version_of.setdefault((r.group, r.kind), r.api_version) != r.api_version:
            continue
        ident = (r.group, r.kind, r.effective_namespace, r.name)
        if ident in seen:
            continue
        seen.add(ident)
        obj = copy.deepcopy(r.raw)
        md = obj["metadata"]
        md["name"] = r.name
        md.pop("generateName", None)
        if r.effective_namespace is None:
            md.pop("namespace", None)
        else:
            md["namespace"] = r.effective_namespace
        out.append(obj)
    return out
