"""Credential detection in strings: well-known token formats, URLs with an inline password,
``password=``-style assignments, and credential-named fields (``DB_PASSWORD``) holding a literal.

False positives are kept low in three ways:

* well-known formats are matched exactly (prefix, alphabet, length), and documentation values
  (``AKIAIOSFODNN7EXAMPLE``, ``ghp_xxxx...``) are dropped;
* a value found only through its name (an env var ``API_TOKEN``, a ``password:`` line) must look
  like a literal secret: not a placeholder (``changeme``, ``${VAR}``, ``$(VAR)``, ``{{ .Values.x }}``,
  ``<redacted>``, ``xxx``, ``example``, empty), not a reference (a path, a URL, a secret-store
  reference, an identifier such as ``my-tls-secret``), and random enough (mixed character classes
  and Shannon entropy above a bound that grows with length);
* a name counts only when its *last* word is a credential word (``DB_PASSWORD``, ``apiKey``), so
  ``PASSWORD_FILE``, ``TOKEN_TTL`` and ``secretName`` are not credentials.

Every pattern is compiled once, at import. Strings shorter than 6 characters are never scanned.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from kubeguard.model.redact import hint

MIN_LENGTH = 6


@dataclass(frozen=True, slots=True)
class Detection:
    """A credential found in a string.

    ``kind`` names it for people (``AWS access key ID``, ``password``); ``value`` is the secret part
    itself, for redaction and de-duplication only (never print it); ``key`` is the name that gave
    it away (an assignment key or a flag), if any; ``line`` the 1-based line inside a multi-line text.
    """

    kind: str
    value: str
    key: str | None = None
    line: int | None = None

    @property
    def hint(self) -> str:
        return hint(self.value)

    def describe(self) -> str:
        """``a password (key 'db.password', line 3; hint: hunt… (12 chars))`` without the value."""
        where = []
        if self.key:
            where.append(f"key {_short(self.key)!r}")
        if self.line is not None:
            where.append(f"line {self.line}")
        where.append(f"hint: {self.hint}")
        return f"{with_article(self.kind)} ({', '.join(where)})"


class DetectionKeys:
    """Finding keys for detections reported at one field (a value can hold several credentials).

    The key is the credential's kind, the name that gave it away and its line inside the value,
    numbered when that repeats at the same field; never the value, which may be secret.
    """

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[tuple[object, str], int] = {}

    def __call__(self, d: Detection, at: object) -> str:
        base = d.kind
        if d.key:
            base += f" key {d.key}"
        if d.line is not None:
            base += f" line {d.line}"
        n = self._seen.get((at, base), 0) + 1
        self._seen[(at, base)] = n
        return base if n == 1 else f"{base} #{n}"


def _short(name: str, limit: int = 60) -> str:
    return name if len(name) <= limit else "…" + name[-limit:]


def with_article(kind: str) -> str:
    """``a password``, ``an AWS access key ID``, ``docker registry credentials`` (a plural: none)."""
    if "credentials" in kind or kind == "binary data":
        return kind
    word = kind.split(" ", 1)[0]
    if len(word) > 1 and word.isupper():  # an acronym is read letter by letter: "an AWS", "a JSON"
        article = "an" if word[0] in "AEFHILMNORSX" else "a"
    else:
        article = "an" if word[:1].lower() in "aeiou" else "a"
    return f"{article} {kind}"


# --- well-known token formats ------------------------------------------------------------------
# (kind, pattern). The whole match is the secret unless the pattern has a group named ``v``.
_FORMATS: tuple[tuple[str, str], ...] = (
    ("AWS access key ID", r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"),
    ("GitHub personal access token", r"\bghp_[A-Za-z0-9]{36,251}\b"),
    ("GitHub OAuth token", r"\bgho_[A-Za-z0-9]{36,251}\b"),
    ("GitHub app token", r"\bgh[usr]_[A-Za-z0-9]{36,251}\b"),
    ("GitHub fine-grained personal access token", r"\bgithub_pat_[A-Za-z0-9_]{50,255}\b"),
    ("GitLab personal access token", r"\bglpat-[A-Za-z0-9_\-]{20,}"),
    ("GitLab token", r"\bgl(?:rt|dt|ptt|cbt|oas|ft|imt|agent|soat|ffct)-[A-Za-z0-9_\-]{20,}"),
    ("Slack token", r"\bxox[abposr]-[A-Za-z0-9\-]{10,}"),
    ("Slack app token", r"\bxapp-\d-[A-Z0-9]+-\d+-[a-f0-9]{20,}"),
    (
        "Slack webhook URL",
        r"https://hooks\.slack\.com/(?:services|workflows|triggers)/(?P<v>[A-Za-z0-9+/_\-]{20,})",
    ),
    ("Stripe secret key", r"\b(?:sk|rk)_live_[0-9A-Za-z]{16,247}\b"),
    ("Stripe test secret key", r"\b(?:sk|rk)_test_[0-9A-Za-z]{16,247}\b"),
    ("Google API key", r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])"),
    ("Azure storage account key", r"AccountKey=(?P<v>[A-Za-z0-9+/]{86}==)"),
    ("Azure shared access key", r"SharedAccessKey=(?P<v>[A-Za-z0-9+/]{42,44}=?)"),
    ("Azure SAS token signature", r"[?&;]sig=(?P<v>[A-Za-z0-9%+/]{40,}(?:%3D|=){0,2})"),
    ("npm access token", r"\bnpm_[A-Za-z0-9]{36}\b"),
    ("PyPI API token", r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}"),
    ("SendGrid API key", r"\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}\b"),
    ("HashiCorp Vault token", r"\bhv[sb]\.[A-Za-z0-9_\-]{24,}"),
    ("DigitalOcean token", r"\bdo[por]_v1_[a-f0-9]{64}\b"),
    ("OpenAI API key", r"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{16,}T3BlbkFJ[A-Za-z0-9_\-]{16,}"),
    ("Anthropic API key", r"\bsk-ant-[a-z]+\d\d-[A-Za-z0-9_\-]{80,}"),
    (
        "base64-encoded private key",
        r"LS0tLS1CRUdJTiB(?:SU0EgUFJJVkFURSBLRVk|FQyBQUklWQVRFIEtFWS|QUklWQVRFIEtFWS|PUEVOU1NIIFBSSVZBVEUgS0VZ"
        r"|FTkNSWVBURUQgUFJJVkFURSBLRVk|EU0EgUFJJVkFURSBLRVk)[A-Za-z0-9+/=]{20,}",
    ),
    ("JSON Web Token", r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{16,}"),
    ("HTTP bearer token", r"\bBearer[ \t]+(?P<v>[A-Za-z0-9._~+/\-]{20,}=*)"),
    ("HTTP basic auth credentials", r"\bBasic[ \t]+(?P<v>[A-Za-z0-9+/]{12,}={0,2})(?![A-Za-z0-9+/=])"),
)

_FORMAT_RE = re.compile(
    "|".join(f"(?P<f{i}>{p.replace('(?P<v>', f'(?P<v{i}>')})" for i, (_, p) in enumerate(_FORMATS))
)
_FORMAT_KINDS = tuple(kind for kind, _ in _FORMATS)
# Kinds whose match is judged by the literal test too (their payload is not self-describing).
_NEEDS_LITERAL = frozenset({"HTTP bearer token", "HTTP basic auth credentials"})

_PEM_RE = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----")
_PEM_END = "-----END"
_GCP_SA_RE = re.compile(r"""["']?type["']?\s*:\s*["']service_account["']""")

_URL_RE = re.compile(
    r"\b(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]{1,24})://(?P<user>[^\s:/?#@\"'<>\\]*):"
    r"(?P<v>[^\s/?#@\"'<>\\]+)@(?=[^\s/?#@\"'<>\\])"
)
_URL_KINDS = {
    "postgres": "PostgreSQL URL with an inline password",
    "postgresql": "PostgreSQL URL with an inline password",
    "mysql": "MySQL URL with an inline password",
    "mariadb": "MySQL URL with an inline password",
    "mongodb": "MongoDB URL with an inline password",
    "mongodb+srv": "MongoDB URL with an inline password",
    "redis": "Redis URL with an inline password",
    "rediss": "Redis URL with an inline password",
    "amqp": "AMQP URL with an inline password",
    "amqps": "AMQP URL with an inline password",
    "sqlserver": "SQL Server URL with an inline password",
    "mssql": "SQL Server URL with an inline password",
    "oracle": "Oracle URL with an inline password",
    "cassandra": "Cassandra URL with an inline password",
    "nats": "NATS URL with an inline password",
    "kafka": "Kafka URL with an inline password",
    "ldap": "LDAP URL with an inline password",
    "ldaps": "LDAP URL with an inline password",
    "smtp": "SMTP URL with an inline password",
    "smtps": "SMTP URL with an inline password",
    "ftp": "FTP URL with an inline password",
    "sftp": "SFTP URL with an inline password",
}

# ``password=...``, ``"token": "..."``, ``secret: ...``, ``<password>...</password>``. The key word
# must be followed directly by an optional quote and ``=``/``:``, so ``password_file=`` and
# ``secretName:`` are not assignments; the full key is read backwards from the word.
_ASSIGN_WORDS = (
    r"password|passwd|passphrase|pwd|secret|token|api[_\-]?key|apikey|access[_\-]?key|secret[_\-]?key"
    r"|private[_\-]?key|client[_\-]?secret|credentials?"
)
# An assignment is found from the last word of its key (``...password=``, ``"...token":``); the
# whole key is then read backwards and judged by :func:`credential_kind_for_name`.
_ASSIGN_ANCHORS = ("pass", "pwd", "secret", "token", "key", "credential", "creds")
_ASSIGN_TAIL_RE = re.compile(
    r"(?i)(?:password|passwd|passphrase|pass|pwd|secret|token|key|credentials?|creds)[\"']?[ \t]*"
    r"(?:=|:(?!//))[ \t]*(?:\"(?P<dq>[^\"\n]*)\"|'(?P<sq>[^'\n]*)'|(?P<bare>[^\s\"',;&}<>)\]]+))"
)
_XML_RE = re.compile(rf"(?i)<(?P<tag>[\w.\-]*(?:{_ASSIGN_WORDS}))>(?P<v>[^<\s]{{{MIN_LENGTH},}})</")
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")

# --- placeholders and references -----------------------------------------------------------------
# Whole values that stand for a secret without being one (compared lower-cased, trimmed).
_PLACEHOLDER_TEXT = """
    changeme changeit change-me change_me changethis change-this replaceme replace-me replace_me todo
    tbd fixme dummy example sample placeholder redacted hidden masked removed omitted secret secrets
    password passwd pass token apikey api-key api_key key secretkey secret-key privatekey none null nil
    undefined unset notset not-set not_set empty true false yes no on off enabled disabled default
    required optional test testing foo bar baz foobar qwerty unknown na n/a mypassword mysecret mytoken
    yourpassword yoursecret yourtoken secretvalue value tobereplaced insert-here set-me setme fill-me
    fillme override-me overrideme generated auto random
"""
_PLACEHOLDER_WORDS = frozenset(_PLACEHOLDER_TEXT.split())
_PLACEHOLDER_FRAGMENTS = re.compile(
    r"(?i)example|xxxx|changeme|change[-_]me|replace[-_]?me|placeholder|redacted|dummy|your[-_ ]?"
    r"(?:password|secret|token|key|api)|not[-_ ]?a[-_ ]?real|fake[-_]?(?:key|token|secret|password)"
)
# Template and reference syntax anywhere in a value: the real value comes from elsewhere.
_TEMPLATE_RE = re.compile(r"\$\{|\$\(|\{\{|%\(|%\{|#\{|@@|<%|ENC\[|^\$[A-Za-z_]|^__[A-Z0-9_]+__$|^<[^<>]*>$")
_REFERENCE_RE = re.compile(
    r"(?i)^(?:vault:|ref\+|arn:aws|arn:aws-[a-z-]+:|projects/[^/]+/secrets/|secretref:|akv:|azkv:|"
    r"sm://|ssm:|op://|bws:|doppler:|infisical:|k8s-secret:|secret://|file:|env:|/|\./|~/)"
)
_FILE_NAME_RE = re.compile(
    r"(?i)^[\w.\-/]+\.(?:pem|key|crt|cer|p12|pfx|jks|json|txt|ya?ml|conf|cfg|env|ini)$"
)
_URL_PLAIN_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_IDENT_PART_RE = re.compile(r"^(?:[a-z]+|[A-Z]+|[A-Z][a-z]+|\d+)$")
_IDENT_SPLIT_RE = re.compile(r"[-_.:/]")
_SAME_CHAR_RE = re.compile(r"^(.)\1*$", re.DOTALL)


def is_placeholder(value: str) -> bool:
    """An empty value, a known placeholder word, a template expression or a documentation value."""
    v = value.strip()
    if not v:
        return True
    core = v.strip("<>[]{}()\"'*_- ").lower()
    if not core or core in _PLACEHOLDER_WORDS or _SAME_CHAR_RE.match(core):
        return True
    if _TEMPLATE_RE.search(v) or _PLACEHOLDER_FRAGMENTS.search(v):
        return True
    return core.strip(".") == "" or core in ("...", "***")


def is_templated(text: str) -> bool:
    """Template or reference syntax (``${VAR}``, ``$(VAR)``, ``{{ ... }}``, ``ENC[...]``) in a text."""
    return _TEMPLATE_RE.search(text) is not None


def is_reference(value: str) -> bool:
    """A value that points at a secret rather than holding one: a path, a file name, a URL without
    credentials, a secret-store reference, an e-mail address, or an identifier such as
    ``my-tls-secret`` (lower-case words joined by ``-``, ``_``, ``.``)."""
    v = value.strip()
    if _REFERENCE_RE.match(v) or _FILE_NAME_RE.match(v) or _EMAIL_RE.match(v):
        return True
    if _URL_PLAIN_RE.match(v):
        return True
    parts = _IDENT_SPLIT_RE.split(v)
    return len(parts) > 1 and all(p == "" or _IDENT_PART_RE.match(p) for p in parts)


def shannon_entropy(value: str) -> float:
    """Bits per character."""
    n = len(value)
    if n == 0:
        return 0.0
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def _classes(value: str) -> int:
    lower = upper = digit = other = 0
    for ch in value:
        if ch.islower():
            lower = 1
        elif ch.isupper():
            upper = 1
        elif ch.isdigit():
            digit = 1
        else:
            other = 1
    return lower + upper + digit + other


def is_literal_secret(value: str) -> bool:
    """True when a value found through its name looks like a real credential, not a placeholder,
    a reference, a plain word or a number.

    Two character classes or more with entropy at least ``min(2.5, log2(len) - 0.5)`` bits per
    character (``hunter2``, ``s3cr3t!``, a UUID, a hex key), or a single class when long and random
    (16+ characters, 3.5+ bits: a random lower-case string, not ``mysecretpassword``).
    """
    v = value.strip()
    n = len(v)
    if n < MIN_LENGTH or n > 8192 or any(ch.isspace() for ch in v):
        return False
    if is_placeholder(v) or is_reference(v):
        return False
    entropy = shannon_entropy(v)
    if _classes(v) >= 2:
        return entropy >= min(2.5, math.log2(n) - 0.5)
    return n >= 16 and entropy >= 3.5


# --- credential names ----------------------------------------------------------------------------
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_WORD_SPLIT_RE = re.compile(r"[^A-Za-z0-9]+")
_PASSWORD_WORDS = frozenset({"password", "passwd", "passphrase", "pwd", "pass", "pw"})
_KEY_QUALIFIERS = {
    "api": "API key",
    "secret": "secret key",
    "access": "access key",
    "private": "private key",
    "encryption": "encryption key",
    "signing": "signing key",
    "master": "master key",
    "account": "account key",
    "storage": "storage account key",
    "auth": "auth key",
    "client": "client key",
    "shared": "shared key",
    "hmac": "HMAC key",
    "session": "session key",
    "license": "license key",
    "sas": "SAS key",
    "app": "app key",
    "service": "service key",
}
_JOINED = {
    "apikey": "API key",
    "secretkey": "secret key",
    "accesskey": "access key",
    "privatekey": "private key",
    "clientsecret": "client secret",
    "authtoken": "auth token",
    "accesstoken": "access token",
    "apitoken": "API token",
    "credentials": "credentials",
    "credential": "credentials",
    "creds": "credentials",
}


_SUFFIXES = (
    ("password", "password"),
    ("passwd", "password"),
    ("secret", "secret"),
    ("token", "token"),
    ("apikey", "API key"),
    ("secretkey", "secret key"),
    ("accesskey", "access key"),
    ("privatekey", "private key"),
)

# A name with one of these words describes a digest or a public value (``checksum/secret``,
# ``PASSWORD_SHA256``, ``hashed_password``), not the credential itself.
_NOT_SECRET_WORDS = frozenset(
    {
        "checksum",
        "hash",
        "hashed",
        "digest",
        "sha",
        "sha1",
        "sha256",
        "sha512",
        "md5",
        "fingerprint",
        "public",
    }
)


def name_words(name: str) -> list[str]:
    """``dbPassword`` / ``DB_PASSWORD`` / ``db.password`` -> ``["db", "password"]``."""
    return [w.lower() for w in _WORD_SPLIT_RE.split(_CAMEL_RE.sub("_", name)) if w]


@lru_cache(maxsize=8192)
def credential_kind_for_name(name: str) -> str | None:
    """The kind of credential a field of this name holds, judged by its last word(s); else ``None``.

    ``*_PASSWORD``, ``*_TOKEN``, ``*_SECRET``, ``*_API_KEY``, ``clientSecret``, ``SECRET_KEY``...
    ``PWD`` and ``PASS`` alone are not credentials (``PWD`` is the shell's working directory), nor
    are names of digests (``checksum/secret``, ``PASSWORD_SHA256``).
    An annotation key is judged by the part after its last ``/``.
    """
    words = name_words(name.rsplit("/", 1)[-1])
    if not words or not _NOT_SECRET_WORDS.isdisjoint(name_words(name)):
        return None
    last = words[-1]
    prev = words[-2] if len(words) > 1 else ""
    if "aws" in words and "secret" in words and last in ("key", "secretkey", "secret"):
        return "AWS secret access key"
    if words[-3:] == ["secret", "key", "base"]:
        return "secret key base"
    if last in _PASSWORD_WORDS:
        if last in ("pwd", "pass", "pw") and not prev:
            return None
        return "passphrase" if last == "passphrase" else "password"
    if last == "token":
        if prev == "api":
            return "API token"
        return (
            f"{prev} token" if prev in ("access", "auth", "refresh", "bearer", "session", "bot") else "token"
        )
    if last == "secret":
        return (
            f"{prev} secret"
            if prev in ("client", "webhook", "jwt", "session", "app", "shared", "consumer")
            else "secret"
        )
    if last == "key" and prev in _KEY_QUALIFIERS:
        return _KEY_QUALIFIERS[prev]
    joined = _JOINED.get(last)
    if joined is not None:
        return joined
    for suffix, kind in _SUFFIXES:  # words run together: ``dbpassword``, ``mysqlrootpassword``
        if last.endswith(suffix) and len(last) > len(suffix):
            return kind
    return None


# --- scanning ------------------------------------------------------------------------------------
def _jwt_kind(token: str) -> str:
    """``Kubernetes service account token`` when the JWT says so, else ``JSON Web Token``."""
    try:
        payload = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, binascii.Error, IndexError, UnicodeDecodeError, RecursionError):
        return "JSON Web Token"
    if isinstance(data, dict) and (
        data.get("iss") == "kubernetes/serviceaccount"
        or "kubernetes.io" in data
        or "kubernetes.io/serviceaccount/namespace" in data
    ):
        return "Kubernetes service account token"
    return "JSON Web Token"


def _pem_kind(label: str) -> str:
    label = label.strip()
    if label == "ENCRYPTED":
        return "encrypted private key"
    if label == "OPENSSH":
        return "OpenSSH private key"
    if label == "PGP":
        return "PGP private key"
    if label in ("RSA", "EC", "DSA"):
        return f"{label} private key"
    return "private key"


def _line_of(text: str, pos: int) -> int | None:
    return text.count("\n", 0, pos) + 1 if "\n" in text else None


def _key_before(text: str, end: int) -> str:
    start = end
    while start > 0 and text[start - 1] in _KEY_CHARS and end - start < 80:
        start -= 1
    return text[start:end].lstrip(".-")


class _Collector:
    """Detections of one text, without overlaps (the first, most specific detection wins)."""

    __slots__ = ("out", "spans", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[Detection] = []
        self.spans: list[tuple[int, int]] = []

    def ordered(self) -> list[Detection]:
        """The detections in the order they appear in the text."""
        return [d for _, d in sorted(zip(self.spans, self.out, strict=True), key=lambda p: p[0])]

    def add(self, kind: str, start: int, end: int, key: str | None = None) -> None:
        for s, e in self.spans:
            if start < e and s < end:
                return
        self.spans.append((start, end))
        self.out.append(Detection(kind, self.text[start:end], key, _line_of(self.text, start)))


# Cheap gates, so that ordinary values (``info``, ``8080``, a host name, a path) cost a few
# substring tests: every token format has a run of 16 token characters, or a marker.
_RUN_RE = re.compile(r"[A-Za-z0-9_\-]{16}")
_FORMAT_MARKERS = ("Bearer", "Basic", "Key=", "sig=")
# Where a token format can start: the literal prefixes of the formats, so that the (slower)
# format expression is tried only at those positions.
_FORMAT_PREFIXES = """
    AKIA ASIA ABIA ACCA ghp_ gho_ ghu_ ghs_ ghr_ github_pat_ glpat- glrt- gldt- glptt- glcbt- gloas-
    glft- glimt- glagent- glsoat- glffct- xox xapp- https://hooks.slack.com/ sk_ rk_ AIza AccountKey=
    SharedAccessKey= ?sig= &sig= ;sig= npm_ pypi- SG. hvs. hvb. dop_v1_ doo_v1_ dor_v1_ sk- eyJ Bearer
    Basic LS0tLS1CRUdJTiB
"""
_FORMAT_STARTS = re.compile("|".join(re.escape(p) for p in _FORMAT_PREFIXES.split()))
_CACHED_LENGTH = 512


#: Detections of short texts already scanned, by text. Manifests repeat the same values many times,
#: but the keys are raw values that may be secret: a memo lives only as long as one scan
#: (:class:`~kubeguard.analyzers.secrets.settings.SecretSettings` holds it), never in the process.
Memo = dict[str, tuple[Detection, ...]]
_MEMO_LIMIT = 65536


def scan_text(text: str, memo: Memo | None = None) -> list[Detection]:
    """Credentials in free text: a command line, a config file, an annotation value.

    Short texts (most values) are memoised in ``memo`` when one is given.
    """
    if len(text) < MIN_LENGTH:
        return []
    if memo is None or len(text) > _CACHED_LENGTH:
        return _scan(text)
    found = memo.get(text)
    if found is None:
        found = tuple(_scan(text))
        if len(memo) < _MEMO_LIMIT:
            memo[text] = found
    return list(found)


def _scan(text: str) -> list[Detection]:
    found = _Collector(text)
    if "PRIVATE KEY" in text:
        _scan_pem(text, found)
    if _RUN_RE.search(text) is not None or any(m in text for m in _FORMAT_MARKERS):
        _scan_formats(text, found)
    if "@" in text and "://" in text:
        _scan_urls(text, found)
    if '"auths"' in text:
        _scan_docker_config(text, found)
    if "=" in text or ":" in text or "</" in text:
        _scan_assignments(text, found)
    return found.ordered()


def _scan_pem(text: str, found: _Collector) -> None:
    gcp = _GCP_SA_RE.search(text) is not None
    for m in _PEM_RE.finditer(text):
        body_start = m.end()
        while body_start < len(text) and (text[body_start].isspace() or text.startswith("\\n", body_start)):
            body_start += 2 if text[body_start] == "\\" else 1
        body_end = text.find(_PEM_END, body_start)
        if body_end < 0:
            body_end = min(len(text), body_start + 4096)
        kind = "GCP service account key" if gcp else _pem_kind(m.group(1))
        found.add(kind, body_start, max(body_end, body_start + 1))


def _scan_formats(text: str, found: _Collector) -> None:
    done = 0
    for candidate in _FORMAT_STARTS.finditer(text):
        if candidate.start() < done:
            continue
        m = _FORMAT_RE.match(text, candidate.start())
        if m is None:
            continue
        done = m.end()
        index = int(m.lastgroup[1:]) if m.lastgroup and m.lastgroup.startswith("f") else _outer_index(m)
        kind = _FORMAT_KINDS[index]
        vgroup = f"v{index}"
        has_value = vgroup in _FORMAT_RE.groupindex and m.group(vgroup)
        start, end = (m.start(vgroup), m.end(vgroup)) if has_value else m.span()
        value = text[start:end]
        if _PLACEHOLDER_FRAGMENTS.search(value) or _TEMPLATE_RE.search(value):
            continue
        if kind in _NEEDS_LITERAL and not is_literal_secret(value):
            continue
        if kind == "JSON Web Token":
            kind = _jwt_kind(value)
        found.add(kind, start, end)


_DOCKER_AUTH_RE = re.compile(r'"auth"\s*:\s*"(?P<v>[A-Za-z0-9+/]{8,}={0,2})"')


def _scan_docker_config(text: str, found: _Collector) -> None:
    """``{"auths": {"registry": {"auth": base64(user:password)}}}``: a docker config file."""
    for m in _DOCKER_AUTH_RE.finditer(text):
        try:
            decoded = base64.b64decode(m.group("v"), validate=True).decode("utf-8")
        except (ValueError, binascii.Error, UnicodeDecodeError):
            continue
        _user, sep, password = decoded.partition(":")
        if sep and password and not is_placeholder(password):
            found.add("docker registry credentials", m.start("v"), m.end("v"))


def _scan_urls(text: str, found: _Collector) -> None:
    for m in _URL_RE.finditer(text):
        password = m.group("v")
        if is_placeholder(password) or len(password) < 3:
            continue
        kind = _URL_KINDS.get(m.group("scheme").lower(), "URL with an inline password")
        found.add(kind, m.start("v"), m.end("v"))


def _scan_assignments(text: str, found: _Collector) -> None:
    lower = text.lower()
    for anchor in _ASSIGN_ANCHORS:
        pos = lower.find(anchor)
        while pos >= 0:
            m = _ASSIGN_TAIL_RE.match(text, pos)
            if m is not None:
                _assignment(text, m, found)
            pos = lower.find(anchor, pos + len(anchor))
    if "</" in text:
        for m in _XML_RE.finditer(text):
            tag = m.group("tag")
            kind = credential_kind_for_name(tag)
            if kind is not None and is_literal_secret(m.group("v")):
                found.add(kind, m.start("v"), m.end("v"), tag)


def _assignment(text: str, m: re.Match[str], found: _Collector) -> None:
    group = "dq" if m.group("dq") is not None else "sq" if m.group("sq") is not None else "bare"
    word_end = m.start()
    while word_end < len(text) and text[word_end] in _KEY_CHARS:
        word_end += 1
    key = _key_before(text, word_end)
    kind = credential_kind_for_name(key)
    if kind is not None and is_literal_secret(m.group(group)):
        found.add(kind, m.start(group), m.end(group), key)


def _outer_index(m: re.Match[str]) -> int:
    for i in range(len(_FORMATS)):
        if m.group(f"f{i}") is not None:
            return i
    raise AssertionError("format regex matched no alternative")


def scan_named(name: str, value: str, memo: Memo | None = None) -> list[Detection]:
    """Credentials in a name/value pair (an env var, a ConfigMap key, an annotation, a header):
    known formats anywhere in the value, else the whole value when the name says credential and
    the value is a literal."""
    found = scan_text(value, memo)
    if found:
        return found
    kind = credential_kind_for_name(name)
    if kind is not None and is_literal_secret(value):
        return [Detection(kind, value.strip())]
    return []


_FLAG_RE = re.compile(r"^--?(?P<name>[A-Za-z0-9][A-Za-z0-9_.\-]*)$")


def scan_arguments(args: Sequence[object], memo: Memo | None = None) -> list[tuple[int, Detection]]:
    """Credentials in a command or argument list, as ``(index, detection)``.

    Each argument is scanned as text (``--password=...``, ``postgres://u:p@h``, a token); an
    argument that follows a credential-named flag (``--token``, ``-password``) is judged as that
    flag's value.
    """
    out: list[tuple[int, Detection]] = []
    previous_flag: str | None = None
    for i, arg in enumerate(args):
        if not isinstance(arg, str):
            previous_flag = None
            continue
        found = scan_text(arg, memo) if len(arg) >= MIN_LENGTH else []
        if not found and previous_flag is not None:
            kind = credential_kind_for_name(previous_flag)
            if kind is not None and is_literal_secret(arg):
                found = [Detection(kind, arg.strip(), "--" + previous_flag.lstrip("-"))]
        if found:
            out.extend((i, d) for d in found)
        m = _FLAG_RE.match(arg) if arg.startswith("-") and "=" not in arg else None
        previous_flag = m.group("name") if m else None
    return out


def unique(detections: Iterable[Detection]) -> list[Detection]:
    """Detections with distinct values, in order."""
    seen: set[str] = set()
    out = []
    for d in detections:
        if d.value not in seen:
            seen.add(d.value)
            out.append(d)
    return out
