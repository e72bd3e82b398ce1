"""Dates in the admin: typed in short boxes that show the format; a bad one is refused with a
message that says how to write it, on the page or in a row."""

import pytest

from cooperation.models import Membership, Organization
from meetings.models import Meeting
from tests import factories
from tests.admin_forms import add_rows, admin_url, errors_on_page, form_values
from tests.factories import country


def test_dates_are_typed_in_short_boxes_that_show_the_format(staff_client, db):
    page = staff_client.get(admin_url(Meeting, "add")).text
    for name in ("date", "agreement_events-0-date", "follow_ups-__prefix__-due"):
        (box,) = [tag for tag in page.split("<input")[1:] if f'name="{name}"' in tag]
        assert 'size="10"' in box, box
        # Beside the box, where staff type, not in a tooltip: a year or a month will do.
        assert '<span class="date-shapes"' in box, box
        assert ">2013, 2013-08 or 2013-08-20</span>" in box, box


def test_a_date_box_is_described_by_the_shapes_beside_it(staff_client, db):
    page = staff_client.get(admin_url(Organization, "add")).text
    (box,) = [tag for tag in page.split("<input")[1:] if 'name="memberships-0-start"' in tag]
    assert 'aria-describedby="id_memberships-0-start_shapes"' in box
    assert '<span class="date-shapes" id="id_memberships-0-start_shapes">' in box
    # The blank row that "Add another" copies: its copy's ids are renumbered, but not
    # the references to them, so it names none.
    (blank,) = [
        tag for tag in page.split("<input")[1:] if 'name="memberships-__prefix__-start"' in tag
    ]
    assert "aria-describedby" not in blank.split(">")[0]
    assert '<span class="date-shapes">' in blank


BAD_DATES = [
    ("2013-02-30", "February 2013 has no day 30."),
    (
        "20/08/2013",
        "“20/08/2013” is not a date. "
        "Write it as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2011, 2013-08 or 2013-08-20.",
    ),
    ("2013-13", "“2013-13” has no month 13: months run from 01 to 12."),
]


@pytest.mark.parametrize(("typed", "message"), BAD_DATES)
def test_a_bad_date_is_refused_with_a_message_saying_how_to_write_it(staff_client, typed, message):
    data = form_values(staff_client.get(admin_url(Meeting, "add")))
    data.update(title="A meeting", date=typed, kind=Meeting.Kind.MEETING)
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == [message]
    assert message in response.text
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(("typed", "message"), BAD_DATES)
def test_a_bad_date_in_an_inline_row_is_refused_with_a_message(staff_client, typed, message):
    sco = factories.OrganizationFactory(acronym="SCO")
    data = form_values(staff_client.get(admin_url(Organization, "change", sco.pk)))
    add_rows(
        data,
        "memberships",
        {"country": str(country("IN").pk), "status": "observer", "start": typed},
    )
    response = staff_client.post(admin_url(Organization, "change", sco.pk), data)
    assert response.status_code == 200
    assert errors_on_page(response) == [message]
    assert not Membership.objects.exists()
