"""systemd as the kubelet's launcher: unit files and drop-ins (``Environment=``, ``EnvironmentFile=``,
``ExecStart=``), the environment files they read (``kubeadm-flags.env``, ``/etc/default/kubelet``), and
the kubelet command line they produce, with each flag naming the variable or file it came from.

Callers pass texts in; :mod:`kubeguard.loading.node` reads them from the node's tree.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kubeguard.model.controlplane.commands import component_of_binary
from kubeguard.model.controlplane.components import KUBELET
from kubeguard.model.controlplane.flags import FlagSet, parse_argv
from kubeguard.model.pointer import ROOT, Pointer

_VAR_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def parse_env_file(text: str) -> dict[str, str]:
    """A systemd EnvironmentFile: ``KEY=value`` lines, ``#``/``;`` comments, quotes removed."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("export "):
            line = line[7:].lstrip()
        key, eq, value = line.partition("=")
        if not eq:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        out[key.strip()] = value
    return out


@dataclass(slots=True)
class SystemdUnit:
    """What kubeguard needs from a unit and its drop-ins, in the order systemd applies them."""

    environment: dict[str, str] = field(default_factory=dict)
    environment_files: list[str] = field(default_factory=list)
    exec_start: str | None = None
    exec_start_file: str | None = None


def parse_unit(texts: Sequence[tuple[str, str]], unit: SystemdUnit | None = None) -> SystemdUnit:
    """Read ``[Service]`` Environment=, EnvironmentFile= and ExecStart= from unit texts (path, text),
    main unit first, drop-ins after in name order. An empty ``ExecStart=`` resets it, as in systemd."""
    unit = unit or SystemdUnit()
    for path, text in texts:
        section = ""
        lines: list[str] = []
        pending = ""
        for raw_line in text.splitlines():
            if raw_line.rstrip().endswith("\\"):
                pending += raw_line.rstrip()[:-1] + " "
                continue
            lines.append(pending + raw_line)
            pending = ""
        if pending:
            lines.append(pending)
        for line in lines:
            line = line.strip()
            if not line or line.startswith(("#", ";")):
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
                continue
            if section != "Service":
                continue
            key, eq, value = line.partition("=")
            if not eq:
                continue
            key = key.strip()
            value = value.strip()
            if key == "Environment":
                try:
                    words = shlex.split(value)
                except ValueError:
                    words = [value]
                for word in words:
                    k, e, v = word.partition("=")
                    if e:
                        unit.environment[k] = v
            elif key == "EnvironmentFile":
                unit.environment_files.append(value)
            elif key == "ExecStart":
                if value:
                    unit.exec_start = value
                    unit.exec_start_file = path
                else:
                    unit.exec_start = None
                    unit.exec_start_file = None
    return unit


def expand(text: str, env: Mapping[str, str]) -> str:
    """systemd's ``$VAR`` / ``${VAR}`` substitution (unset variables expand to nothing)."""
    return _VAR_RE.sub(lambda m: env.get(m.group(1) or m.group(2), ""), text)


def kubelet_command_flags(unit: SystemdUnit, env_files: Mapping[str, str]) -> tuple[FlagSet, bool]:
    """The kubelet's flags from a parsed unit and the texts of its environment files (by path, as
    written after ``EnvironmentFile=`` without the leading ``-``). Returns the flags and whether an
    ``ExecStart=`` starting the kubelet was found. Each flag's origin names the variable or file."""
    env = dict(unit.environment)
    origins: dict[str, str] = dict.fromkeys(unit.environment, unit.exec_start_file or "unit")
    for spec in unit.environment_files:
        path = spec.lstrip("-").strip()
        text = env_files.get(path)
        if text is None:
            continue
        values = parse_env_file(text)
        env.update(values)
        for k in values:
            origins[k] = path
    if not unit.exec_start:
        return FlagSet([], ROOT, "the kubelet command line"), False
    line = unit.exec_start.lstrip("@-:+!")
    found = False
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    # Expand each word on its own so each flag can name the variable it came from.
    tokens: list[tuple[str, Pointer]] = []
    token_origin: list[str] = []
    for i, word in enumerate(words):
        m = _VAR_RE.fullmatch(word)
        if m is not None:
            var = m.group(1) or m.group(2)
            value = env.get(var, "")
            try:
                parts = shlex.split(value)
            except ValueError:
                parts = value.split()
            for p in parts:
                tokens.append((p, ROOT))
                token_origin.append(f"${var} ({origins.get(var, 'unit')})")
        else:
            expanded = expand(word, env)
            if i == 0:
                found = component_of_binary(expanded) == KUBELET
                continue
            tokens.append((expanded, ROOT))
            token_origin.append(unit.exec_start_file or "unit")
    flags = parse_argv(tokens, origins=token_origin)
    return FlagSet(flags, ROOT, "the kubelet command line"), found
