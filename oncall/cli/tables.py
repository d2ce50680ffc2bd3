"""Tables that fit the terminal, from 60 columns up, and never cut a cell short.

A table declares which columns matter least. To fit, it first folds the columns that may wrap
(at spaces, never narrower than their longest word), then drops optional columns in the order
they give (the least useful first) and tries again; when even its essential columns cannot fit,
each row is printed as a block of "Column: value" lines instead. Cells are never truncated with
an ellipsis, so a person's name is always readable in full.

Titles are printed as their own line, without the padding rich gives a table's title.

A boxed table whose cells all fit their columns unfolded, printed without colour, is written out
by ``boxed_text`` rather than by rich: the same text (the tests compare the two), at a fraction
of the cost for thousands of rows (``oncall whois now`` at 3,000 schedules, docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from rich.cells import cell_len

if TYPE_CHECKING:
    from rich.console import Console

from oncall.cli import output

# The lines of rich's default box (HEAVY_HEAD): left, fill, between columns, right.
_TOP, _HEAD, _BELOW_HEAD, _ROW, _BOTTOM = "┏━┳┓", "┃ ┃┃", "┡━╇┩", "│ ││", "└─┴┘"


@dataclass(frozen=True)
class Column:
    header: str
    drop: int = 0  # 0: always shown; 1, 2...: dropped in this order when the table does not fit
    fold: bool = False  # may wrap at spaces (never narrower than its longest word)
    least: int = 0  # nor narrower than this: the longest name at the start of its cells, say
    squeeze: int = 0  # folding narrows the columns with the highest squeeze first
    folded: Callable[[str], str] | None = None  # instead of wrapping: a cell's folded form, on several lines
    justify: Literal["left", "right"] = "left"


@dataclass
class Table:
    """A table to print on stdout: ``add_row`` with text cells, then ``print``."""

    columns: list[Column]
    title: str | None = None
    plain: bool = False  # no borders: columns separated by two spaces, for listings
    rows: list[tuple[list[str], str | None]] = field(default_factory=list)
    _widths: dict[tuple[int, bool], int] = field(default_factory=dict, init=False, repr=False)  # _natural's

    def add_row(self, *cells: str, style: str | None = None) -> None:
        assert len(cells) == len(self.columns), "one cell per column"
        self.rows.append((list(cells), style))
        self._widths.clear()

    def print(self) -> None:
        if self._print_to_pipe():
            return
        if self.title:
            for title_line in self.title.split("\n"):
                output.line(title_line)
        layout = self.layout(output.stdout().width)
        if layout is None:
            self._print_stacked()
        elif self.plain:
            self._print_plain(layout)
        else:
            self._print_boxed(layout)

    # --- layout ------------------------------------------------------------------------------

    def layout(self, width: int) -> list[tuple[int, int]] | None:
        """(column index, width) of the columns shown at ``width``, or None to stack the rows."""
        shown = list(range(len(self.columns)))
        optional = sorted((i for i, c in enumerate(self.columns) if c.drop), key=lambda i: self.columns[i].drop)
        while True:
            widths = self._fit(shown, width)
            if widths is not None:
                return list(zip(shown, widths, strict=True))
            if not optional:
                return None
            shown.remove(optional.pop(0))

    def _fit(self, shown: list[int], width: int) -> list[int] | None:
        room = width - self._overhead(len(shown))
        natural = [self._natural(i) for i in shown]
        if sum(natural) <= room:
            return natural
        least = [self._least(i) for i in shown]
        if sum(least) > room:
            return None
        widths = list(natural)
        squeeze = [self.columns[i].squeeze for i in shown]
        while sum(widths) > room:  # narrow the widest of the first columns to squeeze that can still fold
            slack = [(squeeze[k], w, k) for k, (w, m) in enumerate(zip(widths, least, strict=True)) if w > m]
            _, _, k = max(slack)
            widths[k] = least[k] if self.columns[shown[k]].folded else widths[k] - 1
        return widths

    def _overhead(self, count: int) -> int:
        return 2 * (count - 1) if self.plain else 3 * count + 1

    def _cells(self, index: int, folded: bool = False) -> list[str]:
        column = self.columns[index]
        cells = [cells[index] for cells, _ in self.rows]
        if folded and column.folded is not None:
            cells = [column.folded(cell) for cell in cells]
        return [column.header] + cells

    def _natural(self, index: int, folded: bool = False) -> int:
        if (index, folded) not in self._widths:
            lines = "\n".join(self._cells(index, folded)).split("\n")
            self._widths[index, folded] = max(map(len if _plain(lines) else cell_len, lines))
        return self._widths[index, folded]

    def _least(self, index: int) -> int:
        column = self.columns[index]
        if column.folded is not None:
            return self._natural(index, folded=True)
        if not column.fold:
            return self._natural(index)
        words = max((cell_len(word) for cell in self._cells(index) for word in cell.split()), default=0)
        return min(max(words, column.least), self._natural(index))

    # --- printing -----------------------------------------------------------------------------

    def _print_to_pipe(self) -> bool:
        """Print a boxed table to a pipe or a file without rich, when it is the text rich would
        print: its title lines printable ASCII that fit the width (rich prints them as they
        are), its cells unfolded (``_unfolded``). False, having printed nothing, otherwise."""
        width = output.pipe_width()
        if width is None or self.plain:
            return False
        titles = self.title.split("\n") if self.title else []
        if not all(_plain([line]) and len(line) <= width and line == line.rstrip() for line in titles):
            return False
        layout = self.layout(width)
        if layout is None or not self._unfolded(layout):
            return False
        output.write_text("".join(line + "\n" for line in titles) + self._boxed_text(layout))
        return True

    def _unfolded(self, layout: list[tuple[int, int]]) -> bool:
        """Whether ``boxed_text`` prints this table at ``layout`` as rich does: every column at its
        natural width (no cell folded), of at least one cell, and no cell of a column that may
        wrap ending in whitespace (rich's wrapping may crop it)."""
        return (all(0 < width == self._natural(i) for i, width in layout)
                and not any(cell[-1:].isspace() for i, _ in layout if self.columns[i].fold for cell in self._cells(i)))

    def _boxed_text(self, layout: list[tuple[int, int]], paint: Callable[[str, str], str] | None = None) -> str:
        columns = [self.columns[i] for i, _ in layout]
        return boxed_text([c.header for c in columns], [[cells[i] for i, _ in layout] for cells, _ in self.rows],
                          [width for _, width in layout], [c.justify for c in columns],
                          [style for _, style in self.rows], paint)

    def _print_boxed(self, layout: list[tuple[int, int]]) -> None:
        console = output.stdout()
        if self._unfolded(layout):
            output.write_text(self._boxed_text(layout, painter(console)))
            return
        from rich.table import Table as RichTable

        table = RichTable()
        folded = []
        for index, width in layout:
            column = self.columns[index]
            folded.append(column.folded if column.folded is not None and width < self._natural(index) else None)
            table.add_column(column.header, width=width, no_wrap=not column.fold, overflow="fold",
                             justify=column.justify)
        for cells, style in self.rows:
            table.add_row(*(fold(cells[index]) if fold else cells[index]
                            for (index, _), fold in zip(layout, folded, strict=True)), style=style)
        output.stdout().print(table)

    def _print_plain(self, layout: list[tuple[int, int]]) -> None:
        lines = []
        for cells in [[c.header for c in self.columns]] + [cells for cells, _ in self.rows]:
            parts = []
            for index, width in layout:
                text = cells[index]
                pad = " " * (width - cell_len(text))
                parts.append(pad + text if self.columns[index].justify == "right" else text + pad)
            lines.append("  ".join(parts).rstrip())
        output.write_text("".join(line + "\n" for line in lines))

    def _print_stacked(self) -> None:
        label = max(cell_len(c.header) for c in self.columns[1:]) if len(self.columns) > 1 else 0
        for cells, style in self.rows:
            output.line(cells[0], style=style or "bold")
            for column, cell in zip(self.columns[1:], cells[1:], strict=True):
                if cell:
                    output.line(f"  {column.header + ':':<{label + 1}} {cell}", style=style, indent=label + 4)


def painter(console: Console) -> Callable[[str, str], str] | None:
    """How ``console`` writes a text in a style (a style's name in its theme, or a definition):
    None when it writes no colour."""
    if console.color_system is None:
        return None
    from rich.console import COLOR_SYSTEMS

    system = COLOR_SYSTEMS[console.color_system]
    return lambda text, style: console.get_style(style).render(text, color_system=system)


def _plain(texts: list[str]) -> bool:
    """Whether ``texts`` are all printable ASCII: one terminal cell per character."""
    joined = "".join(texts)
    return joined.isascii() and joined.isprintable()


def boxed_text(headers: list[str], rows: list[list[str]], widths: list[int],
               justify: list[Literal["left", "right"]], styles: list[str | None] | None = None,
               paint: Callable[[str, str], str] | None = None) -> str:
    """The text rich prints for a table of one-line cells that each fit their column's width (of
    at least one cell; in a column that may wrap, ending in no whitespace, which rich's wrapping
    may crop): the box, a space either side of each cell, each cell padded to its width. With
    ``paint`` (a terminal's colours: a text in a style, as rich writes it), the heads are bold and
    a row of ``styles`` is in its style, each cell's spaces and text painted as rich paints them.
    (Unstyled rows of printable ASCII are formatted a row at a time by one format string.)"""
    right = [i for i, side in enumerate(justify) if side == "right"]
    if right:  # as rich justifies to the right
        rows = [[cell.rstrip() if i in right else cell for i, cell in enumerate(cells)] for cells in rows]
        headers = [cell.rstrip() if i in right else cell for i, cell in enumerate(headers)]
    styles = styles or [None] * len(rows)

    def rule(chars: str) -> str:
        return chars[0] + chars[2].join(chars[1] * (w + 2) for w in widths) + chars[3] + "\n"

    def line(chars: str, cells: list[str], style: str | None = None) -> str:
        padded = []
        for text, width, side in zip(cells, widths, justify, strict=True):
            pad = " " * (width - cell_len(text))
            content = pad + text if side == "right" else text + pad
            padded.append(paint(" ", style) + paint(content, style) + paint(" ", style) if paint and style
                          else f" {content} ")
        return chars[0] + chars[2].join(padded) + chars[3] + "\n"

    row = _ROW[0] + _ROW[2].join(f" {{:{'>' if side == 'right' else '<'}{width}}} "
                                 for width, side in zip(widths, justify, strict=True)) + _ROW[3] + "\n"
    body = [row.format(*cells) if not (paint and style) and _plain(cells) else line(_ROW, cells, style)
            for cells, style in zip(rows, styles, strict=True)]
    return "".join([rule(_TOP), line(_HEAD, headers, "table.header"), rule(_BELOW_HEAD), *body, rule(_BOTTOM)])
