"""Discovering rules: every module under ``kubeguard.checks`` that defines ``RULE`` (or ``RULES``).

Nothing registers itself on import: the registry walks the package, reads the module-level
constants, attaches each rule's documentation (the module docstring), and fails loudly on a
duplicated code or slug. Two kinds of rule live there: manifest rules (:class:`Rule`, run by
``scan`` over resources: :func:`all_rules`) and audit rules (:class:`AuditRule`, the AUD family, run
by ``audit`` over events: :func:`all_audit_rules`). Codes and slugs are unique across both, and
the catalogue (``rules``, ``explain``, ``docs``) shows both: :func:`catalogue`.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import pkgutil
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TypeVar

from kubeguard.rules.audit import AuditRule
from kubeguard.rules.rule import Rule

#: Any rule of the catalogue.
AnyRule = Rule | AuditRule
R = TypeVar("R", Rule, AuditRule)


class RegistryError(RuntimeError):
    pass


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every manifest rule of the project (what ``scan`` runs), sorted by code."""
    return tuple(r for r in catalogue() if isinstance(r, Rule))


@cache
def all_audit_rules() -> tuple[AuditRule, ...]:
    """Every audit (AUD) rule, sorted by code."""
    return tuple(r for r in catalogue() if isinstance(r, AuditRule))


@cache
def catalogue() -> tuple[AnyRule, ...]:
    """Every rule of both kinds, sorted by code."""
    import kubeguard.checks as checks_pkg

    found: list[AnyRule] = []
    for info in pkgutil.walk_packages(checks_pkg.__path__, checks_pkg.__name__ + "."):
        module = importlib.import_module(info.name)
        candidates: list[object] = []
        if hasattr(module, "RULE"):
            candidates.append(module.RULE)
        candidates.extend(getattr(module, "RULES", ()))
        for rule in candidates:
            if not isinstance(rule, Rule | AuditRule):
                raise RegistryError(
                    f"{info.name}: RULE/RULES must hold Rule or AuditRule objects, found {type(rule).__name__}"
                )
            doc = rule.doc or (module.__doc__ or "")
            found.append(dataclasses.replace(rule, doc=doc.strip(), module=info.name))
    return tuple(sorted(_unique(found), key=lambda r: r.code))


def _unique(rules: Iterable[AnyRule]) -> list[AnyRule]:
    codes: dict[str, str] = {}
    slugs: dict[str, str] = {}
    out: list[AnyRule] = []
    for rule in rules:
        if rule.code in codes:
            raise RegistryError(f"duplicate rule code {rule.code} in {rule.module} and {codes[rule.code]}")
        if rule.slug in slugs:
            raise RegistryError(f"duplicate rule slug {rule.slug} in {rule.module} and {slugs[rule.slug]}")
        codes[rule.code] = rule.module
        slugs[rule.slug] = rule.module
        out.append(rule)
    return out


def rule_matches(rule: AnyRule, selector: str) -> bool:
    """A selector is a code (``PSS003``), a code prefix or family (``PSS``, ``PSS0``) or a slug."""
    s = selector.strip()
    return rule.slug == s.lower() or (rule.code.startswith(s.upper()) and bool(s))


def did_you_mean(selector: str, rules: Sequence[AnyRule]) -> str:
    """`` (did you mean 'WKL002'?)`` for a selector close to a rule's code or slug, else ``""``."""
    s = selector.strip()
    names = [r.code for r in rules] + [r.slug for r in rules]
    by_lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(s.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean {by_lower[close[0]]!r}?)" if close else ""


def select_rules(rules: Sequence[R], select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[R]:
    """Apply ``--select``/``--ignore``; an unknown selector is an error, not a silent no-op."""
    for selector in (*select, *ignore):
        if not any(rule_matches(r, selector) for r in rules):
            raise RegistryError(
                f"no rule matches {selector!r}{did_you_mean(selector, rules)} (see `kubeguard rules`)"
            )
    chosen = [r for r in rules if not select or any(rule_matches(r, s) for s in select)]
    return [r for r in chosen if not any(rule_matches(r, s) for s in ignore)]


def find_rule(selector: str) -> AnyRule | None:
    """One rule of either kind by code or slug (case-insensitive)."""
    s = selector.strip()
    for rule in catalogue():
        if rule.code == s.upper() or rule.slug == s.lower():
            return rule
    return None
