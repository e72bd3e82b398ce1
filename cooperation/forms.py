import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cooperation.models import Organization, Person

# The days a page can be shown as of. Days far outside the records' times show nothing
# more, and near the ends of the calendar the arithmetic on them (a year's span, "no
# activity for N days before") overflows.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2199, 12, 31)


def _day_out_of_range():
    return gettext("Enter a day between %(first)s and %(last)s.") % {
        "first": FIRST_DAY,
        "last": LAST_DAY,
    }


# Translated when shown, into the language of the request.
DAY_OUT_OF_RANGE = lazy(_day_out_of_range, str)()

# Free text typed into a filter. Each word of a search costs the database a search of
# its own: at 10,000 agreements on PostgreSQL, 10 words take under half a second, 40
# words over 3 seconds. The longest name a record holds is 300 characters.
MAX_WORDS = 10
MAX_CHARACTERS = 300


# `?as_of=YYYY-MM-DD`: a page as it stood on that day. The field of AsOfForm, and of
# the status page's filters (AgreementFilter), which read the whole list as of it.
AS_OF_FIELD = {
    "label": _("As of"),
    "required": False,
    "input_formats": ["%Y-%m-%d"],
    "widget": forms.DateInput(attrs={"type": "date"}),
    "error_messages": {"invalid": _("Enter the day as YYYY-MM-DD, e.g. 2013-08-20.")},
    "validators": [
        MinValueValidator(FIRST_DAY, message=DAY_OUT_OF_RANGE),
        MaxValueValidator(LAST_DAY, message=DAY_OUT_OF_RANGE),
    ],
    "help_text": _("Show the page as it stood on this day."),
}


class AsOfForm(forms.Form):
    """`?as_of=YYYY-MM-DD`: a page as it stood on that day."""

    as_of = forms.DateField(**AS_OF_FIELD)


def words(text):
    """The words of a search, as AgreementQuerySet.matching() reads them."""
    return re.findall(r"\w+", text)


class FreeTextField(forms.CharField):
    """Text typed into a filter, bounded so that no request searches without end.

    `max_words` where each word is searched for on its own (the status page's search);
    None where the text is looked for whole (a place, a name). Checked in to_python(),
    before any subclass looks the text up.
    """

    def __init__(self, *, max_words=None, max_characters=MAX_CHARACTERS, **kwargs):
        self.max_words, self.max_characters = max_words, max_characters
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if len(text) > self.max_characters:
            raise self.too_long(characters=len(text))
        word_count = len(words(text))
        if self.max_words and word_count > self.max_words:
            raise self.too_long(word_count=word_count)
        return text

    def too_long(self, *, characters=None, word_count=None):
        """The error for text of `characters` characters, or of `word_count` words."""
        limits = {"max_words": self.max_words, "max_characters": self.max_characters}
        if word_count is not None:
            message = ngettext(
                "Type at most %(max_words)d words and %(max_characters)d characters: "
                "this has %(count)d word.",
                "Type at most %(max_words)d words and %(max_characters)d characters: "
                "this has %(count)d words.",
                word_count,
            ) % {**limits, "count": word_count}
        elif self.max_words:
            message = ngettext(
                "Type at most %(max_words)d words and %(max_characters)d characters: "
                "this has %(count)d character.",
                "Type at most %(max_words)d words and %(max_characters)d characters: "
                "this has %(count)d characters.",
                characters,
            ) % {**limits, "count": characters}
        else:
            message = ngettext(
                "Type at most %(max_characters)d characters: this has %(count)d character.",
                "Type at most %(max_characters)d characters: this has %(count)d characters.",
                characters,
            ) % {**limits, "count": characters}
        return ValidationError(message, code="too_long")


class NamedRecordField(FreeTextField):
    """A record typed by any of its names, rather than picked from a list that grows.

    Tries the `exact` lookups in turn (case aside), then the `contains` lookups; one
    match is the answer, several or none is an error that says so. So "bnpt",
    "BNPT" and "Penanggulangan" all find the same agency.
    """

    def __init__(self, *, queryset, exact, contains, not_found=None, ambiguous=None, **kwargs):
        self.queryset, self.exact, self.contains = queryset, exact, contains
        # The errors, naming the kind of record in a whole sentence: "%(text)s" is what
        # was typed, "%(names)s" the records it could be.
        self.not_found = not_found or _("No %(noun)s is called “%(text)s”.")
        self.ambiguous = ambiguous or _(
            "“%(text)s” could be more than one %(noun)s (%(names)s…): type more of the name."
        )
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        if "\x00" in text:  # before any query: PostgreSQL refuses such text outright
            raise ValidationError(
                gettext("Null characters are not allowed."), code="null_characters"
            )
        for lookup in self.exact:
            found = list(self.queryset.filter(**{lookup: text}).distinct()[:2])
            if len(found) == 1:
                return found[0]
        anywhere = Q()
        for lookup in self.contains:
            anywhere |= Q(**{f"{lookup}__icontains": text})
        found = list(self.queryset.filter(anywhere).distinct()[:6])
        if len(found) == 1:
            return found[0]
        noun = self.queryset.model._meta.verbose_name
        if not found:
            raise ValidationError(
                str(self.not_found) % {"noun": noun, "text": text}, code="not_found"
            )
        names = "; ".join(str(record) for record in found[:5])
        raise ValidationError(
            str(self.ambiguous) % {"noun": noun, "text": text, "names": names},
            code="ambiguous",
        )


def organization_field(**kwargs):
    return NamedRecordField(
        queryset=Organization.objects.all(),
        exact=["slug", "acronym__iexact", "name__iexact", "other_names__name__iexact"],
        contains=["name", "acronym", "other_names__name"],
        help_text=_("Its name, acronym or another name."),
        not_found=_("No organization is called “%(text)s”."),
        ambiguous=_(
            "“%(text)s” could be more than one organization (%(names)s…): type more of the name."
        ),
        **kwargs,
    )


def person_field(**kwargs):
    return NamedRecordField(
        queryset=Person.objects.all(),
        exact=["slug", "name__iexact"],
        contains=["name", "other_names"],
        help_text=_("Their name or another spelling of it."),
        not_found=_("No person is called “%(text)s”."),
        ambiguous=_(
            "“%(text)s” could be more than one person (%(names)s…): type more of the name."
        ),
        **kwargs,
    )
