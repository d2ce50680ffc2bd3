"""Tables that fit the terminal, from 60 columns up, and never cut a cell short.

A table declares which columns matter least. To fit, it first folds the columns that may wrap
(at spaces, never narrower than their longest word), then drops optional columns in the order
they give (the least useful first) and tries again; when even its essential columns cannot fit,
each row is printed as a block of "Column: value" lines instead. Cells are never truncated with
an ellipsis, so a person's name is always readable in full.

Titles are printed as their own line, without the padding rich gives a table's title.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from rich.cells import cell_len
from rich.table import Table as RichTable

from oncall.cli import output


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

    def add_row(self, *cells: str, style: str | None = None) -> None:
        assert len(cells) == len(self.columns), "one cell per column"
        self.rows.append((list(cells), style))

    def print(self) -> None:
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
        cells = self._cells(index, folded)
        return max((max((cell_len(line) for line in cell.split("\n")), default=0) for cell in cells), default=0)

    def _least(self, index: int) -> int:
        column = self.columns[index]
        if column.folded is not None:
            return self._natural(index, folded=True)
        if not column.fold:
            return self._natural(index)
        words = max((cell_len(word) for cell in self._cells(index) for word in cell.split()), default=0)
        return min(max(words, column.least), self._natural(index))

    # --- printing -----------------------------------------------------------------------------

    def _print_boxed(self, layout: list[tuple[int, int]]) -> None:
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
