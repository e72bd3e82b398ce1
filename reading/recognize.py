"""Reading a source as staff do: its sentences, the names and dates recognized in them,
and which of them are already cited.

Names are found with an Aho-Corasick automaton (pyahocorasick), which finds every one of
thousands of names in one pass over the text; dates are found by the shapes reports
write them in and read by dateparser, which knows the month names and orders of many
languages (English and Bahasa Indonesia here) and says whether a day, a month or only a
year was given.
"""

import re
from dataclasses import dataclass, field
from functools import cache

import ahocorasick
from dateparser.date import DateDataParser

from cooperation.models import Country, Organization, Person, Topic
from cooperation.partial_dates import PartialDate

# --- Sentences ------------------------------------------------------------------------

# Words that end with a full stop without ending a sentence ("Mr. Xinfeng", "the U.S.
# and ASEAN"). Compared without their last full stop, in lower case.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "h.e", "hon", "amb", "gen", "col", "capt", "lt",
    "st", "no", "nos", "vs", "e.g", "i.e", "etc", "cf", "jr", "sr", "inc", "ltd", "co",
    "u.s", "u.k", "u.n", "u.s.a", "p.m", "a.m", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "bpk", "ibu", "drs", "ir",
}  # fmt: skip

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A full stop, question or exclamation mark (closing quotes or brackets may follow), then
# space, then what can start a sentence.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)\.?$")


def sentence_spans(text):
    """(start, end) of each sentence of `text`, without the space around it. A blank
    line always ends one: a title or a heading is a sentence of its own."""
    spans = []
    for paragraph in _spans_between(text, _PARAGRAPH_BREAK):
        start = paragraph[0]
        for end in _sentence_ends(text, *paragraph):
            spans.append((start, end))
            start = end
        spans.append((start, paragraph[1]))
    return [trimmed for span in spans if (trimmed := _trim(text, *span))]


def _spans_between(text, separator):
    start = 0
    for match in separator.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _sentence_ends(text, start, end):
    for match in _SENTENCE_END.finditer(text, start, end):
        before = _WORD_BEFORE.search(text, start, match.start() + 1)
        word = before.group(1).lower().rstrip(".") if before else ""
        if text[match.start()] == "." and (word in ABBREVIATIONS or len(word) == 1):
            continue  # "Mr. Xinfeng", "J. Smith"
        yield match.end()


def _trim(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


# --- Dates ----------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary|uari)?|feb(?:ruary|ruari)?|mar(?:ch)?|maret|apr(?:il)?|may|mei|"
    r"june?|juni|july?|juli|aug(?:ust)?|agustus|sept?(?:ember)?|oct(?:ober)?|okt(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?|des(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d\d"
_DATE = re.compile(
    r"(?<![\w/.-])(?:"
    rf"(?P<iso>{_YEAR}-\d\d(?:-\d\d)?)"
    rf"|\d{{1,2}}[/.]\d{{1,2}}[/.]{_YEAR}"
    rf"|{_MONTH}\s+{_DAY},?\s+{_YEAR}"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"
    rf"|{_MONTH},?\s+(?:of\s+)?{_YEAR}"
    rf"|{_YEAR}"
    r")(?![\w/-])",
    re.IGNORECASE,
)


@cache
def _date_parser():
    # Day before month in numbers (20/08/2013), as embassies write them; only absolute
    # dates: "11 years ago" is not a date a record can be given.
    return DateDataParser(
        languages=["en", "id"],
        settings={"DATE_ORDER": "DMY", "PARSERS": ["custom-formats", "absolute-time"]},
    )


def date_meant(expression):
    """The partial date a date expression means ("in 2011" → 2011, "August 20th, 2013"
    → 2013-08-20), or None when it means no date."""
    if re.fullmatch(rf"{_YEAR}(?:-\d\d(?:-\d\d)?)?", expression):
        try:
            return PartialDate.parse(expression)
        except Exception:
            return None
    data = _date_parser().get_date_data(expression)
    if data.date_obj is None:
        return None
    day = data.date_obj
    if data.period == "year":
        return PartialDate(day.year)
    if data.period == "month":
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


def find_dates(text):
    """A Mention for each date expression in `text` that means a date."""
    mentions = []
    for match in _DATE.finditer(text):
        meant = date_meant(match.group())
        if meant is not None:
            mentions.append(Mention(match.start(), match.end(), "date", date=meant))
    return mentions


# --- Names ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A stretch of a text, text[start:end], that names a record or a date."""

    start: int
    end: int
    kind: str  # "organization", "person", "country", "topic" or "date"
    record: object = None
    date: PartialDate | None = None

    def overlaps(self, other):
        return self.start < other.end and other.start < self.end


def _fold(text):
    """`text` compared without case, with any space or apostrophe alike; the same length
    as `text`, so that a place in one is the same place in the other."""
    folded = []
    for char in text:
        if char.isspace():
            char = " "
        elif char in "’‘`":
            char = "'"
        elif char in "‐‑–—":
            char = "-"
        lower = char.lower()
        folded.append(lower if len(lower) == 1 else char)
    return "".join(folded)


def _is_acronym(name):
    """Names written in capitals ("SCO", "US") are matched as written: "us" is no country."""
    letters = [char for char in name if char.isalpha()]
    return bool(letters) and all(char.isupper() for char in letters) and len(name) <= 12


class Names:
    """Every name the records go by, found in a text in one pass."""

    def __init__(self, named):
        """`named`: (name, kind, record) for every name of every record."""
        self._automaton = ahocorasick.Automaton()
        for name, kind, record in named:
            name = " ".join(name.split())
            key = _fold(name)
            if len(key.strip()) < 2:
                continue
            length, entries = self._automaton.get(key, (len(key), []))
            entries.append((kind, record, name if _is_acronym(name) else None))
            self._automaton.add_word(key, (length, entries))
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    @classmethod
    def of_records(cls):
        """The names of every organization (and its other names and acronym), person (and
        every spelling recorded), country (and its usual names) and topic."""
        named = []
        for organization in Organization.objects.prefetch_related("other_names"):
            named.append((organization.name, "organization", organization))
            if organization.acronym:
                named.append((organization.acronym, "organization", organization))
            for other in organization.other_names.all():
                named.append((other.name, "organization", organization))
        for person in Person.objects.all():
            for name in [person.name, *person.other_names.splitlines()]:
                named.append((name, "person", person))
        for country in Country.objects.all():
            for name in [country.name, country.official_name, *country.usual_names()]:
                if name:
                    named.append((name, "country", country))
        for topic in Topic.objects.all():
            named.append((topic.name, "topic", topic))
        return cls(named)

    def find(self, text):
        """A Mention for each name in `text`, whole words only; where names overlap the
        longest wins ("RATS-SCO", not "SCO" inside it). A name several records share
        gives a Mention of each."""
        if self._empty:
            return []
        folded = _fold(text)
        found = []
        for last, (length, entries) in self._automaton.iter(folded):
            start, end = last + 1 - length, last + 1
            if not _whole_words(folded, start, end):
                continue
            for kind, record, as_written in entries:
                if as_written and text[start:end] != as_written:
                    continue
                found.append(Mention(start, end, kind, record))
        return _longest_first(found)


def _whole_words(folded, start, end):
    before = folded[start - 1] if start > 0 else " "
    after = folded[end] if end < len(folded) else " "
    return not before.isalnum() and not after.isalnum()


def _longest_first(mentions):
    """The mentions that no longer one overlaps (several of the same stretch are kept)."""
    kept = []
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if all(
            not mention.overlaps(other) or (mention.start, mention.end) == (other.start, other.end)
            for other in kept
        ):
            kept.append(mention)
    unique = {(m.start, m.end, m.kind, getattr(m.record, "pk", None)): m for m in kept}
    return sorted(unique.values(), key=lambda m: (m.start, m.kind))


# --- A source, read -------------------------------------------------------------------


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    source_text: str = field(repr=False, default="")
    mentions: list = field(default_factory=list)
    citations: list = field(default_factory=list)

    @property
    def passage(self):
        """The sentence as a passage to quote: its words, single-spaced."""
        return " ".join(self.text.split())

    def parts(self):
        """The sentence as (text, mention or None) pieces, for marking its mentions."""
        pieces, at = [], self.start
        for mention in self.mentions:
            if mention.start < at:
                continue  # a second record named by the same words
            if mention.start > at:
                pieces.append((self.source_text[at : mention.start], None))
            pieces.append((self.source_text[mention.start : mention.end], mention))
            at = mention.end
        if at < self.end:
            pieces.append((self.source_text[at : self.end], None))
        return pieces

    def recognized(self):
        """(words, mention) for each different thing the sentence names, in order: a
        name repeated in it is listed once."""
        seen, listed = set(), []
        for text, mention in self.parts():
            if mention is None:
                continue
            key = (mention.kind, getattr(mention.record, "pk", None), mention.date)
            if key not in seen:
                seen.add(key)
                listed.append((text, mention))
        return listed

    def mentioned(self, kind):
        """The distinct records of `kind` the sentence names, in order of mention."""
        records = {}
        for mention in self.mentions:
            if mention.kind == kind:
                records.setdefault(mention.record.pk, mention.record)
        return list(records.values())

    def dates(self):
        return [mention.date for mention in self.mentions if mention.kind == "date"]


def passage_spans(text, passage):
    """Where `passage` occurs in `text` ((start, end) each), spaces compared loosely, as
    Source.contains_passage compares them."""
    words = passage.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    return [(match.start(), match.end()) for match in pattern.finditer(text)]


class Reading:
    """A source's text as sentences, each with what it names and what cites it."""

    def __init__(self, source, names, citations):
        text = source.text
        mentions = names.find(text) + find_dates(text)
        mentions.sort(key=lambda m: (m.start, m.kind))
        self.sentences = []
        for start, end in sentence_spans(text):
            sentence = Sentence(start, end, text[start:end], source_text=text)
            sentence.mentions = [m for m in mentions if start <= m.start and m.end <= end]
            self.sentences.append(sentence)
        for citation in citations:
            for span_start, span_end in passage_spans(text, citation.passage):
                for sentence in self.sentences:
                    overlaps = sentence.start < span_end and span_start < sentence.end
                    if overlaps and citation not in sentence.citations:
                        sentence.citations.append(citation)

    @property
    def cited_count(self):
        return sum(1 for sentence in self.sentences if sentence.citations)

    @property
    def mentions(self):
        return [mention for sentence in self.sentences for mention in sentence.mentions]
