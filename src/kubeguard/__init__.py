"""kubeguard: a Kubernetes security posture scanner.

The library entry point is :func:`kubeguard.scan`; the command line (``kubeguard scan``) uses it too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubeguard._version import __version__

if TYPE_CHECKING:
    from kubeguard.findings.report import ScanReport


def scan(paths: Any, **kwargs: Any) -> ScanReport:
    """Scan manifests at ``paths`` and return a :class:`~kubeguard.findings.report.ScanReport`.

    See :func:`kubeguard.api.scan` for the keyword arguments.
    """
    from kubeguard.api import scan as _scan

    return _scan(paths, **kwargs)


__all__ = ["__version__", "scan"]
