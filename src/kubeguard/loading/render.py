"""Rendering Kustomize directories and Helm charts with the user's own tools.

kubeguard never evaluates templates itself: it runs ``kubectl kustomize`` (or ``kustomize build``)
and ``helm template`` and scans what they print. The commands run without a shell.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence

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


def _failure_detail(stderr: str) -> str | None:
    """The useful part of a tool's error output: its last line, or, when kubectl's logger ends with a
    multi-line value (``err=<``, indented lines, ``>``), the lines of that value joined."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return None
    if lines[-1] == ">":
        opened = [i for i, line in enumerate(lines) if line.endswith("=<")]
        if opened and opened[-1] < len(lines) - 2:
            return " ".join(lines[opened[-1] + 1 : -1])
    return lines[-1]


def render_kustomize(directory: str) -> tuple[str | None, str | None]:
    """``(yaml, None)`` or ``(None, reason)``. Prefers ``kubectl kustomize``, else ``kustomize build``."""
    kubectl = shutil.which("kubectl")
    if kubectl:
        return _run([kubectl, "kustomize", directory])
    kustomize = shutil.which("kustomize")
    if kustomize:
        return _run([kustomize, "build", directory])
    return None, (
        "is a Kustomize directory, but neither `kubectl` nor `kustomize` is on PATH to render it; "
        "install one of them, or scan the output of `kustomize build` from stdin"
    )


def render_helm(
    chart: str, values: Sequence[str] = (), sets: Sequence[str] = ()
) -> tuple[str | None, str | None]:
    """``(yaml, None)`` or ``(None, reason)`` from ``helm template``, with ``--values``/``--set`` passed on."""
    helm = shutil.which("helm")
    if not helm:
        return None, (
            "is a Helm chart, but `helm` is not on PATH to render it; install Helm, or scan the output "
            "of `helm template` from stdin"
        )
    argv = [helm, "template", os.path.basename(os.path.abspath(chart)) or "release", chart]
    for v in values:
        argv += ["--values", v]
    for s in sets:
        argv += ["--set", s]
    return _run(argv)
