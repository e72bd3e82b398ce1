"""Driving admin forms from tests as a browser would: the values it sends back, new rows, errors,
what a list shows and what a search box offers."""

from django import forms
from django.urls import reverse

from meetings.models import Meeting


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_values(response):
    """The admin form on a page as the browser sends it back when nothing is touched.

    Inline formsets keep only their rows already saved; `add_rows` appends new ones, so
    the tests do not depend on how many blank rows an inline shows.
    """
    every_form = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        every_form.append(formset.management_form)
        every_form.extend(formset.initial_forms)
    data = {}
    for form in every_form:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(field, forms.ModelMultipleChoiceField):
                data[key] = [str(item) for item in value or []]
            else:
                data[key] = "" if value is None else str(value)
    for inline in response.context.get("inline_admin_formsets", []):
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"]
    return data


def add_rows(data, prefix, *rows):
    """Append new rows to an inline formset in POST data made by form_values()."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{start + offset}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data


def errors_on_page(response):
    """Every error message the admin form and its inlines show."""
    messages = []
    adminform = response.context["adminform"]
    messages += [str(e) for errors in adminform.form.errors.values() for e in errors]
    for inline in response.context.get("inline_admin_formsets", []):
        messages += [str(e) for e in inline.formset.non_form_errors()]
        for form in inline.formset.forms:
            messages += [str(e) for errors in form.errors.values() for e in errors]
    return messages


def new_meeting_data(staff_client, **fields):
    """The add-meeting form as sent back with a title, a day and a kind: enough to save."""
    data = form_values(staff_client.get(admin_url(Meeting, "add")))
    data.update(title="Tashkent meeting", date="2013-08-20", kind=Meeting.Kind.MEETING)
    data.update(fields)
    return data


def changelist_results(response):
    return list(response.context["cl"].result_list)


def autocomplete(client, model, field_name, term):
    """What a select2 box on `model`'s page offers for `field_name` when `term` is typed."""
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def saved_row(data, prefix, record):
    """The prefix ("citations-2") of `record`'s saved row in an inline formset, in POST
    data made by form_values()."""
    for index in range(int(data[f"{prefix}-INITIAL_FORMS"])):
        if data.get(f"{prefix}-{index}-id") == str(record.pk):
            return f"{prefix}-{index}"
    raise AssertionError(f"No row of {record!r} among the saved rows of “{prefix}”.")
