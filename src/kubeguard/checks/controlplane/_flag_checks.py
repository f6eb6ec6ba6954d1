"""Check templates over one component's flags: each ``*_check`` function returns a check
``(ComponentConfig, ScanContext) -> violations``; the ``CP`` rule modules pair one with its data (flag
name, wanted value, CIS id). What the flags mean (defaults, plugin sets, cipher suites) is in
:mod:`kubeguard.analyzers.controlplane.flags`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from kubeguard.analyzers.controlplane.flags import (
    DEFAULT_ADMISSION_PLUGINS,
    DISABLE,
    ENABLE,
    STRONG_CIPHER_SUITES,
    authorization_modes,
    parse_int,
    structured_authorizers,
)
from kubeguard.model.controlplane.components import ComponentConfig
from kubeguard.model.controlplane.flags import FlagSet, parse_bool
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Violation

FlagCheck = Callable[[ComponentConfig, ScanContext], Iterator[Violation]]


def _describe(flags: FlagSet, name: str) -> str:
    f = flags.last(name)
    if f is None:
        return f"--{name} is not set"
    origin = " (a kubeadm default)" if f.origin == "kubeadm default" else ""
    return f"{f.text}{origin}"


def _who(cfg: ComponentConfig) -> str:
    return cfg.component


# --- generic checks ---------------------------------------------------------------------------


def flags_set_check(*names: str, hint: str = "") -> FlagCheck:
    """Each of ``names`` must be set to a non-empty value."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        for name in names:
            if not cfg.flags.has(name):
                why = "is set to an empty value" if name in cfg.flags else "is not set"
                # Unset flags all point at the command: the flag tells the findings apart.
                key = f"--{name}" if len(names) > 1 else None
                yield Violation(f"{_who(cfg)}: --{name} {why}{hint}", at=cfg.flags.at(name), key=key)

    return check


def flag_unset_check(name: str, why: str) -> FlagCheck:
    """``name`` must not be set (to a non-empty value)."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        if cfg.flags.has(name):
            yield Violation(f"{_who(cfg)}: {_describe(cfg.flags, name)} is set; {why}", at=cfg.flags.at(name))

    return check


def bool_flag_check(name: str, want: bool, default: bool, why: str = "") -> FlagCheck:
    """``name`` must be ``want``; absent means ``default`` (the component's own default)."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        value = cfg.flags.bool(name, default)
        suffix = f"; {why}" if why else ""
        if value is None:
            yield Violation(
                f"{_who(cfg)}: {_describe(cfg.flags, name)} is not a boolean (want {str(want).lower()})",
                at=cfg.flags.at(name),
            )
        elif value != want:
            if name in cfg.flags:
                text = f"{_describe(cfg.flags, name)}"
            else:
                text = f"--{name} is not set and defaults to {str(default).lower()}"
            yield Violation(f"{_who(cfg)}: {text}{suffix}", at=cfg.flags.at(name))

    return check


def min_int_check(name: str, minimum: int, skip: Callable[[FlagSet], bool] | None = None) -> FlagCheck:
    """``name`` must be an integer of at least ``minimum`` (absent counts as 0, the default)."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        if skip is not None and skip(cfg.flags):
            return
        raw = cfg.flags.value(name)
        if raw is None:
            yield Violation(
                f"{_who(cfg)}: --{name} is not set (want {minimum} or more)", at=cfg.flags.at(name)
            )
            return
        value = parse_int(raw)
        if value is None:
            yield Violation(f"{_who(cfg)}: --{name}={raw} is not a number", at=cfg.flags.at(name))
        elif value < minimum:
            yield Violation(f"{_who(cfg)}: --{name}={value} is below {minimum}", at=cfg.flags.at(name))

    return check


def loopback_bind_check(name: str, default: str) -> FlagCheck:
    """``name`` must be a loopback address (127.0.0.1 or ::1); absent means ``default``."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        value = cfg.flags.value(name)
        if value is None:
            yield Violation(
                f"{_who(cfg)}: --{name} is not set and defaults to {default}, which listens on every interface",
                at=cfg.flags.at(name),
            )
        elif value.strip() not in ("127.0.0.1", "::1", "localhost"):
            yield Violation(f"{_who(cfg)}: --{name}={value} is not a loopback address", at=cfg.flags.at(name))

    return check


def feature_gate_not_false_check(name: str, gate: str) -> FlagCheck:
    """The feature gate must not be switched off in ``--feature-gates``."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        gates = cfg.flags.mapping(name)
        if gate in gates and parse_bool(gates[gate] or None) is False:
            yield Violation(f"{_who(cfg)}: --{name} sets {gate}={gates[gate]}", at=cfg.flags.at(name))

    return check


def cipher_suites_check(name: str, allowed: Iterable[str] = STRONG_CIPHER_SUITES) -> FlagCheck:
    """``name`` must be set and name only strong cipher suites."""
    strong = frozenset(allowed)

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        suites = cfg.flags.list(name)
        if not suites:
            yield Violation(
                f"{_who(cfg)}: --{name} is not set; the Go defaults also offer CBC-mode suites",
                at=cfg.flags.at(name),
            )
            return
        weak = [s for s in suites if s not in strong]
        if weak:
            yield Violation(
                f"{_who(cfg)}: --{name} allows weak cipher suites: {', '.join(weak)}", at=cfg.flags.at(name)
            )

    return check


# --- admission plugins ---------------------------------------------------------------------------


def plugin_on_check(
    plugin: str, extra: Callable[[ComponentConfig], Iterator[Violation]] | None = None
) -> FlagCheck:
    """Admission plugin ``plugin`` must run (enabled, or on by default, and not disabled)."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        flags = cfg.flags
        if plugin in flags.list(DISABLE):
            yield Violation(f"{_who(cfg)}: --{DISABLE} switches off {plugin}", at=flags.at(DISABLE))
        elif plugin not in DEFAULT_ADMISSION_PLUGINS and plugin not in flags.list(ENABLE):
            listed = flags.value(ENABLE)
            now = f"(--{ENABLE}={listed})" if listed is not None else f"(--{ENABLE} is not set)"
            yield Violation(
                f"{_who(cfg)}: admission plugin {plugin} is not enabled {now}", at=flags.at(ENABLE)
            )
        elif extra is not None:
            yield from extra(cfg)

    return check


def plugin_off_check(plugin: str) -> FlagCheck:
    """Admission plugin ``plugin`` must not be enabled."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        flags = cfg.flags
        if plugin in flags.list(ENABLE) and plugin not in flags.list(DISABLE):
            yield Violation(f"{_who(cfg)}: --{ENABLE} enables {plugin}", at=flags.at(ENABLE))

    return check


# --- authorization modes -----------------------------------------------------------------------


def authorization_mode_check(mode: str, present: bool) -> FlagCheck:
    """``mode`` must (``present``) or must not be among the authorization modes (from
    --authorization-mode, or from the AuthorizationConfiguration when --authorization-config is used
    and the scan holds it; otherwise not judged)."""

    def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
        modes = authorization_modes(cfg.flags)
        if modes is None:
            modes = ctx.cached(structured_authorizers)
            if modes is None:
                return
            where = cfg.flags.at("authorization-config")
            now = f"the AuthorizationConfiguration (--authorization-config) has authorizers {', '.join(modes) or 'none'}"
            if present and mode not in modes:
                yield Violation(f"{_who(cfg)}: {now}, without {mode}", at=where)
            elif not present and mode in modes:
                yield Violation(f"{_who(cfg)}: {now}, including {mode}", at=where)
            return
        where = cfg.flags.at("authorization-mode")
        shown = cfg.flags.value("authorization-mode")
        now = (
            f"--authorization-mode={shown}"
            if shown is not None
            else "--authorization-mode is not set (AlwaysAllow)"
        )
        if present and mode not in modes:
            yield Violation(f"{_who(cfg)}: {now} does not include {mode}", at=where)
        elif not present and mode in modes:
            yield Violation(f"{_who(cfg)}: {now} includes {mode}", at=where)

    return check
