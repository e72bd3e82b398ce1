"""Passages quoted in the admin: refused when not in the source or with no source; a row quotes
the source of its page."""

import pytest

from meetings.models import Meeting, Outcome
from tests import factories
from tests.admin_forms import add_rows, admin_url, errors_on_page, form_values, new_meeting_data
from tests.admin_records import tashkent_report


@pytest.fixture
def report(db):
    return tashkent_report()


def test_a_passage_that_is_not_in_the_source_is_refused(staff_client, report):
    data = new_meeting_data(staff_client, title="A meeting")
    add_rows(data, "citations", {"source": str(report.pk), "passage": "met in Samarkand"})
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == [
        f"These words do not occur in “{report}”. Quote it exactly."
    ]
    assert not Meeting.objects.exists()


def test_a_passage_in_an_inline_row_that_is_not_in_the_source_is_refused(staff_client, report):
    embassy = factories.OrganizationFactory()
    data = form_values(staff_client.get(admin_url(Meeting, "add")))
    data.update(title="A meeting", date="2013-08-20", kind=Meeting.Kind.MEETING)
    add_rows(
        data,
        "participants",
        {
            "person": str(factories.PersonFactory().pk),
            "organization": str(embassy.pk),
            "source": str(report.pk),
            "passage": "the Ambassador of Atlantis",
        },
    )
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == [
        f"These words do not occur in “{report}”. Quote it exactly."
    ]
    assert not Meeting.objects.exists()


def test_a_passage_without_a_source_is_refused(staff_client, db):
    data = new_meeting_data(staff_client, title="A meeting")
    add_rows(data, "citations", {"passage": "met"})
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == ["Name the source this citation quotes."]
    assert not Meeting.objects.exists()


def test_a_row_with_a_passage_and_no_source_quotes_the_source_of_its_page(staff_client, report):
    data = new_meeting_data(staff_client)
    add_rows(data, "citations", {"source": str(report.pk), "passage": "in Tashkent"})
    add_rows(
        data,
        "participants",
        {
            "person": str(factories.PersonFactory().pk),
            "organization": str(factories.OrganizationFactory().pk),
            "passage": "Ambassador Asruchin",
        },
    )
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 302, errors_on_page(response)
    (participant,) = Meeting.objects.get().participants.all()
    (citation,) = participant.citations.all()
    assert (citation.source, citation.passage) == (report, "Ambassador Asruchin")


def test_a_row_quotes_the_first_source_of_its_page_that_is_kept(admin_client, report):
    """A first citation being deleted (by an administrator, who may) is not the source
    the page's rows quote."""
    other = factories.SourceFactory(text="The delegations met in Tashkent.")
    meeting = factories.MeetingFactory(source=other, passage="met in Tashkent")
    factories.cite(meeting, source=report, passage="in Tashkent")
    data = form_values(admin_client.get(admin_url(Meeting, "change", meeting.pk)))
    assert data["citations-0-source"] == str(other.pk)
    data["citations-0-DELETE"] = "on"
    add_rows(
        data,
        "participants",
        {
            "person": str(factories.PersonFactory().pk),
            "organization": str(factories.OrganizationFactory().pk),
            "passage": "Ambassador Asruchin",
        },
    )
    response = admin_client.post(admin_url(Meeting, "change", meeting.pk), data)
    assert response.status_code == 302, errors_on_page(response)
    assert [c.source for c in meeting.citations.all()] == [report]
    (participant,) = meeting.participants.all()
    assert [c.source for c in participant.citations.all()] == [report]


def test_a_row_with_a_passage_on_a_page_with_no_source_is_asked_for_one(staff_client, db):
    data = new_meeting_data(staff_client)
    add_rows(
        data,
        "outcomes",
        {"kind": Outcome.Kind.AGREED, "description": "To meet again", "passage": "met"},
    )
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == ["Name the source this citation quotes."]
    assert not Meeting.objects.exists()
