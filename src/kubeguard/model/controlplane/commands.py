"""Which program a container starts, the way the container runtime decides it.

``command`` replaces the image's entrypoint and ``args`` its default arguments. With ``command`` the
program is written out; without it the image's entrypoint runs with ``args``, so the program is
known only from the image: kubeguard recognizes the components' images by name (any registry or
mirror: ``registry.k8s.io/kube-apiserver``, ``k8s.gcr.io/etcd-amd64``, ``quay.io/coreos/etcd``,
``bitnami/etcd``, ``rancher/mirrored-coreos-etcd`` ...) and then reads ``args`` as its flags.

Launchers in front of the program are looked through: ``sh -c`` scripts (shell options such as
``-euxo pipefail`` included; the first simple command of the script that starts a component, past
``exec`` and variable assignments), ``hyperkube <component>`` (and ``busybox <applet>``), and ``go-runner`` (the entrypoint of
the registry.k8s.io images) with its own flags, and launchers such as ``nice``, ``ionice``,
``timeout``, ``env``, ``tini`` and ``dumb-init``. The program is named by its base name.
"""

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
from kubeguard.model.image import parse_image
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
#: Multi-call binaries whose first argument names the program.
_MULTI_CALL = frozenset({"hyperkube", "busybox"})
_GO_RUNNER = "go-runner"
#: Programs that run the rest of their arguments as a command (OpenShift starts etcd through
#: ``nice`` and ``ionice``), with their options that take a separate value, and how many positional
#: arguments come before the command (``timeout DURATION``).
_LAUNCHERS: dict[str, tuple[frozenset[str], int]] = {
    "nice": (frozenset({"-n", "--adjustment"}), 0),
    "ionice": (
        frozenset({"-c", "--class", "-n", "--classdata", "-p", "--pid", "-P", "--pgid", "-u", "--uid"}),
        0,
    ),
    "timeout": (frozenset({"-s", "--signal", "-k", "--kill-after"}), 1),
    "env": (frozenset({"-u", "--unset", "-C", "--chdir"}), 0),
    "tini": (frozenset({"-p", "-e"}), 0),
    "dumb-init": (frozenset({"-r", "--rewrite"}), 0),
    "setpriv": (frozenset({"--reuid", "--regid", "--groups", "--inh-caps", "--bounding-set"}), 0),
}
#: go-runner's own flags (Go's flag package: one or two dashes); only ``log-file`` takes a value.
_GO_RUNNER_FLAGS = frozenset({"log-file", "also-stdout", "redirect-stderr"})

#: Images whose entrypoint runs a component, by the last part of their repository path, after the
#: prefixes Rancher's mirrors add and the architecture suffixes of older k8s.gcr.io images.
_COMPONENT_BY_IMAGE = {
    "kube-apiserver": APISERVER,
    "kube-controller-manager": CONTROLLER_MANAGER,
    "kube-scheduler": SCHEDULER,
    "etcd": ETCD,
    "coreos-etcd": ETCD,
}
_IMAGE_PREFIXES = ("mirrored-", "hardened-")
_IMAGE_ARCH_SUFFIXES = ("-amd64", "-arm64", "-arm", "-ppc64le", "-s390x")
#: Shell words that end a simple command or redirect it.
_SHELL_OPERATORS = frozenset({";", "&&", "||", "|", "&", ";;", "(", ")", "{", "}"})
#: Words that may stand before a simple command: ``exec`` and the reserved words that open a clause.
_COMMAND_PREFIXES = frozenset({"exec", "then", "else", "do", "time", "!"})
_REDIRECTS = frozenset({">", ">>", "<", "<<", ">&", "<&", ">|", "&>", "&>>", "<>"})

Token = tuple[str, Pointer]


def component_of_binary(program: str) -> str | None:
    """``/usr/local/bin/kube-apiserver`` -> ``kube-apiserver``; unknown programs -> ``None``."""
    return _COMPONENT_BY_BINARY.get(posixpath.basename(program.strip()))


def _str_list(value: Any) -> list[str] | None:
    if not isinstance(value, list):
        return None
    return [str(v) if not isinstance(v, str) else v for v in value]


def component_of_image(image: object) -> str | None:
    """``registry.k8s.io/kube-apiserver:v1.31.2`` -> ``kube-apiserver``; other images -> ``None``."""
    ref = parse_image(image) if isinstance(image, str) else None
    if ref is None:
        return None
    name = ref.repository.rpartition("/")[2]
    for prefix in _IMAGE_PREFIXES:
        name = name.removeprefix(prefix)
    for suffix in _IMAGE_ARCH_SUFFIXES:
        name = name.removesuffix(suffix)
    return _COMPONENT_BY_IMAGE.get(name)


def container_argv(container: Mapping[str, Any], pointer: Pointer) -> tuple[str, list[Token]] | None:
    """The program and its arguments (with pointers) a container runs; see the module docstring.

    Flags of a shell script all point at the script. ``None`` when nothing tells the program.
    """
    command = _str_list(container.get("command")) or []
    args = _str_list(container.get("args")) or []
    tokens = [(t, pointer / "command" / i) for i, t in enumerate(command)]
    tokens += [(t, pointer / "args" / i) for i, t in enumerate(args)]
    if command or (args and not args[0].startswith("-")):
        # The program is written: in command, or first in args (an image without an entrypoint, or
        # whose entrypoint runs its arguments, as go-runner and most wrapper scripts do).
        return _unwrap(tokens)
    # The image's entrypoint runs, with args (flags, or nothing) as its arguments.
    after_runner = _skip_go_runner_flags(tokens)
    if after_runner is not None and after_runner:
        found = _unwrap(after_runner)
        if found is not None and component_of_binary(found[0]) is not None:
            return found
    component = component_of_image(container.get("image"))
    if component is not None:
        return component, tokens
    return _unwrap(tokens) if tokens else None


def container_component(container: Mapping[str, Any]) -> str | None:
    """Cheap test: the component a container starts, the same answer as :func:`container_argv`
    without building pointers unless a launcher must be looked through."""
    command = container.get("command")
    args = container.get("args")
    words = command if isinstance(command, list) and command else None
    if words is None and isinstance(args, list) and args:
        words = args
    first = words[0] if words else None
    if isinstance(first, str) and (words is command or not first.startswith("-")):
        base = first.rpartition("/")[2].strip()
        comp = _COMPONENT_BY_BINARY.get(base)
        if comp is not None:
            return comp
        if base not in _SHELLS and base not in _MULTI_CALL and base not in _LAUNCHERS and base != _GO_RUNNER:
            return None
    elif first is None or (
        isinstance(first, str) and first.lstrip("-").partition("=")[0] not in _GO_RUNNER_FLAGS
    ):
        # The image's entrypoint runs, and the args are not go-runner's.
        return component_of_image(container.get("image"))
    argv = container_argv(container, ROOT)
    return component_of_binary(argv[0]) if argv is not None else None


def _unwrap(tokens: list[Token]) -> tuple[str, list[Token]] | None:
    """Look through shells, multi-call binaries, go-runner and launchers to the program they start."""
    while tokens:
        program = posixpath.basename(tokens[0][0].strip())
        rest = tokens[1:]
        if program in _SHELLS:
            return _shell_program(rest)
        if program in _MULTI_CALL and rest:
            tokens = rest
        elif program == _GO_RUNNER:
            after = _skip_go_runner_flags(rest)
            if not after:
                return None
            tokens = after
        elif program in _LAUNCHERS:
            tokens = _launched(program, rest)
        else:
            return tokens[0][0], rest
    return None


def _launched(launcher: str, tokens: list[Token]) -> list[Token]:
    """The command a launcher runs: past its options (and their values), ``--``, environment
    assignments (``env``) and leading positional arguments (``timeout``'s duration)."""
    with_value, positional = _LAUNCHERS[launcher]
    i = 0
    while i < len(tokens):
        word = tokens[i][0]
        if word == "--":
            i += 1
            break
        if word.startswith("-") and len(word) > 1:
            i += 2 if word in with_value else 1
        elif launcher == "env" and _is_assignment(word):
            i += 1
        else:
            break
    return tokens[i + positional :]


def _skip_go_runner_flags(tokens: list[Token]) -> list[Token] | None:
    """The tokens after go-runner's own flags; ``None`` when a token is a flag go-runner lacks."""
    i = 0
    while i < len(tokens) and tokens[i][0].startswith("-"):
        name, eq, _value = tokens[i][0].lstrip("-").partition("=")
        if name not in _GO_RUNNER_FLAGS:
            return None
        i += 2 if name == "log-file" and not eq else 1
    return tokens[i:]


def _shell_program(tokens: list[Token]) -> tuple[str, list[Token]] | None:
    """``sh [options] -c SCRIPT``: the component the script starts (else its first command)."""
    with_c = False
    i = 0
    while i < len(tokens):
        word = tokens[i][0]
        if word == "--":
            i += 1
            break
        if len(word) < 2 or word[0] not in "-+":
            break
        if word.startswith("--"):  # bash's long options; two of them take a file
            i += 2 if word in ("--rcfile", "--init-file") else 1
            continue
        letters = word[1:]
        with_c = with_c or "c" in letters
        i += 2 if "o" in letters else 1  # -o (also inside -euxo) takes an option name
    if not with_c or i >= len(tokens):
        return None  # ``sh script.sh``: the program is in a file kubeguard does not see
    script, script_at = tokens[i]
    commands = _simple_commands(script)
    if commands is None:
        return None
    first: tuple[str, list[Token]] | None = None
    for words in commands:
        found = _unwrap([(w, script_at) for w in words])
        if found is None:
            continue
        if component_of_binary(found[0]) is not None:
            return found
        first = first or found
    return first


def _simple_commands(script: str) -> list[list[str]] | None:
    """A shell script as its simple commands (words), without ``exec``, leading variable
    assignments and redirections; ``None`` when it cannot be split (an unclosed quote)."""
    lexer = shlex.shlex(script.replace("\\\n", " ").replace("\n", " ; "), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        words = list(lexer)
    except ValueError:
        return None
    commands: list[list[str]] = []
    current: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word in _SHELL_OPERATORS:
            if current:
                commands.append(current)
            current = []
        elif word in _REDIRECTS:
            skip = True  # the redirection's target
            if current and current[-1].isdigit():
                current.pop()  # the descriptor in 2>&1
        elif not current and (word in _COMMAND_PREFIXES or _is_assignment(word)):
            continue
        else:
            current.append(word)
    if current:
        commands.append(current)
    return commands


def _is_assignment(word: str) -> bool:
    name, eq, _value = word.partition("=")
    return bool(eq) and name.isidentifier()
