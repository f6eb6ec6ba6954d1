"""Source excerpts for reports: the lines around a finding, with every value that might be secret hidden.

A report that shows "the offending YAML lines" must never show a secret that those lines hold: an
env value, a flag's argument, a ConfigMap or Secret entry, an annotation, a comment. So an excerpt
shows only what is known to be harmless and hides everything else (each hidden run becomes one
``…``):

- the structure: indentation, ``-``, ``:``, brackets and commas, and mapping keys that are plain
  names (``securityContext``, ``app.kubernetes.io/name``);
- values of fields that never hold a secret (``privileged``, ``image``, ``runAsUser``, ``verbs``,
  ``hostPath.path`` ...: :data:`SHOWN_FIELDS`) and label values, when the value is a short word of
  safe characters and the object is of a built-in kind (a custom resource's ``spec.user`` is anyone's
  guess, so only its apiVersion, kind, name and namespace are shown);
- in ``command`` and ``args``, flag names, and a flag's value only when it is a boolean or a number.

Anything under ``data``, ``stringData``, ``binaryData``, ``annotations`` or an env ``value``, every
comment, tag, anchor and alias, every block scalar, and every line after a syntax error is hidden.
The file is parsed (only the YAML document that holds the line) with the YAML parser's events,
which say exactly where each key and value is; nothing is ever shown because of a guess about its
text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from kubeguard.model.kinds import CONFIG_GROUPS, api_group, is_builtin_group

#: Lines shown before and after the finding's line.
CONTEXT = 3
#: Files larger than this get no excerpt (reports stay fast and small).
MAX_FILE_BYTES = 8 * 1024 * 1024

#: Fields of built-in kinds whose values never hold a secret.
SHOWN_FIELDS = frozenset(
    [
        "apiVersion",
        "kind",
        "name",
        "namespace",
        "generateName",
        "image",
        "imagePullPolicy",
        "serviceAccountName",
        "serviceAccount",
        "automountServiceAccountToken",
        "privileged",
        "allowPrivilegeEscalation",
        "readOnlyRootFilesystem",
        "runAsNonRoot",
        "runAsUser",
        "runAsGroup",
        "fsGroup",
        "fsGroupChangePolicy",
        "supplementalGroups",
        "supplementalGroupsPolicy",
        "hostNetwork",
        "hostPID",
        "hostIPC",
        "hostUsers",
        "shareProcessNamespace",
        "procMount",
        "type",
        "localhostProfile",
        "add",
        "drop",
        "containerPort",
        "hostPort",
        "hostIP",
        "port",
        "targetPort",
        "nodePort",
        "protocol",
        "path",
        "mountPath",
        "subPath",
        "readOnly",
        "mountPropagation",
        "medium",
        "sizeLimit",
        "verbs",
        "apiGroups",
        "apiGroup",
        "resources",
        "resourceNames",
        "nonResourceURLs",
        "replicas",
        "restartPolicy",
        "cpu",
        "memory",
        "ephemeral-storage",
        "storage",
        "policyTypes",
        "priorityClassName",
        "runtimeClassName",
        "nodeName",
        "dnsPolicy",
        "schedulerName",
        "secretName",
        "claimName",
        "operator",
        "effect",
        "level",
        "role",
        "user",
        "hostProcess",
        "runAsUserName",
        "clusterIP",
        "externalTrafficPolicy",
        "cidr",
        "except",
        "matchPolicy",
        "failurePolicy",
        "sideEffects",
        "timeoutSeconds",
        "enableServiceLinks",
        "terminationGracePeriodSeconds",
        "activeDeadlineSeconds",
        "backoffLimit",
        "schedule",
        "concurrencyPolicy",
        "paused",
        "pathType",
        "ingressClassName",
        "hosts",
        "host",
        "number",
        "stdin",
        "tty",
        "defaultMode",
        "mode",
        "optional",
        "immutable",
        "readOnlyPort",
        "anonymous",
        "enabled",
        "tlsMinVersion",
        "tlsCipherSuites",
        "protectKernelDefaults",
        "rotateCertificates",
        "serverTLSBootstrap",
        "makeIPTablesUtilChains",
        "streamingConnectionIdleTimeout",
        "eventRecordQPS",
        "staticPodPath",
        "clientCAFile",
        "authorizationMode",
        "key",
    ]
)
#: Maps whose entries are labels: their values are shown like shown fields.
LABEL_MAPS = frozenset({"labels", "matchLabels", "nodeSelector"})
#: Fields under which nothing is shown but keys.
HIDDEN_UNDER = frozenset({"data", "stringData", "binaryData", "annotations", "value"})
#: Fields whose items are a program's command line: flag names are shown.
COMMAND_LINES = frozenset({"command", "args"})
#: Metadata shown for objects of any kind.
IDENTITY = frozenset({("apiVersion",), ("kind",), ("metadata", "name"), ("metadata", "namespace")})

_SAFE_VALUE = re.compile(r"[A-Za-z0-9_.:/@*+,-]{0,253}")
_SAFE_KEY = re.compile(r"[A-Za-z0-9_./-]{1,253}")
_FLAG = re.compile(r"(--?[A-Za-z0-9][A-Za-z0-9-]*)(=(.*))?", re.S)
_DOC_SEPARATOR = re.compile(r"(---|\.\.\.)(\s|$)")
_STRUCTURAL = frozenset(" \t-:{}[],?")
_HIDDEN, _SHOWN, _STRUCTURE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class ExcerptLine:
    """One source line: its number and its text as segments, each shown as written or hidden."""

    number: int
    segments: tuple[tuple[str, bool], ...]  # (text, shown); a hidden segment's text is "…"

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.segments)


@dataclass(frozen=True, slots=True)
class Excerpt:
    """The lines around ``focus`` (1-based) of ``file``."""

    file: str
    focus: int
    lines: tuple[ExcerptLine, ...]


class SourceExcerpts:
    """Excerpts from files, each file read and each document parsed at most once."""

    def __init__(self, context: int = CONTEXT) -> None:
        self.context = context
        self._files: dict[str, list[str] | None] = {}
        self._masks: dict[tuple[str, int], list[bytearray]] = {}

    def get(self, file: str, line: int | None) -> Excerpt | None:
        """The excerpt around ``line`` of ``file``, or None when there is none to show (no line,
        standard input, a file that is gone, unreadable or too large)."""
        if line is None or line < 1:
            return None
        lines = self._lines(file)
        if lines is None or line > len(lines):
            return None
        start, end = _document(lines, line - 1)
        masks = self._masks.get((file, start))
        if masks is None:
            masks = self._masks[(file, start)] = _visibility(lines[start:end])
        first = max(start, line - 1 - self.context)
        last = min(end, line + self.context)
        out = tuple(
            ExcerptLine(i + 1, _segments(lines[i], masks[i - start])) for i in range(first, last) if i < end
        )
        return Excerpt(file, line, out)

    def _lines(self, file: str) -> list[str] | None:
        if file not in self._files:
            self._files[file] = _read(file)
        return self._files[file]


def _read(file: str) -> list[str] | None:
    path = Path(file)
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None


def _document(lines: list[str], index: int) -> tuple[int, int]:
    """The line range [start, end) of the YAML document that holds line ``index`` (0-based)."""
    start = 0
    for i in range(index, -1, -1):
        if _DOC_SEPARATOR.match(lines[i]):
            start = i if i == index else i + 1
            break
    end = len(lines)
    for i in range(index + 1, len(lines)):
        if _DOC_SEPARATOR.match(lines[i]):
            end = i
            break
    return start, end


def _segments(line: str, mask: bytearray) -> tuple[tuple[str, bool], ...]:
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(line):
        shown = mask[i] != _HIDDEN
        j = i
        while j < len(line) and (mask[j] != _HIDDEN) == shown:
            j += 1
        out.append((line[i:j], True) if shown else ("\u2026", False))
        i = j
    return tuple(out)


@dataclass(slots=True)
class _Frame:
    mapping: bool
    path: tuple[str, ...]
    key: str | None = None  # the current key of a mapping (None while a key is expected)
    expect_key: bool = True


def _visibility(lines: list[str]) -> list[bytearray]:
    """Per line of one YAML document, which characters may be shown."""
    masks = [bytearray(_STRUCTURE if ch in _STRUCTURAL else _HIDDEN for ch in line) for line in lines]
    in_scalar = [bytearray(len(line)) for line in lines]
    events: list[yaml.Event] = []
    valid_lines = len(lines)
    try:
        for event in yaml.parse("\n".join(lines), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            events.append(event)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        valid_lines = mark.line if mark is not None else 0
    builtin = _is_builtin(events)

    def span(event: yaml.Event, value: int) -> None:
        s, e = event.start_mark, event.end_mark
        if s is None or e is None:
            return
        for ln in range(s.line, min(e.line, len(lines) - 1) + 1):
            a = s.column if ln == s.line else 0
            b = e.column if ln == e.line else len(lines[ln])
            for c in range(a, min(b, len(lines[ln]))):
                masks[ln][c] = value
                in_scalar[ln][c] = 1

    def show_exact(event: yaml.ScalarEvent, prefix: int | None = None) -> None:
        """Show the scalar (or its first ``prefix`` characters) if its text is exactly where the
        parser says it is; otherwise leave it hidden."""
        s, e = event.start_mark, event.end_mark
        if s is None or e is None or s.line != e.line or s.line >= len(lines):
            return
        text = lines[s.line][s.column : e.column]
        quote = 1 if event.style in ("'", '"') else 0
        if text[quote : len(text) - quote] != event.value or (quote and text[0] != text[-1]):
            return
        stop = e.column if prefix is None else s.column + quote + prefix
        for c in range(s.column, stop):
            masks[s.line][c] = _SHOWN

    stack: list[_Frame] = []
    for event in events:
        if isinstance(
            event, yaml.ScalarEvent | yaml.AliasEvent | yaml.MappingStartEvent | yaml.SequenceStartEvent
        ):
            parent = stack[-1] if stack else None
            is_key = parent is not None and parent.mapping and parent.expect_key
            if isinstance(event, yaml.ScalarEvent):
                span(event, _HIDDEN)
                if is_key:
                    if _SAFE_KEY.fullmatch(event.value):
                        show_exact(event)
                elif parent is not None:
                    path = parent.path + ((parent.key,) if parent.mapping and parent.key is not None else ())
                    _show_value(event, path, builtin, show_exact)
            if parent is not None and parent.mapping:
                if is_key:
                    parent.key = event.value if isinstance(event, yaml.ScalarEvent) else "\x00"
                    parent.expect_key = False
                else:
                    parent.expect_key = True
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                base = () if parent is None else parent.path
                if parent is not None and parent.mapping and parent.key is not None:
                    base = (*base, parent.key)
                stack.append(_Frame(isinstance(event, yaml.MappingStartEvent), base))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            stack.pop()
            if stack and stack[-1].mapping:
                stack[-1].expect_key = True

    for ln, line in enumerate(lines):
        mask = masks[ln]
        if ln >= valid_lines:
            mask[:] = bytes(len(line))
            continue
        for c, ch in enumerate(line):
            # a comment: '#' outside any scalar, at the start or after a space; hide the rest of the line
            if ch == "#" and not in_scalar[ln][c] and (c == 0 or line[c - 1] in " \t"):
                mask[c:] = bytes(len(line) - c)
                break
    return masks


def _is_builtin(events: list[yaml.Event]) -> bool:
    """Whether the document is an object of a built-in kind (its top-level apiVersion says so)."""
    depth = 0
    nodes = 0  # nodes seen at the top level: keys and values alternate
    key = None
    for event in events:
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
            continue
        if not isinstance(
            event, yaml.ScalarEvent | yaml.AliasEvent | yaml.MappingStartEvent | yaml.SequenceStartEvent
        ):
            continue
        if depth == 1:
            if nodes % 2 == 0:
                key = event.value if isinstance(event, yaml.ScalarEvent) else None
            elif key == "apiVersion" and isinstance(event, yaml.ScalarEvent):
                group = api_group(event.value)
                return is_builtin_group(group) or group in CONFIG_GROUPS
            nodes += 1
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
    return False


def _show_value(
    event: yaml.ScalarEvent, path: tuple[str, ...], builtin: bool, show: Callable[..., None]
) -> None:
    """Show a value scalar at ``path`` (its keys from the document's root) when it is harmless."""
    if not path:
        return
    if path in IDENTITY:
        if _SAFE_VALUE.fullmatch(event.value):
            show(event)
        return
    if not builtin or any(key in HIDDEN_UNDER for key in path):
        return
    if path[-1] in COMMAND_LINES:
        m = _FLAG.fullmatch(event.value)
        if m is None:
            return
        if m.group(2) is None or m.group(3) in ("true", "false") or m.group(3).isdigit():
            show(event)
        else:
            show(event, len(m.group(1)) + 1)  # the flag's name and '=', not its value
        return
    shown = path[-1] in SHOWN_FIELDS or (len(path) > 1 and path[-2] in LABEL_MAPS)
    if shown and _SAFE_VALUE.fullmatch(event.value):
        show(event)
