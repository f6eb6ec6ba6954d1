"""Which program a container starts: ``command`` then ``args``, ``sh -c`` scripts unwrapped,
``hyperkube <component>`` understood, the program named by its base name."""

from __future__ import annotations

import posixpath
import shlex
from collections.abc import Mapping
from typing import Any

from kubeguard.model.controlplane.components import (
    APISERVER,
    CONTROLLER_MANAGER,
    ETCD,
    KUBELET,
    SCHEDULER,
)
from kubeguard.model.pointer import ROOT, Pointer

_COMPONENT_BY_BINARY = {
    "kube-apiserver": APISERVER,
    "apiserver": APISERVER,
    "kube-controller-manager": CONTROLLER_MANAGER,
    "controller-manager": CONTROLLER_MANAGER,
    "kube-scheduler": SCHEDULER,
    "scheduler": SCHEDULER,
    "etcd": ETCD,
    "kubelet": KUBELET,
}
_SHELLS = frozenset({"sh", "bash", "ash", "dash"})


def component_of_binary(program: str) -> str | None:
    """``/usr/local/bin/kube-apiserver`` -> ``kube-apiserver``; unknown programs -> ``None``."""
    return _COMPONENT_BY_BINARY.get(posixpath.basename(program.strip()))


def _str_list(value: Any) -> list[str] | None:
    if not isinstance(value, list):
        return None
    return [str(v) if not isinstance(v, str) else v for v in value]


def container_argv(
    container: Mapping[str, Any], pointer: Pointer
) -> tuple[str, list[tuple[str, Pointer]]] | None:
    """The program and its arguments (with pointers) of a container: ``command`` then ``args``.

    A ``sh -c "kube-apiserver --a=b ..."`` wrapper is unwrapped (the script is split like a shell
    would; its flags all point at the script). ``hyperkube <component>`` is understood.
    """
    command = _str_list(container.get("command")) or []
    args = _str_list(container.get("args")) or []
    tokens = [(t, pointer / "command" / i) for i, t in enumerate(command)]
    tokens += [(t, pointer / "args" / i) for i, t in enumerate(args)]
    if not tokens:
        return None
    program = tokens[0][0]
    rest = tokens[1:]
    if posixpath.basename(program) in _SHELLS:
        for j, (tok, _at) in enumerate(rest):
            if tok == "-c" and j + 1 < len(rest):
                script, script_at = rest[j + 1]
                try:
                    words = shlex.split(script, comments=False)
                except ValueError:
                    return None
                words = [w for w in words if w != "exec"]
                if not words:
                    return None
                return words[0], [(w, script_at) for w in words[1:]]
        return None
    if posixpath.basename(program) == "hyperkube" and rest:
        return rest[0][0], rest[1:]
    return program, rest


def container_component(container: Mapping[str, Any]) -> str | None:
    """Cheap test: the component a container starts, without splitting flags (a shell or hyperkube
    wrapper is unwrapped only when the first word is one)."""
    command = container.get("command") or container.get("args")
    if not isinstance(command, list) or not command or not isinstance(command[0], str):
        return None
    base = command[0].rpartition("/")[2].strip()
    comp = _COMPONENT_BY_BINARY.get(base)
    if comp is not None:
        return comp
    if base in _SHELLS or base == "hyperkube":
        argv = container_argv(container, ROOT)
        if argv is not None:
            return component_of_binary(argv[0])
    return None
