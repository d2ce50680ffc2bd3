"""The plain boxed table against rich's: byte for byte, over random cells (wide and combining
characters, spaces), widths, justification, row styles, and consoles with and without colour."""

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
from oncall.cli.tables import Column, Table, boxed_text, painter

LETTERS = "ab Zé漢字ｶ\u0301\u200b\u3000\u00a0😀-,:()"
ASCII = "ab Z-,:()"  # a table of these is formatted a row at a time


def console(colours: str | None) -> Console:
    """A console as output.py makes one: without colour (a pipe, NO_COLOR), or a terminal's."""
    return Console(width=400, file=io.StringIO(), markup=False, highlight=False, emoji=False, no_color=not colours,
                   color_system=colours, force_terminal=bool(colours), soft_wrap=False)


def rich_text(headers, rows, justify, styles, colours=None):
    """What rich prints, as ``Table._print_boxed`` asks it to."""
    shown = console(colours)
    widths = [max(cell_len(line) for line in [h, *(r[i] for r in rows)]) for i, h in enumerate(headers)]
    table = RichTable()
    for header, width, side, fold in zip(headers, widths, justify, styles[0], strict=True):
        table.add_column(header, width=width, no_wrap=not fold, overflow="fold", justify=side)
    for cells_, style in zip(rows, styles[1], strict=True):
        table.add_row(*cells_, style=style)
    shown.print(table)
    return shown.file.getvalue(), widths


def tables(n: int, letters: str) -> st.SearchStrategy:
    cells = st.text(alphabet=letters, max_size=12)
    return st.tuples(
        st.lists(cells, min_size=n, max_size=n),
        st.lists(st.lists(cells, min_size=n, max_size=n), max_size=6),
        st.lists(st.sampled_from(["left", "right"]), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(st.sampled_from([None, "bold red", "dim", "yellow on blue", "bold"]), min_size=6, max_size=6),
    )


@settings(max_examples=400)
@given(st.tuples(st.integers(1, 5), st.sampled_from([LETTERS, ASCII])).flatmap(lambda drawn: tables(*drawn)),
       st.sampled_from([None, "standard", "256", "truecolor"]))
def test_boxed_text_is_richs_text(table, colours):
    headers, rows, justify, folds, row_styles = table
    styles = row_styles[:len(rows)]
    expected, widths = rich_text(headers, rows, justify, (folds, styles), colours)
    assume(min(widths) > 0)  # a column of zero cells is left to rich
    assume(not any(r[i][-1:].isspace() for r in [headers, *rows] for i, fold in enumerate(folds) if fold))  # likewise
    assert boxed_text(headers, rows, widths, justify, styles, painter(console(colours))) == expected


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


@pytest.mark.parametrize("colours", ["standard", "truecolor"])
def test_a_table_in_a_terminal_is_printed_as_rich_prints_it(monkeypatch, capsys, colours):
    """In a terminal with colour: bold heads, a row in its style, as rich prints them."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(output, "stdout", lambda: console(colours))
    monkeypatch.setattr(output, "pipe_width", lambda: None)
    rows = [["Payments primary", "Ana Okafor 漢字", "8"], ["Platform", "NOBODY (gap)", "12"]]
    table = Table([Column("Schedule", fold=True), Column("On call"), Column("Hours", justify="right")])
    table.add_row(*rows[0])
    table.add_row(*rows[1], style="bold red")
    table.print()
    expected, _ = rich_text(["Schedule", "On call", "Hours"], rows, ["left", "left", "right"],
                            ([True, False, False], [None, "bold red"]), colours)
    assert capsys.readouterr().out == expected and "\x1b[1;31m" in expected
