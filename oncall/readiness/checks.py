"""Run one checklist item: each check kind of docs/formats.md, returning a status, a message and
maybe its own fix.

A check never raises for what it finds: a failed login is a ``fail``, a program that cannot be
started or a malformed parameter is an ``error``. Messages never contain a secret's value (the
runner also masks every form of any value it handed out, in case a server echoes one back), and
quote a peer or a program only through ``oncall.redact.peer_text``.

Command checks run their argv directly (never through a shell) with a minimal environment
(``MINIMAL_ENV``, plus what the check's ``env:`` adds). ``{person.<field>}`` is refused inside
code that a program evaluates (a shell's ``-c`` script, an ``ssh`` remote command, ``python -c``
and the like): there a value such as ``U1; touch PWNED`` would run as code. Such a value goes in an
argument of its own: ``[sh, -c, 'echo "$1"', sh, "{person.slack}"]``.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import stat
import sys
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from oncall.config import format as fmt
from oncall.deadline import Deadline
from oncall.errors import SecretError
from oncall.model import ChecklistItem, Person
from oncall.readiness import net, proc
from oncall.readiness.results import ERROR, FAIL, PASS, SKIP, Attestation, item_key
from oncall.redact import peer_text
from oncall.times import TimeValueError, parse_duration

_FIELD = re.compile(r"\{person\.([A-Za-z0-9_]+)\}")
_LOGIN = re.compile(r"log-?in|sign-?in|sso|saml|oauth|openid|/auth|idp|adfs|okta", re.IGNORECASE)
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# What a command check's program sees of the environment unless its `env:` adds more: where
# programs and their own configuration are, the user and the locale, the agents they talk to.
MINIMAL_ENV = (
    "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM",
    "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME",
    "DBUS_SESSION_BUS_ADDRESS", "SSH_AUTH_SOCK", "KUBECONFIG", "SYSTEMROOT", "COMSPEC", "PATHEXT",
)
SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash", "fish", "csh", "tcsh"})
# Interpreters and the options whose value is code they run.
INLINE_CODE = {
    "python": ("-c",), "python3": ("-c",), "pypy3": ("-c",), "perl": ("-e", "-E"), "ruby": ("-e",),
    "node": ("-e", "--eval", "-p", "--print"), "php": ("-r",), "osascript": ("-e",),
    "pwsh": ("-c", "-command"), "powershell": ("-c", "-command"), "cmd": ("/c", "/k"),
}
_SSH_VALUE_OPTIONS = set("BbcDEeFIiJLlmOoPpQRSWw")


class CheckParamError(Exception):
    """A check's parameters cannot be used; the message says what to write instead."""


@dataclass(frozen=True)
class Outcome:
    status: str
    message: str
    fix: str | None = None  # what to do about this outcome in particular (before the item's own fix:)


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


MATCH_LIMIT = 1.0  # seconds a pattern may take when the check gives it no budget of its own


def matches(pattern: str, text: str, budget: float = MATCH_LIMIT) -> bool:
    """``/regex/`` searches (multi-line); anything else is a substring.

    A regular expression gets at most ``budget`` seconds: one that backtracks without end (nested
    repeats such as ``/^(a+)+$/`` on a long near-miss) is a ``CheckParamError``, not a hang. The
    ``regex`` engine stops a search at a time limit, which Python's ``re`` cannot.
    """
    if len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/"):
        import regex

        try:
            compiled = regex.compile(pattern[1:-1], regex.MULTILINE)
        except regex.error as exc:
            raise CheckParamError(f"{pattern!r} is not a valid regular expression ({exc})") from None
        try:
            return compiled.search(text, timeout=max(budget, 0.05), concurrent=True) is not None
        except TimeoutError:
            raise CheckParamError(
                f"{pattern!r} took longer than {max(budget, 0.05):.2g}s to match {len(text)} characters: it "
                "backtracks (nested repeats such as (a+)+ or (a|a)*); write a pattern without them"
            ) from None
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
                    return f"only when secret {name!r} is stored; `oncall secret set {name}` stores it"
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
    """Run ``item`` once for ``ctx.person`` within ``item.timeout`` seconds (a socket check on an
    event loop of its own)."""
    if item.kind in SOCKET_KINDS:
        return net.run_to_end(run_socket_check(item, ctx))
    try:
        params = render(dict(item.check), ctx.person)
        runner = _KINDS.get(item.kind)
        if runner is None:
            return Outcome(ERROR, f"unknown check kind {item.kind!r}; write one of {', '.join(sorted(KINDS))}")
        return runner(item, params, ctx)
    except _FOUND as exc:
        return outcome_of(exc)


async def run_socket_check(item: ChecklistItem, ctx: Context) -> Outcome:
    """``run_check`` for a check that only waits on the network (``SOCKET_KINDS``), on the running
    event loop: thousands of them wait at once on one thread."""
    try:
        return await _SOCKET_KINDS[item.kind](item, render(dict(item.check), ctx.person), ctx)
    except _FOUND as exc:
        return outcome_of(exc)


_FOUND = (CheckParamError, SecretError, net.NetTimeout, net.NetError)


def outcome_of(exc: Exception) -> Outcome:
    """The outcome a check's exception stands for (one of ``_FOUND``)."""
    if isinstance(exc, SecretError):
        return Outcome(ERROR, exc.message)
    if isinstance(exc, net.NetTimeout):
        return Outcome(FAIL, f"timed out: {exc}")
    if isinstance(exc, net.NetError):
        return Outcome(FAIL, str(exc))
    return Outcome(ERROR, str(exc))


def code_arguments(argv: list[str]) -> set[int]:
    """Indexes of the words of ``argv`` that some program in it runs as code: a shell's ``-c``
    script (``sh -c``, ``bash -lc``, also after ``sudo``, ``env``, ``kubectl exec --``...), an
    ``ssh`` remote command, or an interpreter's inline code (``python -c``, ``node -e``...)."""
    return set(_code_words(argv))


def _code_words(argv: list[str]) -> dict[int, str]:
    """``code_arguments``, each with the name of the program that runs it (``sh``, ``ssh``, ``python``...)."""
    found: dict[int, str] = {}
    for i, word in enumerate(argv):
        name = os.path.basename(word).lower().removesuffix(".exe")
        name = re.sub(r"[0-9.]+$", "", name) if name.startswith(("python", "pypy")) else name
        if name in SHELLS:
            found.update(dict.fromkeys(_shell_script(argv, i + 1), name))
        elif name == "ssh":
            found.update(dict.fromkeys(_ssh_command(argv, i + 1), name))
        elif name in INLINE_CODE:
            options = INLINE_CODE[name]
            for j in range(i + 1, len(argv)):
                if argv[j].lower() in options and j + 1 < len(argv):
                    words = range(j + 1, len(argv)) if name in ("cmd", "pwsh", "powershell") else (j + 1,)
                    found.update(dict.fromkeys(words, name))
                    break
    return found


# How code reads a value given as a word of its own after it: what to write instead of a field inside it.
_ARGUMENT_EXAMPLES = {
    "python": "[python3, -c, 'import sys; print(sys.argv[1])', \"{field}\"]",
    "pypy": "[pypy3, -c, 'import sys; print(sys.argv[1])', \"{field}\"]",
    "node": "[node, -e, 'console.log(process.argv[1])', \"{field}\"]",
    "perl": "[perl, -e, 'print $ARGV[0]', \"{field}\"]",
    "ruby": "[ruby, -e, 'puts ARGV[0]', \"{field}\"]",
    "php": "[php, -r, 'echo $argv[1];', \"{field}\"]",
}


def person_in_code(argv: Sequence[object]) -> str | None:
    """Why a command check's argv, as written, is refused: a ``{person.<field>}`` inside code that
    a program in it runs (``code_arguments``), where a value like ``x; rm -rf ~`` would run too,
    with what to write instead; None when there is none. The checklist loader reports it at
    validation; a check refuses to run it all the same."""
    written = [str(a) for a in argv]
    for i, program in sorted(_code_words(written).items()):
        field_match = _FIELD.search(written[i])
        if not field_match:
            continue
        field_text = field_match.group(0)
        if program in SHELLS:
            instead = f"pass it as an argument of its own instead, e.g. [sh, -c, 'echo \"$1\"', sh, \"{field_text}\"]"
        elif program in _ARGUMENT_EXAMPLES:
            instead = f"pass it as an argument of its own instead, e.g. {_ARGUMENT_EXAMPLES[program].format(field=field_text)}"
        elif program == "ssh":
            instead = ("ssh hands every word after the host to the remote shell, so none can carry it safely; "
                       "leave it out of the remote command")
        else:
            instead = f"{program} runs every word there as code; leave it out of them"
        return (f"command: {field_text} is inside code that {program} runs ({written[i][:40]!r}), where a value "
                f"like 'x; rm -rf ~' would run too; {instead}")
    return None


def _shell_script(argv: list[str], start: int) -> set[int]:
    j, script = start, False
    while j < len(argv) and argv[j][:1] in "-+" and argv[j] not in ("-", "--"):
        word = argv[j]
        if word[:2] in ("-o", "+o") and len(word) == 2:
            j += 1  # -o OPTION
        elif not word.startswith("--") and "c" in word[1:]:
            script = True
        j += 1
    if j < len(argv) and argv[j] == "--":
        j += 1
    return {j} if script and j < len(argv) else set()


def _ssh_command(argv: list[str], start: int) -> set[int]:
    j = start
    while j < len(argv) and argv[j].startswith("-") and argv[j] != "--":
        word = argv[j]
        for k, letter in enumerate(word[1:], start=1):
            if letter in _SSH_VALUE_OPTIONS:
                if k == len(word) - 1:
                    j += 1  # the value is the next word
                break
        j += 1
    if j < len(argv) and argv[j] == "--":
        j += 1
    return set(range(j + 1, len(argv)))  # after the destination: a command line for the remote shell


def command_env(p: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a command check: ``MINIMAL_ENV`` (and ``LC_*``) from ``environ``, plus
    the variables the check's ``env:`` names (one or a list). A value of one's own is set with
    ``env`` in the argv: ``[env, AWS_REGION=eu-west-1, aws, ...]``."""
    source = os.environ if environ is None else environ
    env = {k: v for k, v in source.items() if k in MINIMAL_ENV or k.startswith("LC_")}
    env.setdefault("PATH", os.defpath)
    extra = p.get("env")
    if extra is None:
        return env
    names = [extra] if isinstance(extra, str) else extra
    if not isinstance(names, list):
        raise CheckParamError("env: must name variables to pass on, e.g. env: [AWS_PROFILE, KUBECONFIG]")
    for name in names:
        if not isinstance(name, str) or not _ENV_NAME.match(name):
            raise CheckParamError(f"env: {name!r} is not a variable name; write e.g. env: [AWS_PROFILE, KUBECONFIG]")
        if name in source:
            env[name] = source[name]
    return env


def _command(item: ChecklistItem, p: dict[str, Any], ctx: Context) -> Outcome:
    argv = p["command"]
    if isinstance(argv, str) or not isinstance(argv, list) or not argv:
        raise CheckParamError(
            "command: must be a list of words, e.g. [kubectl, auth, can-i, get, pods]; it is never run by a shell"
        )
    written = item.check.get("command")
    refused = person_in_code(written) if isinstance(written, list) else None
    if refused:
        raise CheckParamError(refused)
    argv = [str(a) for a in argv]
    started = time.monotonic()
    try:
        result = proc.run(argv, item.timeout, command_env(p))
    except FileNotFoundError:
        return Outcome(FAIL, f"{argv[0]} is not installed (not found on PATH)")
    except PermissionError:
        return Outcome(ERROR, f"{argv[0]} cannot be run (permission denied)")
    except OSError as exc:
        return Outcome(ERROR, f"{argv[0]} cannot be run ({exc.strerror or exc})")
    left = _leftovers(result)
    if result.timed_out:
        what = "stopped it" + (f" and {len(result.stopped)} process{'es' * (len(result.stopped) > 1)} it started"
                               if result.stopped else "")
        return Outcome(FAIL, f"did not finish within {item.timeout:g}s; {what}{_survivors(result)}")
    output = result.stdout + ("\n" if result.stdout and result.stderr else "") + result.stderr
    expect_exit = p.get("expect_exit", 0)
    allowed = expect_exit if isinstance(expect_exit, list) else [expect_exit]
    try:
        allowed_codes = [int(x) for x in allowed]
    except (TypeError, ValueError):
        raise CheckParamError(f"expect_exit: {expect_exit!r} is not an exit code; write e.g. 0 or [0, 1]") from None
    if result.returncode not in allowed_codes:
        return Outcome(FAIL, f"exited {result.returncode}{_gist(output, ctx)}{left}")
    expect = p.get("expect_output")
    budget = item.timeout - (time.monotonic() - started)
    if expect is not None and not matches(str(expect), output, budget):
        return Outcome(FAIL, f"output does not match '{expect}'{_gist(output, ctx)}{left}")
    # A pass needs no output kept: it may hold anything (tokens, account ids) and says nothing more.
    matched = f"; output matches '{expect}'" if expect is not None else ""
    return Outcome(PASS, f"exited {result.returncode}{matched}{left}")


def _leftovers(result: proc.ProcResult) -> str:
    if result.timed_out or not (result.stopped or result.survivors):
        return ""
    stopped = ""
    if result.stopped:
        names = ", ".join(result.stopped[:3]) + (", ..." if len(result.stopped) > 3 else "")
        stopped = f"; stopped {len(result.stopped)} process{'es' * (len(result.stopped) > 1)} it left running ({names})"
    return stopped + _survivors(result)


def _survivors(result: proc.ProcResult) -> str:
    if not result.survivors:
        return ""
    return f"; could not stop {', '.join(result.survivors[:3])}: stop it yourself"


def _gist(output: str, ctx: Context) -> str:
    """The last line of a failing program's output: usually the reason, secrets masked."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return f": {peer_text(lines[-1], ctx.used_secrets, limit=160)}" if lines else ""


def _host_port(value: Any) -> tuple[str, int]:
    text = str(value).strip()
    split = fmt.host_port(text)
    if split is None:
        raise CheckParamError(f"tcp: {text!r} is not host:port; write e.g. {fmt.TCP_EXAMPLE}")
    return split


async def _tcp(item: ChecklistItem, p: dict[str, Any], ctx: Context) -> Outcome:
    host, port = _host_port(p["tcp"])
    addr = await net.tcp_connect_async(host, port, item.timeout)
    return Outcome(PASS, f"connected to {host}:{port}" + (f" ({addr})" if addr != host else ""))


async def _dns(item: ChecklistItem, p: dict[str, Any], ctx: Context) -> Outcome:
    name = str(p["dns"]).strip()
    addrs = await net.resolve_async(name, None, item.timeout)
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


def missing_secret(name: str) -> Outcome:
    """The failure of a check whose secret is not stored; its fix is to store it."""
    return Outcome(FAIL, f"secret {name!r} is not in the keyring", fix=f"oncall secret set {name}")


def _secret(item: ChecklistItem, p: dict[str, Any], ctx: Context) -> Outcome:
    name = str(p["secret"])
    if ctx.secret(name) is None:
        return missing_secret(name)
    return Outcome(PASS, f"secret {name!r} is in the keyring")


def _confirm(item: ChecklistItem, p: dict[str, Any], ctx: Context) -> Outcome:
    attestation = ctx.attestations.get(item_key(ctx.checklist, item.id))
    fix = f"oncall ready --confirm {item.id}"
    if attestation is None:
        return Outcome(FAIL, "not confirmed yet", fix=fix)
    age = ctx.now - attestation.at
    valid_for = item.valid_for
    if valid_for is None and p.get("valid_for") is not None:
        try:
            valid_for = parse_duration(p["valid_for"])
        except TimeValueError as exc:
            raise CheckParamError(f"valid_for: {exc}") from None
    if valid_for is not None and age > valid_for.seconds:
        return Outcome(FAIL, f"confirmed {ago(age)} ago; expired after {valid_for}", fix=fix)
    statement = str(p.get("confirm") or item.title)
    if attestation.statement != statement:
        return Outcome(FAIL, f"the statement changed since you confirmed it {ago(age)} ago", fix=fix)
    valid = f"; valid for {valid_for}" if valid_for else ""
    return Outcome(PASS, f"confirmed {ago(age)} ago{valid}")


async def _http(item: ChecklistItem, p: dict[str, Any], ctx: Context) -> Outcome:
    url = str(p["http"]).strip()
    method = str(p.get("method", "GET")).upper()
    headers = {str(k): str(v) for k, v in (p.get("headers") or {}).items()}
    headers.setdefault("User-Agent", "oncall-ready")
    sensitive = ["authorization"]
    secret_name = p.get("secret")
    if secret_name:
        value = await asyncio.to_thread(ctx.secret, str(secret_name))  # the keyring may take a while
        if value is None:
            return missing_secret(str(secret_name))
        header = str(p.get("header", "Authorization"))
        default_scheme = "Bearer" if header.lower() == "authorization" else ""
        scheme = str(p.get("scheme", default_scheme))
        joiner = "" if not scheme or scheme.endswith(("=", " ", ":")) else " "
        headers[header] = f"{scheme}{joiner}{value}"
        sensitive.append(header.lower())
    statuses = _statuses(p.get("expect_status"))
    budget = Deadline(item.timeout)
    response = await net.http_request_async(
        method, url, headers, item.timeout,
        sensitive=tuple(sensitive),
        follow_redirects=bool(p.get("follow_redirects", False)),
        verify=p.get("verify_tls", True) is not False,
        body=str(p["body"]) if p.get("body") is not None else None,
        secrets=tuple(ctx.used_secrets),
    )
    status = response.status
    if statuses(status):
        expect_body = p.get("expect_body")
        if expect_body is not None and not await asyncio.to_thread(  # a pattern may take its whole budget
                matches, str(expect_body), response.body, budget.remaining()):
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
        where = peer_text(_strip_query(location), ctx.used_secrets, limit=160)
        if _LOGIN.search(location):
            return Outcome(FAIL, f"SSO session needed: redirected to a login page ({where})")
        return Outcome(FAIL, f"redirected ({status}) to {where}; not followed "
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
    "file": _file,
    "env": _env,
    "secret": _secret,
    "confirm": _confirm,
}
_SOCKET_KINDS: dict[str, Callable[[ChecklistItem, dict[str, Any], Context], Awaitable[Outcome]]] = {
    "tcp": _tcp,
    "http": _http,
    "dns": _dns,
}

SOCKET_KINDS = tuple(_SOCKET_KINDS)  # checks that only wait on the network
KINDS = (*_KINDS, *SOCKET_KINDS)
__all__ = ["Context", "Outcome", "run_check", "run_socket_check", "render", "matches", "skip_reason", "ago", "KINDS",
           "SOCKET_KINDS", "SKIP"]
