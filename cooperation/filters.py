"""Filters for records typed by name, for lists that would grow too long to choose from."""

import django_filters

from cooperation.forms import organization_field, person_field


class OrganizationFilter(django_filters.Filter):
    field_class = staticmethod(organization_field)


class PersonFilter(django_filters.Filter):
    field_class = staticmethod(person_field)
