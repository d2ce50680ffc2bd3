"""Text that is fit to show: secrets masked in every form a peer may echo them, controls made visible.

Anything a peer sends (an HTTP error body, an SMTP reply, a redirect's ``Location``, a program's
output, an exception's text) may carry a secret we handed it, and not always verbatim: a Slack
webhook server echoes the URL's path, a redirect URL-encodes a token, an SMTP server echoes the
base64 of ``AUTH PLAIN``. ``redact`` masks a secret and each part of it in each of those forms;
``terminal_safe`` turns terminal control sequences (ESC, BEL, other C0/C1 controls, bidi overrides)
into visible escapes; ``peer_text`` does both, plus one line of bounded length, for messages.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

MASK = "********"
MIN_PART = 6  # a part shorter than this is structure (`T000`, `api`), not a credential
MIN_B64 = 4  # base64 characters that a secret alone determines, to be recognised inside a blob
_B64_RUN = re.compile(r"[A-Za-z0-9+/_=-]+")
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\ufeff")


def secret_parts(secret: str) -> tuple[str, ...]:
    """The secret and every part of it that gives it away on its own, longest first.

    For a URL: the user and password, each path segment and query value that looks like a
    credential (six characters or more, with a digit, a capital or a symbol, or twenty
    characters or more), and the fragment. Plain words in a path (``services``, ``hooks``) are
    structure and stay readable.
    """
    whole = secret.strip()
    parts = {whole} if whole else set()
    if "://" in whole:
        parts.update(_url_parts(whole))
    return tuple(sorted((p for p in parts if p), key=len, reverse=True))


def _url_parts(url: str) -> set[str]:
    out: set[str] = set()
    try:
        split = urlsplit(url)
        netloc, path, query, fragment = split.netloc, split.path, split.query, split.fragment
    except ValueError:  # an unbalanced "[" in the host: fall back to a plain split
        _, _, rest = url.partition("://")
        netloc, _, path = rest.partition("/")
        path, _, fragment = path.partition("#")
        path, _, query = path.partition("?")
    userinfo = netloc.rpartition("@")[0]
    candidates = [*userinfo.split(":"), *path.split("/"), fragment]
    candidates += [value for _, value in parse_qsl(query, keep_blank_values=True)]
    candidates += [segment for segment in query.split("&")]
    for part in candidates:
        if _credential_like(part):
            out.add(part)
    return out


def _credential_like(part: str) -> bool:
    if len(part) < MIN_PART:
        return False
    return len(part) >= 20 or not (part.isalpha() and part.islower())


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every form of every secret (and of its parts) replaced by ``MASK``.

    Forms: verbatim; percent-encoded (any mix of encoded and plain characters, either case of
    hex, ``+`` for a space); JSON's ``\\/``; base64 and URL-safe base64 at any alignment inside a
    longer blob (the whole blob is masked); and a part cut off at the end of the text.
    """
    for secret in sorted({s for s in secrets if s and s.strip()}, key=len, reverse=True):
        for pattern in _patterns(secret):
            text = pattern.sub(MASK, text)
        text = _mask_base64(text, secret)
        text = _mask_cut_tail(text, secret)
    return text


@lru_cache(maxsize=64)
def _patterns(secret: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(_encoded(part)) for part in secret_parts(secret))


def _encoded(part: str) -> str:
    """A regex for ``part`` where each character may also appear percent-encoded."""
    out = []
    for char in part:
        options = [re.escape(char)]
        options.append("".join(f"%(?i:{b:02x})" for b in char.encode("utf-8")))
        if char == " ":
            options.append(r"\+")
        elif char == "/":
            options.append(r"\\/")
        out.append("(?:" + "|".join(options) + ")")
    return "".join(out)


@lru_cache(maxsize=64)
def _base64_cores(secret: str) -> tuple[str, ...]:
    """Base64 text that only the secret's bytes determine, at each of the three alignments."""
    cores: set[str] = set()
    for part in secret_parts(secret):
        data = part.encode("utf-8")
        for offset in range(3):
            encoded = base64.b64encode(b"\0" * offset + data + b"\0\0").decode("ascii")
            first_group = -(-offset // 3)  # the first 3-byte group wholly inside the part
            last_group = (offset + len(data)) // 3
            core = encoded[4 * first_group:4 * last_group]
            if len(core) >= MIN_B64:
                cores.add(core)
                cores.add(core.replace("+", "-").replace("/", "_"))
    return tuple(cores)


def _mask_base64(text: str, secret: str) -> str:
    cores = _base64_cores(secret)
    if not cores:
        return text

    def blob(match: re.Match[str]) -> str:
        run = match.group(0)
        return MASK if any(core in run for core in cores) else run

    return _B64_RUN.sub(blob, text)


def _mask_cut_tail(text: str, secret: str) -> str:
    """Mask a part whose end was cut off by a bounded read or by ``peer_text``'s limit (the text
    ends with its beginning, perhaps followed by the "…" that marks the cut)."""
    body, mark = (text[:-1], "…") if text.endswith("…") else (text, "")
    for part in secret_parts(secret):
        for length in range(len(part) - 1, MIN_PART - 1, -1):
            if body.endswith(part[:length]):
                return body[: len(body) - length] + MASK + mark
    return text


def terminal_safe(text: str, *, newlines: bool = False) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\x07``, ``\\u202e``).

    ESC, BEL and the other C0 and C1 controls would move the cursor, clear the screen or set a
    window title; bidi overrides reorder what is shown. Tabs are kept; newlines only when asked.
    """
    if text.isprintable():
        return text
    out = []
    for char in text:
        code = ord(char)
        if char == "\t" or (char == "\n" and newlines):
            out.append(char)
        elif code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif char in _BIDI:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def peer_text(value: object, secrets: Iterable[str] = (), limit: int = 200) -> str:
    """What a peer said, fit for one line of a message: decoded, secrets masked, controls
    escaped, whitespace folded, at most ``limit`` characters."""
    text = value.decode("utf-8", "replace") if isinstance(value, bytes | bytearray) else str(value)
    text = " ".join(terminal_safe(redact(text, secrets), newlines=True).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
