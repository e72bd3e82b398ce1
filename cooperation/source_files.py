"""A source's text, taken from the file it came in: plain text, Word (.docx) or PDF.

The formats are read by maintained libraries (python-docx, pypdf). What is here checks
that a file is what its name says, and turns each way a file can fail (too big, of
another kind, damaged, protected by a password, a scan with no text) into a message
for the person who uploaded it.
"""

import codecs
import io
import logging
import zipfile
from pathlib import PurePosixPath

import docx
import pypdf
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from docx.table import Table
from pypdf.errors import DependencyError, FileNotDecryptedError

MAX_SIZE = 20 * 1024 * 1024
# What a .docx may unpack to: a zip of a few megabytes can hold gigabytes of XML.
MAX_UNPACKED_SIZE = 200 * 1024 * 1024
# How files of other kinds begin: a file named .txt that begins so is not text.
PDF_HEADER = b"%PDF-"
ZIP_HEADER = b"PK\x03\x04"
OLD_WORD_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls: Office before 2007

logger = logging.getLogger(__name__)


def text_of(upload):
    """The text of `upload`, a Django File with the name it was sent with.

    Raises ValidationError saying why when it has none: not a .txt, .docx or .pdf file,
    bigger than MAX_SIZE, not of the kind its name says, damaged, protected by a
    password, or without any text (a scanned PDF).
    """
    name = PurePosixPath(upload.name.replace("\\", "/")).name
    reader = READERS.get(PurePosixPath(name).suffix.lower())
    if reader is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a .txt, .docx or .pdf file: upload one of those, "
                "or paste the text."
            )
            % {"name": name},
            code="file_kind",
        )
    if upload.size > MAX_SIZE:
        raise ValidationError(
            _("“%(name)s” is %(size)s: a file can be %(max_size)s at most. Paste its text instead.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "max_size": filesizeformat(MAX_SIZE),
            },
            code="file_size",
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)  # so that the file is stored whole
    # PostgreSQL refuses text with a null character in it; a PDF's text can hold one.
    text = reader(name, content).replace("\x00", "").replace("\r\n", "\n").strip()
    if not text:
        if name.lower().endswith(".pdf"):
            message = _(
                "“%(name)s” has no text in it that can be read: it may be a scanned image. "
                "Paste its text instead."
            )
        else:
            message = _("“%(name)s” has no text in it.")
        raise ValidationError(message % {"name": name}, code="file_without_text")
    return text


def plain_text(name, content):
    """A .txt file's text: UTF-8 (with or without a byte order mark), UTF-16 with one,
    or else Windows-1252, which Windows editors long saved by default."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise ValidationError(
                _("“%(name)s” is not readable text: it says it is UTF-16 but is not.")
                % {"name": name},
                code="file_not_text",
            ) from None
    named = {
        PDF_HEADER: _(
            "“%(name)s” is a PDF file, not plain text: give it the right name "
            "(.pdf, .docx) and upload it again."
        ),
        ZIP_HEADER: _(
            "“%(name)s” is a Word (.docx) or other zip file, not plain text: give it the right "
            "name (.pdf, .docx) and upload it again."
        ),
    }
    for header, message in named.items():
        if content.startswith(header):
            raise ValidationError(message % {"name": name}, code="file_kind_mismatch")
    if b"\x00" in content:
        raise ValidationError(
            _("“%(name)s” is not plain text: it holds binary data.") % {"name": name},
            code="file_not_text",
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("“%(name)s” is not readable text: save it as UTF-8 and upload it again.")
        % {"name": name},
        code="file_not_text",
    )


def word_text(name, content):
    """A .docx file's text: its paragraphs and the text of its tables' cells, one a
    line, in the order they come in the document."""
    if content.startswith(OLD_WORD_HEADER):
        raise ValidationError(
            _(
                "“%(name)s” is an older Word (.doc) file: save it as .docx in Word and upload "
                "that, or paste its text."
            )
            % {"name": name},
            code="file_kind_mismatch",
        )
    damaged = ValidationError(
        _(
            "“%(name)s” could not be read as a Word document: it may be damaged, or not a "
            ".docx file. Open it in Word and save it as .docx again, or paste its text."
        )
        % {"name": name},
        code="file_damaged",
    )
    if not content.startswith(ZIP_HEADER):
        raise damaged  # a .docx is a zip archive
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise damaged from None
    if unpacked > MAX_UNPACKED_SIZE:
        raise ValidationError(
            _("“%(name)s” unpacks to %(size)s, more than a document holds: paste its text instead.")
            % {"name": name, "size": filesizeformat(unpacked)},
            code="file_size",
        )
    try:
        document = docx.Document(io.BytesIO(content))
        return "\n".join(_blocks_text(document))
    # A damaged file fails in the library in many ways (a missing part, bad XML, a
    # broken zip member), none of which is ours to tell apart.
    except Exception:
        logger.info("Unreadable .docx uploaded: %s", name, exc_info=True)
        raise damaged from None


def _blocks_text(container):
    """The lines of text of a document or a table cell: paragraphs and tables in order."""
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            yield from _table_text(block)
        else:
            yield block.text


def _table_text(table):
    """The lines of text of a table's cells, row by row, blank ones left out."""
    seen = set()
    for row in table.rows:
        for cell in row.cells:
            # A merged cell comes once for each column and row it spans: read it once.
            # python-docx gives each its own _Cell, on the same <w:tc> element.
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            yield from (line for line in _blocks_text(cell) if line.strip())


def pdf_text(name, content):
    """A PDF's text: each page's, pages apart by a blank line. A PDF that only
    restricts printing or copying (no password to open it) is read too."""
    if PDF_HEADER not in content[:1024]:
        raise ValidationError(
            _("“%(name)s” is not a PDF file: check that it is the file you meant to upload.")
            % {"name": name},
            code="file_kind_mismatch",
        )
    try:
        reader = pypdf.PdfReader(io.BytesIO(content))
        pages = reader.pages
        if len(pages) == 0:
            raise ValueError("no pages")
        return "\n\n".join(page.extract_text() or "" for page in pages)
    except (FileNotDecryptedError, DependencyError):
        # DependencyError: encrypted with AES, which pypdf decrypts only with the
        # cryptography package, not installed.
        raise ValidationError(
            _(
                "“%(name)s” is encrypted or protected by a password: save a copy without a "
                "password or encryption, or paste its text."
            )
            % {"name": name},
            code="file_encrypted",
        ) from None
    # As for Word documents: a damaged PDF fails in pypdf in many ways.
    except Exception:
        logger.info("Unreadable PDF uploaded: %s", name, exc_info=True)
        raise ValidationError(
            _(
                "“%(name)s” could not be read as a PDF: it may be damaged. Open it and save "
                "it again as PDF, or paste its text."
            )
            % {"name": name},
            code="file_damaged",
        ) from None


READERS = {".txt": plain_text, ".docx": word_text, ".pdf": pdf_text}
