"""The docs are true: every command has help text and a guide that explains it, links between
pages resolve, and every generated part (CLI reference, example outputs, formats, JSON Schemas)
is what the code produces today."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"


def _docgen():
    spec = importlib.util.spec_from_file_location("docgen", DOCS / "_tools" / "docgen.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


docgen = _docgen()


def _prose() -> str:
    """Every page except the generated CLI reference."""
    return "\n".join(p.read_text(encoding="utf-8") for p in docgen.pages() if p.name != "cli.md")


def test_every_command_has_help_and_is_explained_in_a_page():
    found = [(path, ctx.command) for path, ctx in docgen.commands()[1:] if not hasattr(ctx.command, "list_commands")]
    assert len(found) >= 20
    prose = _prose()
    for path, command in found:
        assert (command.help or "").strip(), f"{path} has no help text"
        assert path in prose, f"`{path}` is explained in no page of docs/ (only in the generated cli.md)"


def _mentions() -> list[tuple[str, str]]:
    """(page, text) of every ``oncall ...`` in inline code or at the start of a code-block line."""
    found = []
    for page in docgen.pages():
        if page.name == "cli.md":
            continue
        for line in page.read_text(encoding="utf-8").splitlines():
            spans = re.findall(r"`(oncall [^`]+)`", line)
            stripped = line.strip().removeprefix("$ ")
            if stripped.startswith("oncall ") and "`" not in stripped:
                spans.append(stripped)
            found += [(page.name, span) for span in spans]
    return found


def test_every_command_and_option_the_docs_mention_exists():
    contexts = dict(docgen.commands())
    options = {path: {o for p in ctx.command.params for o in (*p.opts, *p.secondary_opts)}
               for path, ctx in contexts.items()}
    mentions = _mentions()
    assert len(mentions) > 50
    for page, text in mentions:
        words = text.split()[1:]
        while words[:1] == ["--root"]:
            words = words[2:]
        path = "oncall"
        while words and f"{path} {words[0]}" in options:
            path = f"{path} {words.pop(0)}"
        if words and re.fullmatch(r"[a-z][a-z-]*", words[0]) and hasattr(contexts[path].command, "list_commands"):
            raise AssertionError(f"{page}: `{text}`: {path} has no command {words[0]!r}")
        for word in words:
            option = re.match(r"\[?(--?[a-z][a-z-]*)", word)
            if option and word.startswith(("-", "[-")):
                name = option.group(1)
                assert name in options[path] | options["oncall"] | {"--help"}, f"{page}: `{text}`: {path} has no option {name}"


def test_links_between_pages_resolve():
    for page in docgen.pages():
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:\s]+\.md)(?:#[^)]*)?\)", text):
            assert (page.parent / target).is_file(), f"{page.relative_to(REPO)} links to missing {target}"


def test_generated_docs_are_current(capsys: pytest.CaptureFixture[str]):
    status = docgen.main(["--check"])
    captured = capsys.readouterr()
    assert status == 0, captured.out + captured.err  # ends with the one command that regenerates them
