"""Rendering Kustomize directories and Helm charts with the user's own tools.

kubeguard never evaluates templates itself: it runs ``kubectl kustomize`` (or ``kustomize build``)
and ``helm template`` and scans what they print. The commands run without a shell.

To map rendered objects back to their files, a kustomization is built through a one-line wrapper
kustomization in a temporary folder that includes it and asks for ``buildMetadata:
[originAnnotations]``; the user's files are never changed. :mod:`kubeguard.loading.origins` reads
the annotations (paths relative to the returned ``origin_root``) and removes them again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

from kubeguard.loading.kustomization import read_kustomization

RENDER_TIMEOUT_SECONDS = 300


def _run(argv: Sequence[str], cwd: str | None = None) -> tuple[str | None, str | None]:
    try:
        proc = subprocess.run(
            list(argv),
            capture_output=True,
            timeout=RENDER_TIMEOUT_SECONDS,
            check=False,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return None, f"`{' '.join(argv[:2])}` did not finish within {RENDER_TIMEOUT_SECONDS} s"
    except OSError as exc:
        return None, f"cannot run {argv[0]}: {exc.strerror or exc}"
    if proc.returncode != 0:
        tail = _failure_detail(proc.stderr.decode("utf-8", "replace")) or f"exit code {proc.returncode}"
        return None, f"`{' '.join(argv[:2])}` failed: {tail}"
    return proc.stdout.decode("utf-8", "replace"), None


# kubectl's structured logger (klog): `E1203 10:08:53.664371   16725 run.go:72] "command failed"
# err="..."`, the message and the error value quoted the Go way.
_KLOG_LINE = re.compile(
    r'^[IWEF]\d{4} [\d:.]+\s+\d+ [^\]]*\] "(?P<msg>(?:[^"\\]|\\.)*)"(?: err="(?P<err>(?:[^"\\]|\\.)*)")?'
)


_GO_ONLY_ESCAPE = re.compile(r"\\(\\|x([0-9a-fA-F]{2})|U([0-9a-fA-F]{8})|a|v)")


def _unquote(value: str) -> str:
    """A Go-quoted string's text (Go's escapes are JSON's plus ``\\xHH``, ``\\UHHHHHHHH``, ``\\a``,
    ``\\v``); as quoted when it cannot be decoded."""

    def to_json(match: re.Match[str]) -> str:
        if match[1] == "\\":
            return "\\\\"
        if match[2]:
            return f"\\u00{match[2]}"
        if match[3]:
            return json.dumps(chr(int(match[3], 16)))[1:-1]
        return "\\u0007" if match[1] == "a" else "\\u000b"

    try:
        text = json.loads(f'"{_GO_ONLY_ESCAPE.sub(to_json, value)}"')
    except ValueError:
        return value
    return text if isinstance(text, str) else value


def _failure_detail(stderr: str) -> str | None:
    """The useful part of a tool's error output: its last line, or, when kubectl's logger ends with a
    multi-line value (``err=<``, indented lines, ``>``), the lines of that value joined; a klog line
    is reduced to its error value (without timestamp, process id and source line)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return None
    if lines[-1] == ">":
        opened = [i for i, line in enumerate(lines) if line.endswith("=<")]
        if opened and opened[-1] < len(lines) - 2:
            return " ".join(lines[opened[-1] + 1 : -1])
    klog = _KLOG_LINE.match(lines[-1])
    if klog:
        return _unquote(klog["err"] if klog["err"] is not None else klog["msg"])
    return lines[-1]


@dataclass(frozen=True, slots=True)
class Rendered:
    """What a renderer printed (``text``) or why it failed (``error``); ``origin_root`` is the folder
    that kustomize's origin annotations are relative to (``None``: no origins were asked for)."""

    text: str | None
    error: str | None = None
    origin_root: str | None = None
    #: Named in the report when it is not the usual tool (the in-process Helm engine).
    tool: str = ""


def render_kustomize(directory: str) -> Rendered:
    """Build ``directory``, with origin annotations. Prefers ``kubectl kustomize``, else ``kustomize build``."""
    kubectl = shutil.which("kubectl")
    kustomize = shutil.which("kustomize")
    if not kubectl and not kustomize:
        return Rendered(
            None,
            "is a Kustomize directory, but neither `kubectl` nor `kustomize` is on PATH to render it; "
            "install one of them, or scan the output of `kustomize build` from stdin",
        )

    def build(target: str) -> tuple[str | None, str | None]:
        if kubectl:
            return _run([kubectl, "kustomize", target])
        assert kustomize is not None
        return _run([kustomize, "build", target])

    k = read_kustomization(directory)
    if k is not None and (k.is_component or k.has_build_metadata):
        text, error = build(directory)  # a wrapper would change what it means
        return Rendered(text, error)
    with tempfile.TemporaryDirectory(prefix="kubeguard-") as tmp:
        root = os.path.realpath(tmp)
        target = os.path.relpath(os.path.realpath(directory), root)
        with open(os.path.join(root, "kustomization.yaml"), "w", encoding="utf-8") as fh:
            # JSON strings are YAML strings: any folder name is quoted safely.
            fh.write(f"resources:\n- {json.dumps(target)}\nbuildMetadata: [originAnnotations]\n")
        text, error = build(root)
        if error is not None:
            error = error.replace(target, directory)
    return Rendered(text, error, root if text is not None else None)


def render_helm(chart: str, values: Sequence[str] = (), sets: Sequence[str] = ()) -> Rendered:
    """``helm template`` with ``--values``/``--set`` passed on; without a ``helm`` binary, Helm's
    engine in this process when the optional ``helm-python-sdk`` package is installed."""
    release = os.path.basename(os.path.abspath(chart)) or "release"
    helm = shutil.which("helm")
    if not helm:
        from kubeguard.loading.helm_sdk import render_in_process

        text, error = render_in_process(chart, release, values, sets)
        tool = "helm-python-sdk in this process (no helm on PATH)" if text is not None else ""
        return Rendered(text, error, tool=tool)
    argv = [helm, "template", release, chart]
    for v in values:
        argv += ["--values", v]
    for s in sets:
        argv += ["--set", s]
    return Rendered(*_run(argv))
