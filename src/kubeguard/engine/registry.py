"""Discovering rules: every module under ``kubeguard.checks`` that defines ``RULE`` (or ``RULES``).

Nothing registers itself on import: the registry walks the package, reads the module-level
constants, attaches each rule's documentation (the module docstring), and fails loudly on a
duplicated code or slug.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import pkgutil
from collections.abc import Iterable, Sequence
from functools import cache

from kubeguard.rules.rule import Rule


class RegistryError(RuntimeError):
    pass


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule of the project, sorted by code."""
    import kubeguard.checks as checks_pkg

    found: list[Rule] = []
    for info in pkgutil.walk_packages(checks_pkg.__path__, checks_pkg.__name__ + "."):
        module = importlib.import_module(info.name)
        candidates: list[object] = []
        if hasattr(module, "RULE"):
            candidates.append(module.RULE)
        candidates.extend(getattr(module, "RULES", ()))
        for rule in candidates:
            if not isinstance(rule, Rule):
                raise RegistryError(
                    f"{info.name}: RULE/RULES must hold Rule objects, found {type(rule).__name__}"
                )
            doc = rule.doc or (module.__doc__ or "")
            found.append(dataclasses.replace(rule, doc=doc.strip(), module=info.name))
    return tuple(sorted(_unique(found), key=lambda r: r.code))


def _unique(rules: Iterable[Rule]) -> list[Rule]:
    codes: dict[str, str] = {}
    slugs: dict[str, str] = {}
    out = []
    for rule in rules:
        if rule.code in codes:
            raise RegistryError(f"duplicate rule code {rule.code} in {rule.module} and {codes[rule.code]}")
        if rule.slug in slugs:
            raise RegistryError(f"duplicate rule slug {rule.slug} in {rule.module} and {slugs[rule.slug]}")
        codes[rule.code] = rule.module
        slugs[rule.slug] = rule.module
        out.append(rule)
    return out


def rule_matches(rule: Rule, selector: str) -> bool:
    """A selector is a code (``PSS003``), a code prefix or family (``PSS``, ``PSS0``) or a slug."""
    s = selector.strip()
    return rule.slug == s.lower() or (rule.code.startswith(s.upper()) and bool(s))


def did_you_mean(selector: str, rules: Sequence[Rule]) -> str:
    """`` (did you mean 'WKL002'?)`` for a selector close to a rule's code or slug, else ``""``."""
    s = selector.strip()
    names = [r.code for r in rules] + [r.slug for r in rules]
    by_lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(s.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean {by_lower[close[0]]!r}?)" if close else ""


def select_rules(rules: Sequence[Rule], select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Rule]:
    """Apply ``--select``/``--ignore``; an unknown selector is an error, not a silent no-op."""
    for selector in (*select, *ignore):
        if not any(rule_matches(r, selector) for r in rules):
            raise RegistryError(
                f"no rule matches {selector!r}{did_you_mean(selector, rules)} (see `kubeguard rules`)"
            )
    chosen = [r for r in rules if not select or any(rule_matches(r, s) for s in select)]
    return [r for r in chosen if not any(rule_matches(r, s) for s in ignore)]


def find_rule(selector: str) -> Rule | None:
    """One rule by code or slug (case-insensitive)."""
    s = selector.strip()
    for rule in all_rules():
        if rule.code == s.upper() or rule.slug == s.lower():
            return rule
    return None
