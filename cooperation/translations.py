"""The site in English and Bahasa Indonesia, with catalogues that need no GNU gettext.

Translations live in one `.po` catalogue per language,
`locale/<language>/LC_MESSAGES/django.po`, which Django's `makemessages` writes.
Django reads compiled `.mo` files: `compile_catalogues()` writes them with Babel, a
pure-Python library, so that `make run` on a machine without gettext serves both
languages. `messages_in()` finds the messages a source file asks to translate, the way
`makemessages` does, for the test that each of them has a translation.

    python -m cooperation.translations FILE...   # the messages in FILEs, as a .po skeleton
"""

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

BASE_DIR = Path(__file__).resolve().parent.parent
APPS = ("cooperation", "agreements", "meetings", "reading", "desk")
CATALOGUE_DIRS = (BASE_DIR / "locale",)
SOURCE_DIRS = (BASE_DIR / "templates", *(BASE_DIR / app for app in APPS))
TEMPLATE_SUFFIXES = {".html", ".txt"}

# The calls `makemessages` reads (xgettext's defaults and the ones Django adds), in
# Babel's notation: the position of the message, its plural and its context ("c").
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def catalogue_files(language, suffix=".po"):
    return [
        path
        for directory in CATALOGUE_DIRS
        for path in sorted((directory / language / "LC_MESSAGES").glob(f"*{suffix}"))
    ]


def compile_catalogues():
    """Write each `.po` file's `.mo` beside it, where it is missing or older; say which."""
    written = []
    for directory in CATALOGUE_DIRS:
        for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalogue = read_po(po_file)
            buffer = io.BytesIO()
            write_mo(buffer, catalogue)
            mo_path.write_bytes(buffer.getvalue())
            written.append(mo_path)
    return written


def read_catalogue(path):
    with Path(path).open("rb") as po_file:
        return read_po(po_file)


def source_files():
    for directory in SOURCE_DIRS:
        for path in sorted(directory.rglob("*")):
            if "migrations" in path.parts or "locale" in path.parts:
                continue
            if path.suffix == ".py" or path.suffix in TEMPLATE_SUFFIXES:
                yield path


def messages_in(path):
    """(context, message) for each message the file asks to translate.

    A message with a plural is (context, (singular, plural)). Templates are first turned
    into the Python-like text `makemessages` gives xgettext, by Django's own `templatize`.
    """
    from django.utils.translation.template import templatize

    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix in TEMPLATE_SUFFIXES:
        # Python-like, not Python: each message is a one-line literal, and the indentation
        # of the blanked-out markup around it, which Python's tokenizer would refuse, is
        # dropped (xgettext, which makemessages uses, ignores it).
        text = "\n".join(line.lstrip() for line in templatize(text, origin=str(path)).splitlines())
    found = extract(
        "python",
        io.BytesIO(text.encode("utf-8")),
        keywords=KEYWORDS,
        options={"encoding": "utf-8"},
        strip_comment_tags=True,
    )
    for _line, message, _comments, context in found:
        yield context, message


def translated_messages(catalogue_paths):
    """{(context, msgid)} of the messages the catalogues translate (not fuzzy, not empty)."""
    translated = set()
    for path in catalogue_paths:
        for message in read_catalogue(path):
            if not message.id or message.fuzzy:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if all(strings):
                key = message.id[0] if isinstance(message.id, tuple) else message.id
                translated.add((message.context, key))
    return translated


def untranslated(language, sources=None, catalogue_paths=None):
    """(path, context, message) for each message of ours the language has no translation for."""
    translated = translated_messages(
        catalogue_files(language) if catalogue_paths is None else catalogue_paths
    )
    missing = []
    for path in source_files() if sources is None else sources:
        for context, message in messages_in(path):
            key = message[0] if isinstance(message, tuple) else message
            if (context, key) not in translated:
                missing.append((path, context, key))
    return missing


def skeleton(paths):
    """A .po catalogue of the messages in paths, untranslated."""
    catalogue = Catalog(locale="id")
    for path in paths:
        for context, message in messages_in(path):
            catalogue.add(message, context=context, locations=[(str(path), 0)])
    buffer = io.BytesIO()
    write_po(buffer, catalogue, omit_header=True, include_lineno=False)
    return buffer.getvalue().decode("utf-8")


if __name__ == "__main__":
    sys.stdout.write(skeleton(sys.argv[1:]))
