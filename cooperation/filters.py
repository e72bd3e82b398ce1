"""Filters for typed text: free text within limits, and records typed by name, for lists
that would grow too long to choose from."""

import django_filters

from cooperation.forms import FreeTextField, organization_field, person_field


class FreeTextFilter(django_filters.CharFilter):
    """Typed text, within the limits of FreeTextField (pass `max_words` for a search)."""

    field_class = FreeTextField


class OrganizationFilter(django_filters.Filter):
    field_class = staticmethod(organization_field)


class PersonFilter(django_filters.Filter):
    field_class = staticmethod(person_field)
