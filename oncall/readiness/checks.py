"""Run one checklist item: each check kind of docs/formats.md, returning a status and a message.

A check never raises for what it finds: a failed login is a ``fail``, a program that cannot be
started or a malformed parameter is an ``error``. Messages never contain a secret's value (the
runner also masks any value it handed out, in case a server echoes one back).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from oncall.errors import SecretError
from oncall.model import ChecklistItem, Person
from oncall.readiness import net, proc
from oncall.readiness.results import ERROR, FAIL, PASS, SKIP, Attestation, item_key
from oncall.times import TimeValueError, parse_duration

_FIELD = re.compile(r"\{person\.([A-Za-z0-9_]+)\}")
_LOGIN = re.compile(r"log-?in|sign-?in|sso|saml|oauth|openid|/auth|idp|adfs|okta", re.IGNORECASE)


class CheckParamError(Exception):
    """A check's parameters cannot be used; the message says what to write instead."""


@dataclass(frozen=True)
class Outcome:
    status: str
    message: str


@dataclass
class Context:
    """What checks need from outside: who, when, and the seams they may use."""

    person: Person
    now: int  # epoch seconds; attestations and ages are measured from here
    checklist: str = ""
    attestations: Mapping[str, Attestation] = field(default_factory=dict)
    platform: str = sys.platform  # "linux", "darwin", "win32"
    get_secret: Callable[[str], str | None] | None = None  # the keyring seam; None: oncall.readiness.secrets
    used_secrets: set[str] = field(default_factory=set)  # values handed to checks, masked in messages

    def secret(self, name: str) -> str | None:
        if self.get_secret is None:
            from oncall.readiness.secrets import get_secret

            self.get_secret = get_secret
        value = self.get_secret(name)
        if value:
            self.used_secrets.add(value)
        return value


def render(value: Any, person: Person) -> Any:
    """Fill ``{person.<field>}`` in strings (recursively in lists and mappings)."""
    if isinstance(value, str):
        fields = person.fields()

        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in fields or fields[name] in (None, ""):
                known = ", ".join(sorted(k for k, v in fields.items() if v not in (None, "")))
                raise CheckParamError(f"{{person.{name}}} is not set for {person.id}; fields set: {known}")
            return str(fields[name])

        return _FIELD.sub(one, value)
    if isinstance(value, list | tuple):
        return [render(v, person) for v in value]
    if isinstance(value, Mapping):
        return {k: render(v, person) for k, v in value.items()}
    return value


def matches(pattern: str, text: str) -> bool:
    """``/regex/`` searches (multi-line); anything else is a substring."""
    if len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/"):
        try:
            return re.search(pattern[1:-1], text, re.MULTILINE) is not None
        except re.error as exc:
            raise CheckParamError(f"{pattern!r} is not a valid regular expression ({exc})") from None
    return pattern in text


def ago(seconds: int) -> str:
    """A duration in words for "3 days ago": the largest whole unit."""
    seconds = max(0, int(seconds))
    for size, unit in ((86400 * 7, "week"), (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return "moments" if seconds < 5 else f"{seconds} seconds"


def skip_reason(item: ChecklistItem, ctx: Context) -> str | None:
    """Why ``item`` does not apply here (its ``when:``), or None when it does."""
    when = dict(item.when or {})
    for key, want in when.items():
        wanted = [str(w).lower() for w in (want if isinstance(want, list) else [want])]
        if key == "os":
            here = _os_name(ctx.platform)
            if here not in wanted:
                return f"only on {' or '.join(wanted)} (this is {here})"
        elif key == "env":
            names = want if isinstance(want, list) else [want]
            for name in names:
                if not os.environ.get(str(name)):
                    return f"only when ${name} is set"
        elif key == "has":
            for program in (want if isinstance(want, list) else [want]):
                if shutil.which(str(program)) is None:
                    return f"only where {program} is installed (not on PATH)"
        elif key == "file":
            for path in (want if isinstance(want, list) else [want]):
                if not os.path.exists(os.path.expanduser(str(render(path, ctx.person)))):
                    return f"only where {path} exists"
        elif key == "secret":
            for name in (want if isinstance(want, list) else [want]):
                try:
                    present = ctx.secret(str(name)) is not None
                except SecretError:
                    present = False
                if not present:
                    return f"only when secret {name!r} is stored (oncall secret set {name})"
        else:
            raise CheckParamError(f"when: {key!r} is not a condition; write os:, env:, has:, file: or secret:")
    return None


def _os_name(platform: str) -> str:
    if platform.startswith("linux"):
        return "linux"
    if platform == "darwin":
        return "darwin"
    if platform in ("win32", "cygwin"):
        return "windows"
    return platform


def run_check(item: ChecklistItem, ctx: Context) -> Outcome:
    """Run ``item`` once for ``ctx.person`` within ``item.timeout`` seconds."""
    try:
        params = render(dict(item.check), ctx.person)
        runner = _KINDS.get(item.kind)
        if runner is None:
            return Outcome(ERROR, f"unknown check kind {item.kind!r}; write one of {', '.join(sorted(_KINDS))}")
        return runner(item, params, ctx)
    except CheckParamError as exc:
        return Outcome(ERROR, str(exc))
    except SecretError as exc:
        return Outcome(ERROR, exc.message)
    except net.NetTimeout as exc:
        return Outcome(FAIL, f"timed out: {exc}")
    except net.NetError as exc:
        return Outcome(FAIL, str(exc))


def _command(item: ChecklistItem, p: dict[str, Any], ctx: Context) -> Outcome:
    argv = p["command"]
    if isinstance(argv, str) or not isinstance(argv, list) or not argv:
        raise CheckParamError(
            "command: must be a list of words, e.g. [kubectl, auth, can-i, get, pods]; it is never run by a shell"
        )
    argv = [str(a) for a in argv]
    try:
        result = proc.run(argv, item.timeout)
    except FileNotFoundError:
        return Outcome(FAIL, f"{argv[0]} is not installed (not found on PATH)")
    except PermissionError:
        return Outcome(ERROR, f"{argv[0]} cannot be run (permission denied)")
    except OSError as exc:
        return Outcome(ERROR, f"{argv[0]} cannot be run ({exc.strerror or exc})")
    if result.timed_out:
        return Outcome(FAIL, f"did not finish within {item.timeout:g}s (stopped it and everything it started)")
    output = result.stdout + ("\n" if result.stdout and result.stderr else "") + result.stderr
    expect_exit = p.get("expect_exit", 0)
    allowed = expect_exit if isinstance(expect_exit, list) else [expect_exit]
    try:
        allowed_codes = [int(x) for x in allowed]
    except (TypeError, ValueError):
        raise CheckParamError(f"expect_exit: {expect_exit!r} is not an exit code; write e.g. 0 or [0, 1]") from None
    if result.returncode not in allowed_codes:
        return Outcome(FAIL, f"exited {result.returncode}{_gist(output)}")
    expect = p.get("expect_output")
    if expect is not None and not matches(str(expect), output):
        return Outcome(FAIL, f"output does not match {str(expect)!r}{_gist(output)}")
    return Outcome(PASS, _first_line(output) or f"exited {result.returncode}")


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:160]
    return ""


def _gist(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return f": {lines[-1][:160]}" if lines else ""


def _host_port(value: Any) -> tuple[str, int]:
    text = str(value).strip()
    m = re.match(r"^\[([^\]]+)\]:([0-9]+)$", text) or re.match(r"^([^:\s]+):([0-9]+)$", text)
    if not m or not 0 < int(m.group(2)) < 65536:
        raise CheckParamError(f"tcp: {text!r} is not host:port; write e.g. \"vpn.example.com:443\"")
    return m.group(1), int(m.group(2))


def _tcp(item: ChecklistItem, p: dict[str, Any], ctx: Context) -> Outcome:
    host, port = _host_port(p["tcp"])
    addr = net.tcp_connect(host, port, item.timeout)
    return Outcome(PASS, f"connected to {host}:{port}" + (f" ({addr})" if addr != host else ""))


def _dns(item: ChecklistItem, p: dict[str, Any], ctx: Context) -> Outcome:
    name = str(p["dns"]).strip()
    addrs = net.resolve(name, None, item.timeout)
    if not addrs:
        return Outcome(FAIL, f"{name} resolves to no address")
    expect = p.get("expect")
    if expect is not None and not any(matches(str(expect), a) for a in addrs):
        return Outcome(FAIL, f"{name} resolves to {', '.join(addrs)}, not {expect}")
    return Outcome(PASS, f"{name} resolves to {', '.join(addrs[:3])}")


def _file(item: ChecklistItem, p: dict[str, Any], ctx: Context) -> Outcome:
    path = os.path.expanduser(str(p["file"]))
    want_exists = p.get("exists", True) is not False
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return Outcome(PASS if not want_exists else FAIL, f"{path} does not exist")
    except OSError as exc:
        return Outcome(FAIL, f"{path} cannot be read ({exc.strerror})")
    if not want_exists:
        return Outcome(FAIL, f"{path} exists and should not")
    kind = p.get("type")
    if kind == "dir" and not stat.S_ISDIR(st.st_mode):
        return Outcome(FAIL, f"{path} is not a folder")
    if kind == "file" and not stat.S_ISREG(st.st_mode):
        return Outcome(FAIL, f"{path} is not a regular file")
    if kind not in (None, "dir", "file"):
        raise CheckParamError(f"type: {kind!r} is not a file type; write file or dir")
    notes = []
    if p.get("mode") is not None:
        want = _mode(p["mode"])
        have = stat.S_IMODE(st.st_mode)
        if have != want:
            return Outcome(FAIL, f"{path} has mode {have:04o}, not {want:04o}")
        notes.append(f"mode {have:04o}")
    if p.get("max_age") is not None:
        try:
            limit = parse_duration(p["max_age"]).seconds
        except TimeValueError as exc:
            raise CheckParamError(f"max_age: {exc}") from None
        age = ctx.now - int(st.st_mtime)
        if age > limit:
            return Outcome(FAIL, f"{path} was last changed {ago(age)} ago (limit {p['max_age']})")
        notes.append(f"changed {ago(age)} ago")
    return Outcome(PASS, f"{path} exists" + (f" ({', '.join(notes)})" if notes else ""))


def _mode(value: Any) -> int:
    # Unquoted, YAML may read 0600 as an octal or a decimal integer: only the quoted text is unambiguous.
    text = value.strip() if isinstance(value, str) else ""
    if not re.fullmatch(r"0?o?[0-7]{3,4}", text):
        raise CheckParamError(f"mode: {value!r} is not an octal mode in quotes; write e.g. mode: \"0600\"")
    return int(text.replace("o", ""), 8)


def _env(item: ChecklistItem, p: dict[str, Any], ctx: Context) -> Outcome:
    names = p["env"] if isinstance(p["env"], list) else [p["env"]]
    missing = [str(n) for n in names if not os.environ.get(str(n))]
    if missing:
        return Outcome(FAIL, f"{', '.join('$' + n for n in missing)} not set")
    expect = p.get("expect")
    if expect is not None:
        # The value may be a credential (AWS_SECRET_ACCESS_KEY): say whether it matches, never what it is.
        bad = [str(n) for n in names if not matches(str(expect), os.environ.get(str(n), ""))]
        if bad:
            return Outcome(FAIL, f"{', '.join('$' + n for n in bad)} does not match {str(expect)!r}")
    return Outcome(PASS, f"{', '.join('$' + str(n) for n in names)} set")


def _secret(item: ChecklistItem, p: dict[str, Any], ctx: Context) -> Outcome:
    name = str(p["secret"])
    if ctx.secret(name) is None:
        return Outcome(FAIL, f"secret {name!r} is not in the keyring (oncall secret set {name})")
    return Outcome(PASS, f"secret {name!r} is in the keyring")


def _confirm(item: ChecklistItem, p: dict[str, Any], ctx: Context) -> Outcome:
    attestation = ctx.attestations.get(item_key(ctx.checklist, item.id))
    how = f"oncall ready --confirm {item.id}"
    if attestation is None:
        return Outcome(FAIL, f"not confirmed yet ({how})")
    age = ctx.now - attestation.at
    valid_for = item.valid_for
    if valid_for is None and p.get("valid_for") is not None:
        try:
            valid_for = parse_duration(p["valid_for"])
        except TimeValueError as exc:
            raise CheckParamError(f"valid_for: {exc}") from None
    if valid_for is not None and age > valid_for.seconds:
        return Outcome(FAIL, f"confirmed {ago(age)} ago; expired after {valid_for} ({how})")
    statement = str(p.get("confirm") or item.title)
    if attestation.statement != statement:
        return Outcome(FAIL, f"the statement changed since you confirmed it {ago(age)} ago ({how})")
    return Outcome(PASS, f"confirmed {ago(age)} ago" + (f" (valid for {valid_for})" if valid_for else ""))


def _http(item: ChecklistItem, p: dict[str, Any], ctx: Context) -> Outcome:
    url = str(p["http"]).strip()
    method = str(p.get("method", "GET")).upper()
    headers = {str(k): str(v) for k, v in (p.get("headers") or {}).items()}
    headers.setdefault("User-Agent", "oncall-ready")
    sensitive = ["authorization"]
    secret_name = p.get("secret")
    if secret_name:
        value = ctx.secret(str(secret_name))
        if value is None:
            return Outcome(FAIL, f"secret {secret_name!r} is not in the keyring (oncall secret set {secret_name})")
        header = str(p.get("header", "Authorization"))
        default_scheme = "Bearer" if header.lower() == "authorization" else ""
        scheme = str(p.get("scheme", default_scheme))
        joiner = "" if not scheme or scheme.endswith(("=", " ", ":")) else " "
        headers[header] = f"{scheme}{joiner}{value}"
        sensitive.append(header.lower())
    statuses = _statuses(p.get("expect_status"))
    response = net.http_request(
        method, url, headers, item.timeout,
        sensitive=tuple(sensitive),
        follow_redirects=bool(p.get("follow_redirects", False)),
        verify=p.get("verify_tls", True) is not False,
        body=str(p["body"]) if p.get("body") is not None else None,
    )
    status = response.status
    if statuses(status):
        expect_body = p.get("expect_body")
        if expect_body is not None and not matches(str(expect_body), response.body):
            return Outcome(FAIL, f"{status} but the response does not contain {str(expect_body)!r}")
        return Outcome(PASS, f"{method} {url}: {status}")
    location = response.headers.get("location", "")
    if status == 401:
        what = "token invalid or expired" if secret_name else "authentication required"
        return Outcome(FAIL, f"{what} (401 from {_host(response.url)})")
    if status == 403:
        return Outcome(FAIL, f"missing permission (403 from {_host(response.url)}): the token works but may lack a "
                             "scope or role, or the organisation requires SSO authorisation")
    if status in net.REDIRECTS and location:
        if _LOGIN.search(location):
            return Outcome(FAIL, f"SSO session needed: redirected to a login page ({_strip_query(location)})")
        return Outcome(FAIL, f"redirected ({status}) to {_strip_query(location)}; not followed "
                             "(set follow_redirects: true if that is expected)")
    return Outcome(FAIL, f"{method} {url}: unexpected status {status} (expected {p.get('expect_status', '2xx')})")


def _statuses(value: Any) -> Callable[[int], bool]:
    if value is None:
        return lambda s: 200 <= s < 300
    wanted = value if isinstance(value, list) else [value]
    try:
        codes = {int(v) for v in wanted}
    except (TypeError, ValueError):
        raise CheckParamError(f"expect_status: {value!r} is not a status; write e.g. 200 or [200, 204]") from None
    return lambda s: s in codes


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc or url


def _strip_query(url: str) -> str:
    # Login redirects carry state and sometimes tokens in the query: show where, not what.
    return url.split("?", 1)[0].split("#", 1)[0]


_KINDS: dict[str, Callable[[ChecklistItem, dict[str, Any], Context], Outcome]] = {
    "command": _command,
    "tcp": _tcp,
    "http": _http,
    "dns": _dns,
    "file": _file,
    "env": _env,
    "secret": _secret,
    "confirm": _confirm,
}

KINDS = tuple(_KINDS)
__all__ = ["Context", "Outcome", "run_check", "render", "matches", "skip_reason", "ago", "KINDS", "SKIP"]
