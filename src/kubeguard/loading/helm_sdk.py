"""Rendering a Helm chart in this process, for machines without a ``helm`` binary.

Uses the optional ``helm-python-sdk`` package (``pip install 'kubeguard[helm]'``): Helm v4's own
template engine as a library, offline (``lookup`` returns nothing, as in ``helm template``). The
output is written like ``helm template``'s, one ``# Source:`` comment per template, so it is read
exactly as the binary's output is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kubeguard.loading.yaml_loader import document_chunks

NO_RENDERER = (
    "is a Helm chart, but `helm` is not on PATH to render it and the optional in-process renderer "
    "is not installed; install Helm or `pip install 'kubeguard[helm]'` (helm-python-sdk), or scan "
    "the output of `helm template` from stdin"
)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Values merged like Helm's: mappings deeply, anything else replaced."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def sdk_version() -> str | None:
    """The installed helm-python-sdk version, or ``None``."""
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("helm-python-sdk")
    except (ImportError, PackageNotFoundError):
        return None


def render_in_process(
    chart: str, release: str, values: Sequence[str] = (), sets: Sequence[str] = ()
) -> tuple[str | None, str | None]:
    """``(yaml, None)`` like ``helm template`` prints it, or ``(None, reason)``."""
    try:
        import helm_python  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None, NO_RENDERER
    try:
        loaded = helm_python.Chart.load(chart)
        user: dict[str, Any] = {}
        for path in values:
            with open(path, encoding="utf-8") as fh:
                user = _merge(user, helm_python.values_from_yaml(fh.read()) or {})
        for expression in sets:
            user = _merge(user, helm_python.parse_set_string(expression))
        manifests: dict[str, str] = loaded.render(
            loaded.merge_values(user), name=release, namespace="default", is_install=True
        )
    except OSError as exc:
        return None, f"cannot read a values file: {exc.strerror or exc}"
    except Exception as exc:  # the SDK's errors (HelmRenderError, HelmValuesError, ...)
        detail = str(exc).strip().splitlines()
        return (
            None,
            f"Helm (in-process, helm-python-sdk) failed: {detail[-1] if detail else type(exc).__name__}",
        )
    parts = []
    for template in sorted(manifests):
        text = manifests[template]
        if not template.endswith((".yaml", ".yml", ".json")) or not text.strip():
            continue  # NOTES.txt and templates that rendered to nothing
        # helm template names the template above every document it produced.
        for _start, chunk in document_chunks(text):
            body = "".join(line for line in chunk.splitlines(keepends=True) if not line.startswith("---"))
            if any(ln.strip() and not ln.lstrip().startswith("#") for ln in body.splitlines()):
                parts.append(f"---\n# Source: {template}\n{body.rstrip()}\n")
    return "".join(parts), None
