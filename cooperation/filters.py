"""Filters for typed text: free text within limits, and records typed by name, for lists
that would grow too long to choose from."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperation.forms import MAX_WORDS, FreeTextField, organization_field, person_field, words
from cooperation.models import Organization, Person


class FreeTextFilter(django_filters.CharFilter):
    """Typed text, within the limits of FreeTextField (pass `max_words` for a search)."""

    field_class = FreeTextField


class OrganizationFilter(django_filters.Filter):
    field_class = staticmethod(organization_field)


class OnlyItselfFilter(django_filters.BooleanFilter):
    """The switch beside an organization filter: an organization stands for itself and
    its bodies at every depth (RATS-SCO within SCO) unless this box is ticked.

    It narrows nothing itself: the organization filter's method asks RollUp which
    organizations to look for.
    """

    def __init__(self, **kwargs):
        super().__init__(widget=forms.CheckboxInput, **kwargs)

    def filter(self, queryset, value):
        return queryset


@dataclass
class RollUp:
    """The organizations a filter looks for when asked for `organization`: itself and its
    bodies at every depth, or itself alone with `only_itself`; a list page names them."""

    organization: Organization
    only_itself: bool
    bodies: list[Organization]

    @classmethod
    def of(cls, organization, only_itself):
        bodies = Organization.objects.within(organization).exclude(pk=organization.pk)
        return cls(organization, bool(only_itself), list(bodies))

    @property
    def organizations(self):
        if self.only_itself:
            return [self.organization]
        return [self.organization, *self.bodies]


class PersonFilter(django_filters.Filter):
    field_class = staticmethod(person_field)


class PeopleFilter(django_filters.FilterSet):
    """The people list, searched by any spelling of a name: each word in the name, one of
    the other names or the honorific, so "Mr. Xinfeng" finds Zhang Xinfeng."""

    name = FreeTextFilter(
        label=_("Name"),
        max_words=MAX_WORDS,
        method="by_any_spelling",
        help_text=_("Any spelling of the name, in any order."),
    )

    class Meta:
        model = Person
        fields = []

    def by_any_spelling(self, queryset, name, value):
        for word in words(value):
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(other_names__icontains=word)
                | Q(honorific__icontains=word)
            )
        return queryset


class DayRangeWidget(django_filters.widgets.DateRangeWidget):
    """Two day boxes, each with a name of its own: the form's <label> points at the
    first only, and a box without a name is one that a screen reader cannot announce."""

    def __init__(self, names, attrs=None):
        super().__init__(attrs={"type": "date", **(attrs or {})})
        self.names = names

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for box, box_name in zip(context["widget"]["subwidgets"], self.names, strict=True):
            box["attrs"]["aria-label"] = box_name
        return context
