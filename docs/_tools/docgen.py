"""Keep the generated parts of the docs true.

    python3 docs/_tools/docgen.py            # regenerate every generated part in place
    python3 docs/_tools/docgen.py --check    # exit 1, naming the stale files, if any is out of date

The Markdown pages hold cog blocks (``<!-- [[[cog ... ]]] -->`` ... ``<!-- [[[end]]] -->``) that
call the functions below; cog (cogapp) replaces the text between the markers with what they print.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

REGENERATE = "python3 docs/_tools/docgen.py"
WIDTH = 80


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


# --- cog ------------------------------------------------------------------------------------


def _cog(args: list[str]) -> int:
    from cogapp import Cog

    return Cog().main(["cog", "-I", str(Path(__file__).parent), *args])


def main(argv: list[str]) -> int:
    check = "--check" in argv
    files = [str(p) for p in pages() if "[[[cog" in p.read_text(encoding="utf-8")]
    status = _cog(["--check", "--diff", *files] if check else ["-r", *files])
    if status and check:
        print(f"the docs are out of date; regenerate them with:\n    {REGENERATE}", file=sys.stderr)
    return 1 if status else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
