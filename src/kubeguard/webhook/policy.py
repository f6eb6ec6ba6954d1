"""What the webhook applies where: mode, threshold and Pod Security level per namespace, and the
exemptions, from the command line and the ``admission`` section of ``.kubeguard.yaml``.

Modelled on Pod Security Admission's AdmissionConfiguration: defaults, per-namespace settings (the
first ``namespaces`` entry naming the namespace wins over the defaults) and exemptions by
namespace, user name and runtimeClass. Command-line options (``--mode``, ``--fail-on``, ``--pss``)
win over the section's defaults, and a namespace entry wins over both.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kubeguard.model.config import Config
from kubeguard.model.versions import PssPolicy, VersionError
from kubeguard.rules.context import ScanOptions
from kubeguard.rules.rule import Severity

SECTION = "admission"
MODES = ("enforce", "warn", "audit")


class PolicyError(ValueError):
    """The admission settings cannot be used (the message names the setting)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """How one namespace's objects are judged."""

    mode: str
    fail_on: Severity
    options: ScanOptions


def _severity(value: str, where: str) -> Severity:
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise PolicyError(f"{where}: {exc}") from None


def _options(pss: str, base: ScanOptions, where: str) -> ScanOptions:
    try:
        policy = PssPolicy.parse(pss)
    except VersionError as exc:
        raise PolicyError(f"{where}: {exc}") from None
    return dataclasses.replace(base, pss_level=policy.level, pss_version=str(policy.version))


def _mode(value: str, where: str) -> str:
    if value not in MODES:
        raise PolicyError(f"{where}: mode must be one of {', '.join(MODES)}, not {value!r}")
    return value


class AdmissionPolicy:
    """The settings of every namespace, worked out once per namespace name."""

    def __init__(
        self,
        config: Config,
        *,
        mode: str | None = None,
        fail_on: str | None = None,
        pss: str | None = None,
        base: ScanOptions | None = None,
    ) -> None:
        """``base``: the scan options besides the Pod Security level (``--k8s-version`` ...)."""
        base = base or ScanOptions()
        section = config.section(SECTION)
        where = f"{config.path or 'configuration'}: {SECTION}"
        self._default = Settings(
            _mode(mode or section.get("mode") or "enforce", "--mode" if mode else f"{where}.mode"),
            _severity(
                fail_on or section.get("failOn") or "low", "--fail-on" if fail_on else f"{where}.failOn"
            ),
            _options(
                pss or section.get("pss") or "restricted:latest", base, "--pss" if pss else f"{where}.pss"
            ),
        )
        self._entries: list[tuple[tuple[str, ...], Settings]] = []
        for i, entry in enumerate(section.get("namespaces") or []):
            at = f"{where}.namespaces[{i}]"
            names = tuple(str(n) for n in entry.get("names") or ())
            if not names:
                raise PolicyError(f"{at}.names: name at least one namespace")
            settings = Settings(
                _mode(entry["mode"], f"{at}.mode") if "mode" in entry else self._default.mode,
                _severity(entry["failOn"], f"{at}.failOn") if "failOn" in entry else self._default.fail_on,
                _options(entry["pss"], base, f"{at}.pss") if "pss" in entry else self._default.options,
            )
            self._entries.append((names, settings))
        exemptions: Mapping[str, Any] = section.get("exemptions") or {}
        self.exempt_namespaces = frozenset(str(n) for n in exemptions.get("namespaces") or ())
        self.exempt_usernames = frozenset(str(n) for n in exemptions.get("usernames") or ())
        self.exempt_runtime_classes = frozenset(str(n) for n in exemptions.get("runtimeClasses") or ())
        self._cache: dict[str | None, Settings] = {}

    @property
    def default(self) -> Settings:
        return self._default

    def settings(self, namespace: str | None) -> Settings:
        """The settings for objects of ``namespace`` (``None``: cluster-scoped objects get the defaults)."""
        found = self._cache.get(namespace)
        if found is None:
            found = self._default
            if namespace is not None:
                for names, settings in self._entries:
                    if any(fnmatch.fnmatchcase(namespace, pattern) for pattern in names):
                        found = settings
                        break
            if len(self._cache) < 10_000:  # namespaces are few; the bound keeps odd traffic from growing it
                self._cache[namespace] = found
        return found

    def exemption(self, namespace: str | None, username: str, runtime_class: str | None) -> str | None:
        """Why a request is exempt (``namespace``, ``username``, ``runtimeClass``), or ``None``."""
        if namespace is not None and namespace in self.exempt_namespaces:
            return "namespace"
        if username in self.exempt_usernames:
            return "username"
        if runtime_class is not None and runtime_class in self.exempt_runtime_classes:
            return "runtimeClass"
        return None
