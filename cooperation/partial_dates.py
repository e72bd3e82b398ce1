"""Dates known only to the year, the month or the day.

Reports say "in 2011" or "in August 2013" as often as "on 20 August 2013". A
`PartialDate` keeps what was written and the span of days it can mean; a
`PartialDateField` stores the text as written ("2011", "2013-08", "2013-08-20")
and, beside it, the first and last day it can mean (`<name>_first`,
`<name>_last`), so that the database sorts and filters on real dates.
"""

import calendar
import contextlib
import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import class_prepared
from django.utils.dates import MONTHS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FORMAT_HELP = _("YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2011, 2013-08 or 2013-08-20")
_SHAPE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    class Precision(models.TextChoices):
        YEAR = "year"
        MONTH = "month"
        DAY = "day"

    def __post_init__(self):
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")

    @classmethod
    def parse(cls, text):
        """Read "2011", "2013-08" or "2013-08-20"; raise ValidationError otherwise."""
        text = str(text).strip()
        match = _SHAPE.fullmatch(text)
        if not match:
            raise ValidationError(
                gettext("“%(text)s” is not a date. Write it as %(format)s."),
                code="invalid_partial_date",
                params={"text": text, "format": FORMAT_HELP},
            )
        year = int(match["year"])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        if year < 1:
            raise ValidationError(gettext("There is no year 0000."), code="invalid_partial_date")
        if month is not None and not 1 <= month <= 12:
            raise ValidationError(
                gettext("“%(text)s” has no month %(month)02d: months run from 01 to 12."),
                code="invalid_partial_date",
                params={"text": text, "month": month},
            )
        if day is not None:
            days_in_month = calendar.monthrange(year, month)[1]
            if not 1 <= day <= days_in_month:
                raise ValidationError(
                    gettext("%(month_name)s %(year)d has no day %(day)d."),
                    code="invalid_partial_date",
                    params={"month_name": MONTHS[month], "year": year, "day": day},
                )
        return cls(year, month, day)

    @classmethod
    def from_date(cls, day):
        return cls(day.year, day.month, day.day)

    @property
    def precision(self):
        if self.day is not None:
            return self.Precision.DAY
        if self.month is not None:
            return self.Precision.MONTH
        return self.Precision.YEAR

    @property
    def first(self):
        """The first day this date can mean."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self):
        """The last day this date can mean."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return datetime.date(self.year, month, day)

    @property
    def iso(self):
        """The text as stored: "2011", "2013-08" or "2013-08-20"."""
        return "-".join(
            f"{part:02d}" if i else f"{part:04d}"
            for i, part in enumerate((self.year, self.month, self.day))
            if part is not None
        )

    def __str__(self):
        """Shown at its precision: "2011", "August 2013", "20 August 2013"."""
        if self.day is not None:
            return f"{self.day} {MONTHS[self.month]} {self.year}"
        if self.month is not None:
            return f"{MONTHS[self.month]} {self.year}"
        return str(self.year)

    def sort_key(self):
        return (self.first, self.last)

    def __lt__(self, other):
        return self.sort_key() < other.sort_key()

    def __le__(self, other):
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other):
        return self.sort_key() > other.sort_key()

    def __ge__(self, other):
        return self.sort_key() >= other.sort_key()


def to_partial_date(value):
    """None for "unknown", a PartialDate otherwise; raises ValidationError on bad text."""
    if value is None or isinstance(value, PartialDate):
        return value
    if isinstance(value, datetime.date):
        return PartialDate.from_date(value)
    if str(value).strip() == "":
        return None
    return PartialDate.parse(value)


class PartialDateFormField(forms.Field):
    widget = forms.TextInput(attrs={"size": 10, "placeholder": "YYYY-MM-DD"})

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", FORMAT_HELP)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, PartialDate):
            return value.iso
        return value

    def to_python(self, value):
        return to_partial_date(value)


class _PartialDateAttribute(DeferredAttribute):
    """Turns text assigned to the field into a PartialDate at once."""

    def __set__(self, instance, value):
        # Text that is not a date is kept as written, so that full_clean() can say why.
        with contextlib.suppress(ValidationError):
            value = to_partial_date(value)
        instance.__dict__[self.field.attname] = value
        # The bounds follow the text: count them as loaded too, or save() on an
        # instance fetched with only()/defer() would write the text and not its bounds.
        for bound in ("first", "last"):
            instance.__dict__.setdefault(f"{self.field.name}_{bound}", None)


class PartialDateField(models.CharField):
    """A date at year, month or day precision; blank means unknown.

    Stored as its text ("2011", "2013-08", "2013-08-20", or "" when unknown). The
    model also gets `<name>_first` and `<name>_last` date columns that are always
    derived from the text, for sorting, ranges and "on day D" questions. Write the
    text, never the two bounds; `QuerySet.update()` on the text would leave them stale.
    """

    description = "A date known to the year, month or day"
    descriptor_class = _PartialDateAttribute

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", FORMAT_HELP)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return to_partial_date(value)

    def to_python(self, value):
        return to_partial_date(value)

    def get_prep_value(self, value):
        value = to_partial_date(value)
        return value.iso if value else ""

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.iso if value else ""

    def validate(self, value, model_instance):
        if not self.blank and value is None:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def run_validators(self, value):
        # The max_length validator would measure the PartialDate object, not its text.
        pass

    def formfield(self, **kwargs):
        # Skip CharField.formfield: a length limit means nothing to a PartialDate.
        return models.Field.formfield(self, **{"form_class": PartialDateFormField, **kwargs})


class PartialDateBound(models.DateField):
    """The first or last day of a PartialDateField, kept beside it for queries."""

    def __init__(self, *args, source, bound, **kwargs):
        self.source, self.bound = source, bound
        kwargs.update(null=True, blank=True, editable=False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("null", "blank", "editable"):
            kwargs.pop(key, None)
        return name, path, args, {**kwargs, "source": self.source, "bound": self.bound}

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        setattr(cls, self.attname, _DerivedBound(self.source, self.bound, self.attname))


class _DerivedBound:
    """Reads the bound off the text, whatever was loaded or assigned."""

    def __init__(self, source, bound, attname):
        self.source, self.bound, self.attname = source, bound, attname

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        try:
            value = to_partial_date(getattr(instance, self.source))
        except ValidationError:
            return None
        return getattr(value, self.bound) if value else None

    def __set__(self, instance, value):
        # Kept only so Django counts the column as loaded; the text decides.
        instance.__dict__[self.attname] = value


def _add_bounds(sender, **kwargs):
    """Give every PartialDateField its `_first` and `_last` columns.

    Models that migrations rebuild (their module is "__fake__") are left as they
    are: migrations list the bounds as fields of their own, so `makemigrations`
    writes them and the schema holds exactly what the migrations say.
    """
    if sender.__module__ == "__fake__":
        return
    for field in list(sender._meta.local_fields):
        if not isinstance(field, PartialDateField):
            continue
        for bound in ("first", "last"):
            name = f"{field.name}_{bound}"
            if not any(f.name == name for f in sender._meta.local_fields):
                sender.add_to_class(name, PartialDateBound(source=field.name, bound=bound))


class_prepared.connect(_add_bounds)
