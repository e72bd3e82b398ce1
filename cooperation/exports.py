"""The one way the site writes CSV: no cell of it can run as a spreadsheet formula.

Titles, names and actions are typed by people, and a spreadsheet runs a cell that
starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a formula:
`=HYPERLINK(...)` leaks what is beside it, `+cmd|' /C calc'!A0` starts a program.
Every CSV export goes through `csv_lines()`, which writes such a text with a single
quote before it, as OWASP advises ("CSV injection"). Whether a cell is text or a
number is told by its value's type, not guessed from its look: the numbers the site
writes (ids, day counts, negative ones too) stay numbers, and a text that reads
`-5` is still text. An Excel workbook (xlsx_file()) needs no quote: each of its texts
is typed as a text, which Excel never runs.

Every list page's exports, CSV and Excel alike, are written from one list of Columns
by export(); see the example below.
"""

import csv
import datetime
import numbers
import tempfile
from collections.abc import Callable
from typing import Any, NamedTuple

from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cooperation.partial_dates import PartialDate

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Lines:
    """Hands back what the csv writer writes, so that each row becomes a line to stream."""

    def write(self, line):
        return line


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


# Exports of a list page: one list of columns, written as CSV or as an Excel workbook.
#
#     columns = [
#         exports.Column("Meeting", lambda meeting: meeting.title),
#         exports.link_column(request),  # its get_absolute_url(), as an absolute address
#         *exports.partial_date_columns(
#             _("Date"), lambda meeting: meeting.date,
#             first=_("Date: first day"), last=_("Date: last day"),
#         ),
#     ]
#     output = exports.asked_format(request)  # "csv", "xlsx", or "html" when none is asked
#     if output not in exports.FORMATS:
#         return exports.no_such_format(output, exports.FORMATS)
#     return exports.export(meetings, columns, output, "meetings-2013-08-20")
#
# A column's value is a text, a number, a bool (written "yes" or "no"), a
# datetime.date, a PartialDate, a Link, or None (an empty cell). For a workbook of
# rows that could be many, ask too_many_rows(count, output) first.
#
# Headings are in the language of the request: pass them translated, with gettext() or
# gettext_lazy(); a CSV file is written in that language however late it streams out.
# A PartialDate's first and last day columns are named by whole messages, as word order
# differs between languages.

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Excel tells a UTF-8 CSV from one in the machine's own code page by this mark alone:
# without it, "Hôtel" and "—" come out garbled.
BYTE_ORDER_MARK = "\ufeff"
# Rows a workbook holds at most: it is built whole before it is sent (CSV streams any number).
XLSX_MAX_ROWS = 20_000
# Excel counts days from 1900: a day before cannot be a date cell.
EXCEL_FIRST_DAY = datetime.date(1900, 1, 1)


class Column(NamedTuple):
    """One column of an export: its heading, and how to read its cell from a row."""

    heading: str  # or a lazy translation, read when the file is written
    value: Callable[[Any], Any]


class Link(str):
    """A web address: a text in a CSV file, a link a workbook's reader can click."""


LINK = _("Link")


def link_column(request, heading=LINK, path=lambda row: row.get_absolute_url()):
    """Each row's page (`path(row)`, its get_absolute_url() unless told), as an address
    that works outside the site: request.build_absolute_uri() of the site's root, once."""
    root = request.build_absolute_uri("/").removesuffix("/")
    return Column(heading, lambda row: Link(root + path(row)))


# Stands for a row's key in an address reversed once: a number, and a slug too.
KEY_MARK = "1234567890123"


def page_of(view_name, key=lambda row: row.pk):
    """A `path` for link_column(): the view `view_name` of each row's `key(row)`.

    Reversed once, then the key written into it for each row: reverse() for each of
    10,000 rows would cost more than the rest of the row.
    """
    before, after = reverse(view_name, args=[KEY_MARK]).split(KEY_MARK, 1)
    return lambda row: f"{before}{key(row)}{after}"


def partial_date_columns(heading, value, *, first, last):
    """The three columns of a PartialDate (from `value(row)`): as written ("2011"), and
    the first and last day it can mean, never one made-up day of it. `first` and `last`
    name the day columns, translated whole ("Start: first day").
    """

    def first_day(row):
        date = value(row)
        return date.first if date else None

    def last_day(row):
        date = value(row)
        return date.last if date else None

    return [
        Column(heading, value),
        Column(first, first_day),
        Column(last, last_day),
    ]


def asked_format(request, default="html"):
    """The format the URL asks for (`?format=`), in any case: "CSV" is "csv"; `default`
    when it asks for none."""
    return request.GET.get("format", "").strip().lower() or default


def no_such_format(asked, formats):
    """The answer to a page asked for a format it has no export in: 400, saying which it has."""
    offered = ", ".join(f"format={name}" for name in formats)
    return HttpResponseBadRequest(
        gettext("There is no “%(asked)s” export of this page. Ask for one of: %(offered)s.")
        % {"asked": asked, "offered": offered},
        content_type="text/plain; charset=utf-8",
    )


def export(rows, columns, output, name):
    """The response that sends `rows` (any iterable, read once) as a file `name`.`output`
    ("csv" or "xlsx") of `columns`: CSV streamed as the rows come, a workbook once built.
    """
    if output == "csv":
        response = StreamingHttpResponse(
            in_language(translation.get_language(), csv_table(columns, rows)),
            content_type=CONTENT_TYPES["csv"],
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if output == "xlsx":
        return FileResponse(
            xlsx_file(columns, rows),
            as_attachment=True,
            filename=f"{name}.xlsx",
            content_type=CONTENT_TYPES["xlsx"],
        )
    raise ValueError(f"No export writes {output!r}.")


def too_many_rows(count, output):
    """The answer when a workbook would hold more rows than it can be built with, or None."""
    if output != "xlsx" or count <= XLSX_MAX_ROWS:
        return None
    return HttpResponseBadRequest(
        gettext(
            "These are %(count)s rows; a workbook holds %(most)s at most. "
            "Narrow the filters, or ask for format=csv, which has no limit."
        )
        % {
            "count": number_format(count, force_grouping=True),
            "most": number_format(XLSX_MAX_ROWS, force_grouping=True),
        },
        content_type="text/plain; charset=utf-8",
    )


def in_language(language, lines):
    """The lines in batches, written in `language` whenever the server sends them."""
    with translation.override(language):
        yield from in_batches(lines)


def in_batches(lines, size=100):
    """Join lines `size` at a time: a response chunk per row costs more than the row."""
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def yes_and_no():
    """How a file writes a bool: {True: "yes", False: "no"}, in the active language."""
    return {True: gettext("yes"), False: gettext("no")}


def csv_table(columns, rows):
    """The lines of the CSV file of `columns`, each of `rows` a line, marked as UTF-8,
    in the active language."""
    words = yes_and_no()
    lines = csv_lines(
        [str(column.heading) for column in columns],
        ([_csv_value(column.value(row), words) for column in columns] for row in rows),
    )
    yield BYTE_ORDER_MARK + next(lines)
    yield from lines


def _csv_value(value, words):
    if isinstance(value, bool):
        return words[value]
    if isinstance(value, PartialDate):
        return value.iso
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def xlsx_file(columns, rows):
    """A workbook of one sheet, `columns` by `rows`, in a temporary file to send.

    Written in openpyxl's write-only mode, which keeps rows on disk rather than in
    memory. Every text is written as a text, so none can run as a formula.
    """
    headings = [str(column.heading) for column in columns]
    words = yes_and_no()
    workbook = Workbook(write_only=True)
    # Translators: the name of the one sheet of an exported workbook.
    sheet = workbook.create_sheet(gettext("Export"))
    sheet.freeze_panes = "A2"
    for number, heading in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = max(
            12, min(len(heading) + 4, 40)
        )
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, heading, words, font=bold) for heading in headings])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, column.value(row), words) for column in columns])
    kept = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    workbook.save(kept)
    kept.seek(0)
    return kept


def _xlsx_cell(sheet, value, words, font=None):
    if value is None or isinstance(value, numbers.Number) and not isinstance(value, bool):
        return value
    if isinstance(value, PartialDate):
        # Known to the day: a date. "2011" or "2013-08" are no one day: a text, with the
        # first and last day it can mean in the columns beside it.
        value = value.first if value.precision == PartialDate.Precision.DAY else value.iso
    if isinstance(value, datetime.date) and value >= EXCEL_FIRST_DAY:
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, bool):
        value = words[value]
    elif isinstance(value, datetime.date):
        value = value.isoformat()
    elif not isinstance(value, str):
        raise TypeError(f"A cell is a text, a number or a date, not {type(value).__name__}.")
    text = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XML cannot hold
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"  # never a formula, whatever it starts with
    if isinstance(value, Link):
        cell.hyperlink = text
    if font:
        cell.font = font
    return cell
