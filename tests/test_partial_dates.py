"""Dates known to the year, the month or the day: reading, showing, sorting and storing them."""

import datetime
import json

import pytest
from django import forms
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from cooperation.models import Source
from cooperation.partial_dates import (
    FORMAT_HELP,
    PartialDate,
    PartialDateFormField,
    to_partial_date,
)
from meetings.models import Meeting
from tests.factories import MeetingFactory, SourceFactory

D = datetime.date


def parse(text):
    return PartialDate.parse(text)


def message_of(excinfo):
    (message,) = excinfo.value.messages
    return message


def is_within(day, date):
    """Whether `day` is one of the days a partial date can mean."""
    return date.first <= day <= date.last


# Reading


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2011", (2011, None, None)),
        ("2013-08", (2013, 8, None)),
        ("2013-08-20", (2013, 8, 20)),
        ("0999", (999, None, None)),
        ("2012-02-29", (2012, 2, 29)),
    ],
)
def test_it_reads_a_year_a_month_or_a_day(text, parts):
    date = parse(text)
    assert (date.year, date.month, date.day) == parts
    assert date.iso == text


def test_it_ignores_whitespace_around_the_text():
    assert parse("  2013-08 \n") == PartialDate(2013, 8)


@pytest.mark.parametrize(
    ("text", "precision"),
    [("2011", "year"), ("2013-08", "month"), ("2013-08-20", "day")],
)
def test_its_precision_is_the_smallest_part_written(text, precision):
    assert parse(text).precision == precision
    assert parse(text).precision == PartialDate.Precision(precision)


def test_a_day_without_a_month_is_refused():
    with pytest.raises(ValueError, match="a day needs a month"):
        PartialDate(2013, day=20)


# What it refuses, and what it says


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2013-13", "“2013-13” has no month 13: months run from 01 to 12."),
        ("2013-00", "“2013-00” has no month 00: months run from 01 to 12."),
        ("2013-02-30", "February 2013 has no day 30."),
        ("2013-02-29", "February 2013 has no day 29."),
        ("2013-04-31", "April 2013 has no day 31."),
        ("2013-08-00", "August 2013 has no day 0."),
        ("0000", "There is no year 0000."),
        ("20/08/2013", f"“20/08/2013” is not a date. Write it as {FORMAT_HELP}."),
        ("2013-8", f"“2013-8” is not a date. Write it as {FORMAT_HELP}."),
        ("2013-08-5", f"“2013-08-5” is not a date. Write it as {FORMAT_HELP}."),
        ("13", f"“13” is not a date. Write it as {FORMAT_HELP}."),
        ("20130", f"“20130” is not a date. Write it as {FORMAT_HELP}."),
        ("abcd", f"“abcd” is not a date. Write it as {FORMAT_HELP}."),
        ("2013-08-20T10:00", f"“2013-08-20T10:00” is not a date. Write it as {FORMAT_HELP}."),
        ("", f"“” is not a date. Write it as {FORMAT_HELP}."),
        ("   ", f"“” is not a date. Write it as {FORMAT_HELP}."),
    ],
)
def test_it_refuses_what_is_not_a_date_and_says_why(text, expected):
    with pytest.raises(ValidationError) as excinfo:
        parse(text)
    assert excinfo.value.code == "invalid_partial_date"
    assert message_of(excinfo) == expected


def test_it_refuses_bad_text_given_to_to_partial_date_too():
    with pytest.raises(ValidationError, match="has no month 13"):
        to_partial_date("2013-13")


# Unknown, and other values


@pytest.mark.parametrize("blank", [None, "", "   ", "\n"])
def test_blank_or_none_means_unknown(blank):
    assert to_partial_date(blank) is None


def test_a_date_becomes_a_day():
    assert to_partial_date(D(2013, 8, 20)) == PartialDate(2013, 8, 20)
    assert PartialDate.from_date(D(2013, 8, 20)).precision == "day"


def test_a_partial_date_is_passed_through_as_it_is():
    august = PartialDate(2013, 8)
    assert to_partial_date(august) is august


# First and last days


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2011", D(2011, 1, 1), D(2011, 12, 31)),
        ("2012", D(2012, 1, 1), D(2012, 12, 31)),
        ("2013-08", D(2013, 8, 1), D(2013, 8, 31)),
        ("2013-04", D(2013, 4, 1), D(2013, 4, 30)),
        ("2012-02", D(2012, 2, 1), D(2012, 2, 29)),
        ("2013-02", D(2013, 2, 1), D(2013, 2, 28)),
        ("2000-02", D(2000, 2, 1), D(2000, 2, 29)),
        ("1900-02", D(1900, 2, 1), D(1900, 2, 28)),
        ("2013-12", D(2013, 12, 1), D(2013, 12, 31)),
        ("2013-08-20", D(2013, 8, 20), D(2013, 8, 20)),
    ],
)
def test_it_spans_the_days_it_can_mean(text, first, last):
    date = parse(text)
    assert (date.first, date.last) == (first, last)


def test_a_day_is_in_it_only_between_its_first_and_last_days():
    august = parse("2013-08")
    assert is_within(D(2013, 8, 1), august)
    assert is_within(D(2013, 8, 31), august)
    assert not is_within(D(2013, 7, 31), august)
    assert not is_within(D(2013, 9, 1), august)


# Showing


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2011", "2011"),
        ("2013-08", "August 2013"),
        ("2013-08-20", "20 August 2013"),
        ("2013-08-05", "5 August 2013"),
        ("2013-01", "January 2013"),
    ],
)
def test_it_is_shown_at_its_precision(text, shown):
    assert str(parse(text)) == shown


# Sorting

MIXED = ["2013-08-20", "2013", "2012", "2013-01", "2013-08", "2013-01-01", "2014-01-01"]
SORTED = ["2012", "2013-01-01", "2013-01", "2013", "2013-08", "2013-08-20", "2014-01-01"]


def test_it_sorts_by_first_day_then_by_last_day():
    assert [d.iso for d in sorted(parse(text) for text in MIXED)] == SORTED


def test_a_wider_date_sorts_after_a_narrower_one_that_starts_the_same_day():
    assert parse("2013-01-01") < parse("2013-01") < parse("2013")
    assert parse("2013") > parse("2013-01")
    assert parse("2013") >= parse("2013")
    assert parse("2013") <= parse("2013")
    assert not parse("2013-08") < parse("2013-08")


def test_equal_texts_make_equal_dates_that_hash_alike():
    assert parse("2013-08") == PartialDate(2013, 8)
    assert parse("2013-08") != parse("2013")
    assert len({parse("2013-08"), PartialDate(2013, 8), parse("2013")}) == 2


# Stored in a model


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2011", D(2011, 1, 1), D(2011, 12, 31)),
        ("2012-02", D(2012, 2, 1), D(2012, 2, 29)),
        ("2013-08-20", D(2013, 8, 20), D(2013, 8, 20)),
    ],
)
def test_a_meeting_keeps_its_date_text_and_bounds_in_the_database(db, text, first, last):
    meeting = MeetingFactory(date=text)
    stored = Meeting.objects.filter(pk=meeting.pk).values("date", "date_first", "date_last").get()
    assert stored == {"date": parse(text), "date_first": first, "date_last": last}
    reloaded = Meeting.objects.get(pk=meeting.pk)
    assert reloaded.date == parse(text)
    assert (reloaded.date_first, reloaded.date_last) == (first, last)


def test_the_text_is_stored_as_written(db):
    meeting = MeetingFactory(date=PartialDate(2013, 8))
    assert Meeting.objects.filter(date="2013-08").get() == meeting
    assert list(Meeting.objects.filter(pk=meeting.pk).values_list("date", flat=True)) == [
        parse("2013-08")
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT date FROM meetings_meeting WHERE id = %s", [meeting.pk])
        assert cursor.fetchone() == ("2013-08",)


def test_text_assigned_to_the_field_becomes_a_partial_date_at_once(db):
    meeting = MeetingFactory(date="2013-08-20")
    meeting.date = " 2014-03 "
    assert meeting.date == PartialDate(2014, 3)
    assert (meeting.date_first, meeting.date_last) == (D(2014, 3, 1), D(2014, 3, 31))
    meeting.save()
    stored = Meeting.objects.filter(pk=meeting.pk).values("date_first", "date_last").get()
    assert stored == {"date_first": D(2014, 3, 1), "date_last": D(2014, 3, 31)}


def test_a_date_assigned_to_the_field_becomes_a_day(db):
    meeting = MeetingFactory(date=D(2013, 8, 20))
    assert Meeting.objects.get(pk=meeting.pk).date.precision == "day"


def test_the_bounds_follow_the_text_whatever_is_written_to_them(db):
    meeting = MeetingFactory(date="2013-08")
    meeting.date_first = D(1999, 1, 1)
    meeting.date_last = D(1999, 1, 1)
    meeting.save()
    stored = Meeting.objects.filter(pk=meeting.pk).values("date_first", "date_last").get()
    assert stored == {"date_first": D(2013, 8, 1), "date_last": D(2013, 8, 31)}


def test_an_unknown_date_is_stored_as_blank_text_with_no_bounds(db):
    source = SourceFactory(date="")
    stored = Source.objects.filter(pk=source.pk).values("date", "date_first", "date_last").get()
    assert stored == {"date": None, "date_first": None, "date_last": None}
    assert Source.objects.filter(date="").get() == source
    assert Source.objects.get(pk=source.pk).date is None


def test_changing_a_date_on_a_partly_loaded_row_moves_its_bounds_too(db):
    meeting = MeetingFactory(date="2013-08-20")
    partly_loaded = Meeting.objects.only("title").get(pk=meeting.pk)
    partly_loaded.date = "2011"
    partly_loaded.save()
    stored = Meeting.objects.filter(pk=meeting.pk).values("date", "date_first", "date_last").get()
    assert stored == {
        "date": parse("2011"),
        "date_first": D(2011, 1, 1),
        "date_last": D(2011, 12, 31),
    }


def test_a_partly_loaded_row_saved_unchanged_keeps_its_date(db):
    meeting = MeetingFactory(date="2013-08")
    partly_loaded = Meeting.objects.only("title").get(pk=meeting.pk)
    partly_loaded.title = "Renamed"
    partly_loaded.save()
    stored = Meeting.objects.filter(pk=meeting.pk).values("title", "date", "date_first").get()
    assert stored == {"title": "Renamed", "date": parse("2013-08"), "date_first": D(2013, 8, 1)}


def test_a_fixture_that_gives_only_the_text_gets_its_bounds_filled(db):
    fixture = json.dumps(
        [
            {
                "model": "cooperation.source",
                "fields": {"title": "Cable", "slug": "cable", "date": "2012-02", "text": ""},
            }
        ]
    )
    for deserialized in serializers.deserialize("json", fixture):
        deserialized.save()
    stored = Source.objects.filter(slug="cable").values("date", "date_first", "date_last").get()
    assert stored == {
        "date": parse("2012-02"),
        "date_first": D(2012, 2, 1),
        "date_last": D(2012, 2, 29),
    }


def test_a_serialized_row_carries_its_date_as_text(db):
    SourceFactory(slug="cable", date="2013-08")
    (entry,) = json.loads(serializers.serialize("json", Source.objects.filter(slug="cable")))
    assert entry["fields"]["date"] == "2013-08"


def test_the_database_sorts_by_the_first_then_the_last_day(db):
    for n, text in enumerate(MIXED):
        MeetingFactory(date=text, title=f"Meeting {n}")
    ascending = Meeting.objects.order_by("date_first", "date_last")
    assert [m.date.iso for m in ascending] == SORTED
    assert [m.date.iso for m in Meeting.objects.all()] == SORTED[::-1]  # newest first


def test_the_database_finds_dates_that_certainly_fall_in_a_range(db):
    for n, text in enumerate(MIXED):
        MeetingFactory(date=text, title=f"Meeting {n}")
    in_2013 = Meeting.objects.filter(date_first__gte=D(2013, 1, 1), date_last__lte=D(2013, 12, 31))
    assert sorted(m.date.iso for m in in_2013) == sorted(
        ["2013", "2013-01", "2013-01-01", "2013-08", "2013-08-20"]
    )


# Validation on the model


def test_full_clean_reports_a_bad_date_as_an_error_on_the_field(db):
    meeting = Meeting(title="Visit", date="2013-02-30")
    assert meeting.date == "2013-02-30"  # kept as written until it is cleaned
    assert meeting.date_first is None
    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()
    assert excinfo.value.message_dict == {"date": ["February 2013 has no day 30."]}


def test_full_clean_requires_a_date_where_it_is_not_optional(db):
    meeting = Meeting(title="Visit", date="  ")
    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()
    assert list(excinfo.value.message_dict) == ["date"]
    assert excinfo.value.error_dict["date"][0].code == "blank"


def test_full_clean_accepts_a_blank_date_where_it_is_optional(db):
    source = Source(title="Cable", slug="cable", date="")
    source.full_clean()
    assert source.date is None


def test_full_clean_accepts_a_good_date(db):
    meeting = Meeting(title="Visit", date="2013-08")
    meeting.full_clean()
    assert meeting.date == PartialDate(2013, 8)


def test_a_bad_date_never_reaches_the_database(db):
    with pytest.raises(ValidationError, match="has no month 13"), transaction.atomic():
        MeetingFactory(date="2013-13")
    assert not Meeting.objects.exists()


# Forms


def test_the_form_field_reads_good_text():
    assert PartialDateFormField().clean("2013-08") == PartialDate(2013, 8)
    assert PartialDateFormField().clean(" 2011 ") == PartialDate(2011)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2013-13", "has no month 13"),
        ("20/08/2013", "is not a date. Write it as YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2013-02-30", "February 2013 has no day 30."),
    ],
)
def test_the_form_field_says_what_is_wrong_with_bad_text(text, expected):
    with pytest.raises(ValidationError) as excinfo:
        PartialDateFormField().clean(text)
    assert expected in message_of(excinfo)


def test_the_form_field_requires_a_date_unless_told_otherwise():
    with pytest.raises(ValidationError) as excinfo:
        PartialDateFormField().clean("")
    assert excinfo.value.error_list[0].code == "required"
    assert PartialDateFormField(required=False).clean("") is None
    assert PartialDateFormField(required=False).clean("  ") is None


def test_the_form_field_shows_a_stored_date_as_its_text():
    assert PartialDateFormField().prepare_value(PartialDate(2013, 8)) == "2013-08"
    assert PartialDateFormField().prepare_value("2013-8") == "2013-8"


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "date", "kind"]


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["title", "slug", "date"]


def test_a_model_form_uses_the_partial_date_form_field():
    field = MeetingForm().fields["date"]
    assert isinstance(field, PartialDateFormField)
    assert field.required
    assert field.help_text == FORMAT_HELP
    assert not SourceForm().fields["date"].required


def test_a_model_form_gives_a_clear_error_for_a_bad_date(db):
    form = MeetingForm(data={"title": "Visit", "date": "2013-13", "kind": "meeting"})
    assert not form.is_valid()
    assert form.errors == {"date": ["“2013-13” has no month 13: months run from 01 to 12."]}


def test_a_model_form_saves_a_good_date_with_its_bounds(db):
    form = MeetingForm(data={"title": "Visit", "date": "2012-02", "kind": "meeting"})
    assert form.is_valid(), form.errors
    meeting = form.save()
    stored = Meeting.objects.filter(pk=meeting.pk).values("date", "date_last").get()
    assert stored == {"date": parse("2012-02"), "date_last": D(2012, 2, 29)}


def test_a_model_form_accepts_a_blank_optional_date(db):
    form = SourceForm(data={"title": "Cable", "slug": "cable", "date": ""})
    assert form.is_valid(), form.errors
    assert form.save().date is None


def test_a_model_form_refuses_a_blank_required_date(db):
    form = MeetingForm(data={"title": "Visit", "date": "", "kind": "meeting"})
    assert not form.is_valid()
    assert list(form.errors) == ["date"]


def test_a_model_form_shows_the_stored_text_for_editing(db):
    meeting = MeetingFactory(date="2013-08")
    assert 'value="2013-08"' in str(MeetingForm(instance=meeting)["date"])
