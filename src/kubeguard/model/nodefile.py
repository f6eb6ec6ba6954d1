"""Files of a node as data: the ``NodeFile`` resources ``kubeguard node`` builds from ``stat``, and
the view the file rules read from them.

A NodeFile is an ordinary resource (``apiVersion: kubeguard.io/v1``, ``kind: NodeFile``) so that the
file checks are pure rules like every other, with fixtures::

    apiVersion: kubeguard.io/v1
    kind: NodeFile
    metadata: {name: /etc/kubernetes/admin.conf}
    spec:
      path: /etc/kubernetes/admin.conf
      roles: [admin-kubeconfig]
      type: file            # or directory
      mode: "0600"          # octal permission bits
      owner: root
      group: root
      uid: 0
      gid: 0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource

NODE_FILE_KIND = "NodeFile"
NODE_FILE_GROUP = "kubeguard.io"
API_VERSION = f"{NODE_FILE_GROUP}/v1"
MODE = Pointer(("spec", "mode"))
OWNER = Pointer(("spec", "owner"))


@dataclass(frozen=True, slots=True)
class FileFacts:
    path: str
    mode: int | None
    owner: str | None
    group: str | None
    uid: int | None
    gid: int | None
    type: str


def facts(resource: Resource) -> FileFacts:
    spec: Any = resource.raw.get("spec")
    spec = spec if isinstance(spec, dict) else {}
    mode_raw = spec.get("mode")
    mode: int | None
    if isinstance(mode_raw, bool):
        mode = None
    elif isinstance(mode_raw, int):
        mode = mode_raw  # YAML 1.1 reads an unquoted 0644 as octal already
    elif isinstance(mode_raw, str):
        try:
            mode = int(mode_raw, 8)
        except ValueError:
            mode = None
    else:
        mode = None

    def _int(v: Any) -> int | None:
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    def _str(v: Any) -> str | None:
        return str(v) if v is not None and v != "" else None

    return FileFacts(
        str(spec.get("path") or resource.name),
        mode,
        _str(spec.get("owner")),
        _str(spec.get("group")),
        _int(spec.get("uid")),
        _int(spec.get("gid")),
        str(spec.get("type") or "file"),
    )


def node_file(
    path: str,
    roles: list[str],
    mode: int,
    owner: str | None,
    group: str | None,
    uid: int,
    gid: int,
    is_dir: bool,
) -> dict[str, Any]:
    """The raw NodeFile object for one file."""
    return {
        "apiVersion": API_VERSION,
        "kind": NODE_FILE_KIND,
        "metadata": {"name": path},
        "spec": {
            "path": path,
            "roles": roles,
            "type": "directory" if is_dir else "file",
            "mode": f"{mode & 0o7777:04o}",
            "owner": owner if owner is not None else str(uid),
            "group": group if group is not None else str(gid),
            "uid": uid,
            "gid": gid,
        },
    }


def node_file_roles(r: Resource) -> frozenset[str]:
    """The roles of a NodeFile resource (``apiserver-manifest``, ``pki-key`` ...); empty otherwise."""
    if r.kind != NODE_FILE_KIND or r.group != NODE_FILE_GROUP:
        return frozenset()
    spec = r.raw.get("spec")
    roles = spec.get("roles") if isinstance(spec, dict) else None
    return frozenset(str(x) for x in roles) if isinstance(roles, list) else frozenset()
