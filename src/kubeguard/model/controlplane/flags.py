"""The flag model of the components (pflag's rules): :class:`Flag`, :class:`FlagSet`, argv parsing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from kubeguard.model.pointer import ROOT, Pointer

#: Boolean flags never take the next argument as their value (``--profiling false`` sets profiling
#: to true and leaves ``false`` as a stray argument), exactly as in pflag.
BOOL_FLAGS = frozenset(
    {
        # kube-apiserver
        "anonymous-auth",
        "profiling",
        "service-account-lookup",
        "allow-privileged",
        "enable-bootstrap-token-auth",
        "service-account-extend-token-expiration",
        "enable-aggregator-routing",
        "audit-log-compress",
        "contention-profiling",
        "enable-garbage-collector",
        "enable-priority-and-fairness",
        "strict-transport-security-directives",
        "kubelet-https",
        "insecure-skip-tls-verify",
        # kube-controller-manager / kube-scheduler
        "use-service-account-credentials",
        "leader-elect",
        "allocate-node-cidrs",
        "configure-cloud-routes",
        "enable-hostpath-provisioner",
        # etcd
        "client-cert-auth",
        "auto-tls",
        "peer-client-cert-auth",
        "peer-auto-tls",
        "strict-reconfig-check",
        "enable-v2",
        "debug",
        "experimental-initial-corrupt-check",
        "enable-pprof",
        # kubelet
        "make-iptables-util-chains",
        "protect-kernel-defaults",
        "rotate-certificates",
        "rotate-server-certificates",
        "seccomp-default",
        "fail-swap-on",
        "serialize-image-pulls",
        "cgroups-per-qos",
        "register-node",
        "enable-server",
        "enable-debugging-handlers",
        "exit-on-lock-contention",
        "kernel-memcg-notification",
        "keep-terminated-pod-volumes",
        "localStorageCapacityIsolation",
        # shared
        "help",
        "version",
        "logtostderr",
        "alsologtostderr",
        "add-dir-header",
        "skip-headers",
        "one-output",
    }
)

_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def parse_bool(value: str | None) -> bool | None:
    """pflag's strconv.ParseBool: ``None`` when the text is not a boolean. A bare flag is true."""
    if value is None:
        return True
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


@dataclass(frozen=True, slots=True)
class Flag:
    """One occurrence of a flag: its name (without dashes), its value (``None`` for a bare flag),
    where it was written, and where it came from (``command``, ``args``, ``env``, ``extraArgs``,
    ``kubeadm default``, a file name ...)."""

    name: str
    value: str | None
    at: Pointer = ROOT
    origin: str = "command"

    @property
    def text(self) -> str:
        return f"--{self.name}" if self.value is None else f"--{self.name}={self.value}"


class FlagSet:
    """The flags of one component, in order; lookups follow pflag: the last occurrence wins for a
    scalar flag, list flags (comma-separated) accumulate across repetitions."""

    __slots__ = ("_by_name", "entries", "insert_at", "where")

    def __init__(self, entries: Iterable[Flag] = (), insert_at: Pointer = ROOT, where: str = "") -> None:
        self.entries: tuple[Flag, ...] = tuple(entries)
        #: Where a missing flag should be added (the command list, the extraArgs field ...).
        self.insert_at = insert_at
        #: Human description of where the flags live, for messages ("the kube-apiserver command").
        self.where = where
        by_name: dict[str, list[Flag]] = {}
        for f in self.entries:
            by_name.setdefault(f.name, []).append(f)
        self._by_name = by_name

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Flag]:
        return iter(self.entries)

    def names(self) -> list[str]:
        return list(self._by_name)

    def last(self, name: str) -> Flag | None:
        found = self._by_name.get(name)
        return found[-1] if found else None

    def all(self, name: str) -> list[Flag]:
        return list(self._by_name.get(name, ()))

    def has(self, name: str) -> bool:
        """Set with a non-empty value (``--token-auth-file=`` counts as unset, like in the components)."""
        f = self.last(name)
        return f is not None and (f.value is None or f.value.strip() != "")

    def value(self, name: str) -> str | None:
        """The effective value: the last occurrence; a bare flag reads ``"true"``; ``None`` if absent."""
        f = self.last(name)
        if f is None:
            return None
        return "true" if f.value is None else f.value

    def bool(self, name: str, default: bool) -> bool | None:
        """The flag as a boolean, ``default`` when absent, ``None`` when it is not a boolean."""
        f = self.last(name)
        if f is None:
            return default
        return parse_bool(f.value)

    def list(self, name: str) -> list[str]:
        """A comma-separated list flag, accumulated over repetitions, blanks dropped."""
        out: list[str] = []
        for f in self._by_name.get(name, ()):
            if f.value:
                out.extend(p.strip() for p in f.value.split(",") if p.strip())
        return out

    def mapping(self, name: str) -> dict[str, str]:
        """A ``key=value,key=value`` flag such as ``--feature-gates``; later keys win."""
        out: dict[str, str] = {}
        for item in self.list(name):
            key, _, value = item.partition("=")
            out[key.strip()] = value.strip()
        return out

    def at(self, name: str) -> Pointer:
        """The field that sets ``name`` (its last occurrence), else where it should be added."""
        f = self.last(name)
        return f.at if f is not None else self.insert_at

    def origin(self, name: str) -> str | None:
        f = self.last(name)
        return f.origin if f is not None else None

    def overlay(self, other: FlagSet) -> FlagSet:
        """``other``'s flags replace these (by name); used for kubeadm defaults under extraArgs."""
        replaced = set(other._by_name)
        kept = [f for f in self.entries if f.name not in replaced]
        return FlagSet([*kept, *other.entries], other.insert_at, other.where or self.where)

    def __repr__(self) -> str:
        return f"FlagSet({' '.join(f.text for f in self.entries)})"


def parse_argv(
    tokens: Sequence[tuple[str, Pointer]], origin: str = "command", origins: Sequence[str] | None = None
) -> list[Flag]:
    """Flags from an argument vector (without the program name); each token carries its pointer
    (and, with ``origins``, its own origin).

    ``--a=b`` and ``-a=b``; ``--a b`` unless ``a`` is a boolean flag or ``b`` looks like a flag;
    ``--`` ends the flags; other arguments are ignored.
    """
    out: list[Flag] = []
    i = 0
    n = len(tokens)
    while i < n:
        text, at = tokens[i]
        here = origins[i] if origins is not None else origin
        i += 1
        if text == "--":
            break
        if not text.startswith("-") or text == "-":
            continue
        body = text.lstrip("-")
        if not body:
            continue
        name, eq, value = body.partition("=")
        name = name.strip()
        if not name:
            continue
        if eq:
            out.append(Flag(name, value, at, here))
            continue
        if name not in BOOL_FLAGS and i < n and not tokens[i][0].startswith("-"):
            out.append(Flag(name, tokens[i][0], at, here))
            i += 1
            continue
        out.append(Flag(name, None, at, here))
    return out
