"""What a filtered list says of itself when printed: the filters that produced it."""

import datetime

from django import template
from django.db.models import Model
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def applied_filters(form):
    """(label, value) for each filter of `form` given a value, read as the list read it
    (from cleaned_data: a record chosen is already fetched, so this costs no query).
    Nothing when the form was not sent or could not be read: its errors say why."""
    if not form.is_bound or not form.is_valid():
        return []
    applied = []
    for field in form.visible_fields():
        shown = _shown(field.field, form.cleaned_data.get(field.name))
        if shown:
            applied.append((field.label, shown))
    return applied


def _shown(field, value):
    if value in (None, "", [], (), False):
        return ""
    if value is True:
        return _("yes")
    if isinstance(value, slice):
        start, stop = _shown(field, value.start), _shown(field, value.stop)
        if start and stop:
            return f"{start} – {stop}"
        if start:
            # Translators: a range of dates with no end, as a printed list's filters say it.
            return _("from %(start)s") % {"start": start}
        if stop:
            # Translators: a range of dates with no start.
            return _("until %(stop)s") % {"stop": stop}
        return ""
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, Model):
        return str(value)
    labels = {str(key): label for key, label in getattr(field, "choices", [])}
    if isinstance(value, list | tuple):
        return ", ".join(str(labels.get(str(item), item)) for item in value)
    return str(labels.get(str(value), value))
