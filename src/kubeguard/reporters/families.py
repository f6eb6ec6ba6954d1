"""The rule families by name, for reports that group or filter by family (category)."""

from __future__ import annotations

FAMILY_TITLES = {
    "PSS": "Pod Security Standards",
    "WKL": "Workload hardening",
    "IMG": "Images",
    "SEC": "Secrets",
    "RBAC": "RBAC",
    "NET": "Network",
    "CP": "Control plane",
    "AUD": "Audit",
}


def family_title(family: str) -> str:
    """The family's name for people; a family without one is named by its code."""
    return FAMILY_TITLES.get(family, family)
