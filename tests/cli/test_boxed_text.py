"""The plain boxed table against rich's: byte for byte, over random cells (wide and combining
characters, spaces), widths, justification, and consoles with and without colour."""

from __future__ import annotations

import io
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table as RichTable

from oncall.cli import output
from oncall.cli.tables import Column, Table, boxed_text

LETTERS = "ab Zé漢字ｶ\u0301\u200b\u3000\u00a0😀-,:()"
ASCII = "ab Z-,:()"  # a table of these is formatted a row at a time


def rich_text(headers, rows, justify, styles):
    """What rich prints, as ``Table._print_boxed`` asks it to, on a console without colour."""
    stream = io.StringIO()
    console = Console(width=400, file=stream, markup=False, highlight=False, emoji=False, no_color=True,
                      color_system=None, soft_wrap=False)
    widths = [max(cell_len(line) for line in [h, *(r[i] for r in rows)]) for i, h in enumerate(headers)]
    table = RichTable()
    for header, width, side, fold in zip(headers, widths, justify, styles[0], strict=True):
        table.add_column(header, width=width, no_wrap=not fold, overflow="fold", justify=side)
    for cells_, style in zip(rows, styles[1], strict=True):
        table.add_row(*cells_, style=style)
    console.print(table)
    return stream.getvalue(), widths


def tables(n: int, letters: str) -> st.SearchStrategy:
    cells = st.text(alphabet=letters, max_size=12)
    return st.tuples(
        st.lists(cells, min_size=n, max_size=n),
        st.lists(st.lists(cells, min_size=n, max_size=n), max_size=6),
        st.lists(st.sampled_from(["left", "right"]), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(st.sampled_from([None, "bold red"]), min_size=6, max_size=6),
    )


@settings(max_examples=300)
@given(st.tuples(st.integers(1, 5), st.sampled_from([LETTERS, ASCII])).flatmap(lambda drawn: tables(*drawn)))
def test_boxed_text_is_richs_text(table):
    headers, rows, justify, folds, row_styles = table
    expected, widths = rich_text(headers, rows, justify, (folds, row_styles[:len(rows)]))
    assume(min(widths) > 0)  # a column of zero cells is left to rich
    assume(not any(r[i][-1:].isspace() for r in [headers, *rows] for i, fold in enumerate(folds) if fold))  # likewise
    assert boxed_text(headers, rows, widths, justify) == expected


def printed(table: Table, monkeypatch: pytest.MonkeyPatch) -> str:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    table.print()
    return stream.getvalue()


def rich_line(text: str, width: int) -> str:
    """``output.line``'s text: a title line as rich wraps it."""
    stream = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdout", stream)
        patch.setenv("COLUMNS", str(width))
        output.line(text)
    return stream.getvalue()


@settings(max_examples=200)
@given(st.text(alphabet="ab Z-:()\u00e9\n", max_size=90), st.integers(60, 100), tables(3, LETTERS))
def test_a_table_on_a_pipe_is_printed_as_rich_prints_it(title, width, table):
    """On a pipe (no colour) a table whose cells need no folding is printed without rich: its
    title as ``output.line`` prints it, then rich's table."""
    headers, rows, justify, folds, row_styles = table
    expected, widths = rich_text(headers, rows, justify, (folds, row_styles[:len(rows)]))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", str(width))
        made = Table([Column(h, fold=fold, justify=side) for h, fold, side in zip(headers, folds, justify, strict=True)],
                     title=title)
        for cells_, style in zip(rows, row_styles, strict=False):
            made.add_row(*cells_, style=style)
        text = printed(made, patch)
    if sum(widths) + 3 * len(widths) + 1 > width:
        return  # folded or stacked: through rich, as before
    assert text == "".join(rich_line(line, width) for line in title.split("\n") if title) + expected


def test_a_table_in_a_terminal_goes_through_rich(monkeypatch):
    """With colour (a terminal), the table goes through rich, which styles it."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = Console(file=io.StringIO(), width=200, force_terminal=True, color_system="standard",
                       markup=False, highlight=False, emoji=False, soft_wrap=False)
    monkeypatch.setattr(output, "stdout", lambda: coloured)
    monkeypatch.setattr(output, "pipe_width", lambda: None)
    table = Table([Column("Schedule", fold=True), Column("On call"), Column("Hours", justify="right")])
    table.add_row("Payments primary", "Ana Okafor 漢字", "8")
    table.add_row("Platform", "NOBODY (gap)", "12", style="bold red")
    table.print()
    text = coloured.file.getvalue()
    assert "\x1b[1m" in text and "31m" in text and "NOBODY (gap)" in text  # bold heads, the gap in red
