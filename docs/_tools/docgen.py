"""Keep the generated parts of the docs true.

    python3 docs/_tools/docgen.py            # regenerate every generated part in place
    python3 docs/_tools/docgen.py --check    # exit 1, naming the stale files, if any is out of date

The Markdown pages hold cog blocks (``<!-- [[[cog ... ]]] -->`` ... ``<!-- [[[end]]] -->``) that
call the functions below; cog (cogapp) replaces the text between the markers with what they print.
"""

from __future__ import annotations

import atexit
import io
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

REGENERATE = "python3 docs/_tools/docgen.py"
WIDTH = 80
NOW = "2026-11-26T22:24:00Z"  # the frozen "now" of every example, unless a page says otherwise
EXAMPLE_ORG = ("schedules", "checklists", "playbooks")


def pages() -> list[Path]:
    """Every Markdown page that may hold generated parts."""
    return [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]


# --- the CLI reference ----------------------------------------------------------------------


def _contexts(command: object, ctx: object) -> Iterator[object]:
    import click

    assert isinstance(command, click.Command) and isinstance(ctx, click.Context)
    yield ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            yield from _contexts(sub, click.Context(sub, info_name=name, parent=ctx,
                                                    terminal_width=WIDTH, max_content_width=WIDTH))


def root_command() -> object:
    """The ``oncall`` command as click sees it."""
    import typer

    from oncall.cli.app import app

    return typer.main.get_command(app)


def commands() -> list[tuple[str, object]]:
    """(``oncall schedule generate``, its click context) for the root and every command, in order."""
    import click

    root = root_command()
    assert isinstance(root, click.Command)
    top = click.Context(root, info_name="oncall", terminal_width=WIDTH, max_content_width=WIDTH)
    return [(ctx.command_path, ctx) for ctx in _contexts(root, top)]  # type: ignore[attr-defined]


def _anchor(path: str) -> str:
    return path.replace(" ", "-")


def cli_reference() -> str:
    """Markdown: an index of every command, then each one's ``--help``."""
    entries = commands()
    lines = []
    for path, ctx in entries[1:]:
        command = ctx.command  # type: ignore[attr-defined]
        if hasattr(command, "list_commands"):
            continue
        summary = command.get_short_help_str(limit=200)
        lines.append(f"* [`{path}`](#{_anchor(path)}): {summary}")
    lines.append("")
    for path, ctx in entries:
        level = "#" * max(2, path.count(" ") + 1)
        help_text = ctx.command.get_help(ctx).rstrip()  # type: ignore[attr-defined]
        lines += [f"{level} {path}", "", "```text", help_text, "```", ""]
    return "\n".join(lines)


# --- the formats reference ------------------------------------------------------------------

def formats_reference() -> str:
    """Markdown: one table per section of ``oncall.config.format``, every key the files may hold."""
    from oncall.config import format as fmt

    out = []
    for section, keys in fmt.SECTIONS.items():
        out += [f"### {fmt.SECTION_TITLES[section]}", "", "| key | value | |", "|---|---|---|"]
        for name, key in keys.items():
            required = "**required**. " if key.required else ""
            meaning = key.help.replace("|", "\\|").replace("<", "&lt;")
            out.append(f"| `{name}` | {fmt.value_words(key)} | {required}{meaning} |")
        out.append("")
    return "\n".join(out)


# --- the JSON Schemas ---------------------------------------------------------------------


def schema_kinds() -> list[str]:
    """The kinds ``oncall schema KIND`` accepts, read from the command itself."""
    import click

    for path, ctx in commands():
        if path == "oncall schema":
            for param in ctx.command.params:  # type: ignore[attr-defined]
                if isinstance(param, click.Argument) and isinstance(param.type, click.Choice):
                    return [str(choice) for choice in param.type.choices]
    raise LookupError("`oncall schema` has no KIND argument with choices")


def schemas() -> dict[Path, str]:
    """docs/schema/KIND.json for every kind: what `oncall schema KIND` prints."""
    session = Session()
    return {REPO / "docs" / "schema" / f"{kind}.json": session.output(f"oncall schema {kind}")
            for kind in schema_kinds()}


# --- example outputs -------------------------------------------------------------------------


class Session:
    """A shell a page's examples run in, one command after another: the real ``oncall`` in this
    process at a frozen time, with TZ, COLUMNS=80, and its own state, cache and keyring folders.

    Commands run in a fresh copy of the repository's example organisation (shown as
    ``~/oncall``), so examples may change files; with ``git=True`` the copy is a git repository
    with the organisation committed.
    """

    def __init__(self, *, git: bool = False, now: str = NOW, tz: str = "UTC",
                 env: dict[str, str] | None = None) -> None:
        self._tmp = Path(tempfile.mkdtemp(prefix="oncall-docs-"))
        atexit.register(shutil.rmtree, self._tmp, True)
        self.now, self.tz, self.env = now, tz, dict(env or {})
        self.home = self._tmp / "home"
        self.cwd = self.home / "oncall"
        for name in EXAMPLE_ORG:
            shutil.copytree(REPO / name, self.cwd / name)
        self.shown = {str(self.home): "~"}
        # Programs on PATH: this Python as python3, and git; nothing else, so that examples whose
        # checks ask `has: PROGRAM` read the same on every machine.
        self.bin = self._tmp / "bin"
        self.bin.mkdir()
        (self.bin / "python3").symlink_to(sys.executable)
        (self.bin / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
        if git:
            self.git("init", "-q", "-b", "main")
            self.git("add", ".")
            self.git("commit", "-q", "-m", "Example Corp's on-call")
        self.code = 0

    def path(self, relative: str) -> Path:
        return self.cwd / relative

    def edit(self, relative: str, old: str, new: str) -> None:
        """Change a file of the config root, as a person editing it would."""
        path = self.cwd / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def example(self, name: str, fence: str = "yaml") -> str:
        """Copy ``docs/_tools/examples/NAME`` into the config root and show it as a fenced block."""
        text = (Path(__file__).parent / "examples" / name).read_text(encoding="utf-8")
        (self.cwd / name).parent.mkdir(parents=True, exist_ok=True)
        (self.cwd / name).write_text(text, encoding="utf-8")
        return f"```{fence}\n{text}```\n"

    def git(self, *args: str) -> str:
        env = {**os.environ, "GIT_AUTHOR_NAME": "Alice Park", "GIT_AUTHOR_EMAIL": "alice@example.com",
               "GIT_COMMITTER_NAME": "Alice Park", "GIT_COMMITTER_EMAIL": "alice@example.com",
               "GIT_AUTHOR_DATE": self.now, "GIT_COMMITTER_DATE": self.now, "GIT_CONFIG_GLOBAL": os.devnull}
        done = subprocess.run(["git", *args], cwd=self.cwd, env=env, capture_output=True, text=True, check=True)
        return done.stdout

    def _environment(self, assignments: dict[str, str]) -> dict[str, str]:
        home = self.home
        env = {"TZ": self.tz, "COLUMNS": str(WIDTH), "NO_COLOR": "1", "ONCALL_NO_CACHE": "1",
               "HOME": str(home), "USER": "me", "LOGNAME": "me", "PATH": str(self.bin),
               "XDG_STATE_HOME": str(home / ".local/state"), "XDG_CACHE_HOME": str(home / ".cache"),
               "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CONFIG_HOME": str(home / ".config"),
               "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
               "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        return {**env, **self.env, **assignments}

    def oncall(self, argv: list[str], env: dict[str, str], stdin: str = "", quiet: bool = False,
               no_stderr: bool = False) -> str:
        """Run ``oncall ARGV`` as a user would; return what it printed (stdout and stderr, in order;
        without stdout when ``quiet``, as with ``> /dev/null``; without stderr when ``no_stderr``,
        as with ``2> /dev/null``)."""
        from freezegun import freeze_time

        from oncall.cli.app import run

        saved_env, saved_cwd, saved_stdin = dict(os.environ), os.getcwd(), sys.stdin
        os.environ.pop("ONCALL_ROOT", None)
        os.environ.pop("ONCALL_PERSON", None)
        os.environ.update(env)
        time.tzset()
        buffer = io.BytesIO()
        stream = io.TextIOWrapper(buffer, encoding="utf-8", write_through=True)
        sys.stdin = io.StringIO(stdin)
        try:
            os.chdir(self.cwd)
            sink = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
            out, err = (sink if quiet else stream), (sink if no_stderr else stream)
            with freeze_time(self.now), redirect_stdout(out), redirect_stderr(err):
                try:
                    self.code = run(argv)
                except SystemExit as exc:
                    self.code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            os.chdir(saved_cwd)
            sys.stdin = saved_stdin
            os.environ.clear()
            os.environ.update(saved_env)
            time.tzset()
        stream.flush()
        return buffer.getvalue().decode("utf-8")

    def output(self, line: str, stdin: str = "") -> str:
        """What the shell line prints: ``[VAR=value ...] oncall ARGS [| head -N]``, ``echo $?``,
        or ``git ARGS``."""
        words = shlex.split(line)
        if words == ["echo", "$?"]:
            return f"{self.code}\n"
        if words[0] == "cd" and words[2:3] == ["&&"]:
            saved, self.cwd = self.cwd, self.cwd / words[1]
            try:
                return self.output(shlex.join(words[3:]), stdin)
            finally:
                self.cwd = saved
        head = None
        if "|" in words and words[0] in ("echo", "printf"):
            at = words.index("|")
            stdin, words = " ".join(words[1:at]) + ("\n" if words[0] == "echo" else ""), words[at + 1:]
        if "|" in words:
            at = words.index("|")
            words, pipe = words[:at], words[at + 1:]
            assert pipe[:1] == ["head"], f"only `| head -N` is understood, not {pipe}"
            head = int(pipe[1].lstrip("-n")) if len(pipe) > 1 else 10
        quiet = words[-2:] == [">", "/dev/null"]
        if quiet:
            words = words[:-2]
        no_stderr = words[-2:] == ["2>", "/dev/null"]
        if no_stderr:
            words = words[:-2]
        assignments = {}
        while words and "=" in words[0] and not words[0].startswith("-"):
            name, value = words.pop(0).split("=", 1)
            assignments[name] = value
        if words[0] in ("cat", "head") and len(words) in (2, 3):
            text = (self.cwd / words[-1]).read_text(encoding="utf-8").replace("\r\n", "\n")
            head = int(words[1].lstrip("-n")) if len(words) == 3 else head
        elif words[0] == "git":
            text = self.git(*words[1:])
        elif words[0] == "oncall":
            text = self.oncall(words[1:], self._environment(assignments), stdin, quiet, no_stderr)
        else:
            raise ValueError(f"cannot run {line!r} in an example")
        for real, shown in self.shown.items():
            text = text.replace(real, shown)
        text = "".join(line.rstrip() + "\n" for line in text.splitlines())
        if head is not None:
            text = "".join(text.splitlines(keepends=True)[:head])
        return text

    def show(self, *lines: str, fence: str = "console", stdin: str = "") -> str:
        """A fenced block of shell lines, each followed by what it prints."""
        parts = []
        for line in lines:
            parts.append(f"$ {line}\n" + self.output(line, stdin))
        return f"```{fence}\n" + "".join(parts) + "```\n"

    def raw(self, line: str, fence: str = "text", stdin: str = "") -> str:
        """A fenced block of what one line prints, without the line itself."""
        return f"```{fence}\n" + self.output(line, stdin) + "```\n"


def local_delivery(session: Session) -> None:
    """Point the session's notification channels at stand-ins on 127.0.0.1 (a Slack webhook that
    answers "ok" and an SMTP server that accepts every message), so ``notify`` examples really
    deliver. What ``notify`` prints names recipients, never hosts, so the output is what the
    configured channels would print."""
    import socket
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from aiosmtpd.controller import Controller

    class Webhook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Accept:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
            return "250 OK"

    http = ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    atexit.register(http.shutdown)
    with socket.socket() as probe:  # a free port: aiosmtpd needs one named before it starts
        probe.bind(("127.0.0.1", 0))
        smtp_port = probe.getsockname()[1]
    smtp = Controller(Accept(), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    atexit.register(smtp.stop)

    settings = session.path("oncall.yaml")
    text = settings.read_text(encoding="utf-8")
    local = []
    for line in text.splitlines():
        key = line.strip().split(":", 1)[0]
        if key in ("username", "password_secret", "ca_file"):
            continue
        if key == "host":
            line = line.split("host:")[0] + "host: 127.0.0.1"
        elif key == "port":
            line = line.split("port:")[0] + f"port: {smtp_port}"
        elif key == "security":
            line = line.split("security:")[0] + "security: none"
        local.append(line)
    settings.write_text("\n".join(local) + "\n", encoding="utf-8")
    session.output("oncall secret set slack-ops-webhook", stdin=f"http://127.0.0.1:{http.server_address[1]}/hook")


_sessions: dict[str, Session] = {}


def session(**options: object) -> Session:
    """The page's default session; the first call on a page may set its options
    (``session(git=True)``)."""
    import cog  # type: ignore[import-not-found]

    page = str(cog.inFile)
    if page not in _sessions:
        _sessions[page] = Session(**options)  # type: ignore[arg-type]
    elif options:
        raise RuntimeError(f"{page}: session({options}) comes after the page's first example; move it up")
    return _sessions[page]


def show(*lines: str, **options: str) -> None:
    """Print (into a cog block) the shell lines run in the page's session, with their output."""
    import cog  # type: ignore[import-not-found]

    cog.out(session().show(*lines, **options))


# --- cog ------------------------------------------------------------------------------------


def _cog(args: list[str]) -> int:
    from cogapp import Cog

    return Cog().main(["cog", "-I", str(Path(__file__).parent), "-p", "from docgen import *", *args])


def main(argv: list[str]) -> int:
    check = "--check" in argv
    files = [str(p) for p in pages() if "\n<!-- [[[cog" in p.read_text(encoding="utf-8")]
    status = _cog(["--check", "--diff", *files] if check else ["-r", *files])
    for path, text in schemas().items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == text:
            continue
        if check:
            print(f"{path.relative_to(REPO)} differs from what `oncall schema {path.stem}` prints")
            status = 1
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}")
    if status and check:
        print(f"the docs are out of date; regenerate them with:\n    {REGENERATE}", file=sys.stderr)
    return 1 if status else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
