"""The one way the site writes CSV: no cell of it can run as a spreadsheet formula.

Titles, names and actions are typed by people, and a spreadsheet runs a cell that
starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a formula:
`=HYPERLINK(...)` leaks what is beside it, `+cmd|' /C calc'!A0` starts a program.
Every CSV export goes through `csv_lines()`, which writes such a text with a single
quote before it, as OWASP advises ("CSV injection"). Whether a cell is text or a
number is told by its value's type, not guessed from its look: the numbers the site
writes (ids, day counts, negative ones too) stay numbers, and a text that reads
`-5` is still text.
"""

import csv
import numbers

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Lines:
    """Hands back what the csv writer writes, so that each row becomes a line to stream."""

    def write(self, line):
        return line


def partial_date_headings(name):
    """The three columns partial_date_cells() writes for `name`."""
    return [name, f"{name}_first", f"{name}_last"]


def partial_date_cells(name, date):
    """A PartialDate as every export writes it: as written under `name` ("2011"), and
    the first and last day it can mean, ISO, under `<name>_first` and `<name>_last`.

    Never one made-up day: "2011" is 2011-01-01 to 2011-12-31, not either of them.
    An unknown date (None) is written empty, its days None.
    """
    return {
        name: date.iso if date else "",
        f"{name}_first": date.first.isoformat() if date else None,
        f"{name}_last": date.last.isoformat() if date else None,
    }


def csv_lines(header, rows):
    """The lines of a CSV file: `header`, then each of `rows` (a sequence of cells).

    A cell is a text, a number or None (written empty); anything else is refused
    rather than written as its str(), which nothing here would have checked. Texts
    are always quoted, so that a spreadsheet whose list separator is `;` cannot split
    one into a new cell that starts with `=`; numbers are not, and stay numbers.
    """
    writer = csv.writer(_Lines(), quoting=csv.QUOTE_NONNUMERIC)
    yield writer.writerow(_cells(header))
    for row in rows:
        yield writer.writerow(_cells(row))


def _cells(row):
    # Texts are tested inline, not through a call for each cell: an export writes
    # thousands of rows a second, and the call would cost as much as the writing.
    return [
        ("'" + cell if cell.startswith(FORMULA_STARTS) else cell)
        if isinstance(cell, str)
        else _number(cell)
        for cell in row
    ]


def _number(cell):
    if cell is None:
        return ""
    if isinstance(cell, numbers.Number):
        return cell
    raise TypeError(f"A CSV cell is a text or a number, not {type(cell).__name__}.")
