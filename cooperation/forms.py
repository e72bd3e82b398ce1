from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from cooperation.models import Organization, Person


class AsOfForm(forms.Form):
    """`?as_of=YYYY-MM-DD`: a page as it stood on that day."""

    as_of = forms.DateField(
        label="As of",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the day as YYYY-MM-DD, e.g. 2013-08-20."},
        help_text="Show the page as it stood on this day.",
    )


class NamedRecordField(forms.CharField):
    """A record typed by any of its names, rather than picked from a list that grows.

    Tries the `exact` lookups in turn (case aside), then the `contains` lookups; one
    match is the answer, several or none is an error that says so. So "bnpt",
    "BNPT" and "Penanggulangan" all find the same agency.
    """

    def __init__(self, *, queryset, exact, contains, **kwargs):
        self.queryset, self.exact, self.contains = queryset, exact, contains
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        if "\x00" in text:  # before any query: PostgreSQL refuses such text outright
            raise ValidationError("Null characters are not allowed.", code="null_characters")
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
            raise ValidationError(f"No {noun} is called “{text}”.", code="not_found")
        names = "; ".join(str(record) for record in found[:5])
        raise ValidationError(
            f"“{text}” could be more than one {noun} ({names}…): type more of the name.",
            code="ambiguous",
        )


def organization_field(**kwargs):
    return NamedRecordField(
        queryset=Organization.objects.all(),
        exact=["slug", "acronym__iexact", "name__iexact", "other_names__name__iexact"],
        contains=["name", "acronym", "other_names__name"],
        help_text="Its name, acronym or another name.",
        **kwargs,
    )


def person_field(**kwargs):
    return NamedRecordField(
        queryset=Person.objects.all(),
        exact=["slug", "name__iexact"],
        contains=["name", "other_names"],
        help_text="Their name or another spelling of it.",
        **kwargs,
    )
