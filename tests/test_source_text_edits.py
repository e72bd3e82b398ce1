"""Editing a source's text: an edit that would leave out a quoted passage is refused,
naming who quotes it; and no record is blocked by a passage it has not changed."""

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement, AgreementEvent, FollowUp
from cooperation.models import Citation, Membership, Organization, Person, Position, Source
from meetings.models import Meeting, Outcome, Participant
from tests import factories
from tests.admin_forms import admin_url, errors_on_page, form_values, saved_row

REPORT = "tashkent-2013-report"
# Quoted by an outcome of the Tashkent meeting, both MOUs' "follow-up requested" events and
# both follow-up actions.
REQUEST = (
    "He therefore, requested the good offices and assistance from Ambassador Asruchin "
    "to facilitate the follow-up of the said MOUs."
)
# Every record with a page of its own in the admin that can quote a source.
CITING_PAGES = [
    Organization,
    Membership,
    Person,
    Position,
    Meeting,
    Participant,
    Outcome,
    Agreement,
    AgreementEvent,
    FollowUp,
]


@pytest.fixture
def report(tashkent):
    return Source.objects.get(slug=REPORT)


def replace_text_in_the_shell(source, text):
    """As `manage.py shell` would, past every form: how stale passages come about."""
    source.text = text
    source.save()


def edit_text(client, source, text):
    url = admin_url(Source, "change", source.pk)
    data = form_values(client.get(url))
    data["text"] = text
    return client.post(url, data)


def save_unchanged(client, record, **changes):
    url = admin_url(type(record), "change", record.pk)
    data = form_values(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_a_new_text_that_leaves_out_a_quoted_sentence_is_refused_naming_who_quotes_it(
    staff_client, report
):
    stored = Source.objects.values("text", "version").get(pk=report.pk)
    versions = report.history.count()
    quoting = [c.cited_record for c in report.citations.filter(passage=REQUEST)]
    assert sorted(type(record).__name__ for record in quoting) == [
        "AgreementEvent",
        "AgreementEvent",
        "FollowUp",
        "FollowUp",
        "Outcome",
    ]

    response = edit_text(staff_client, report, report.text.replace(REQUEST, ""))

    assert response.status_code == 200
    errors = " ".join(errors_on_page(response))
    assert "would no longer occur" in errors
    for record in quoting:
        assert str(record) in errors
        assert f'<a href="{admin_url(type(record), "change", record.pk)}">' in response.text
    # Each is named with the page it is a row of: two follow-ups read alike.
    for agreement in Agreement.objects.all():
        assert f"agreement “{agreement}”" in errors
    assert Source.objects.values("text", "version").get(pk=report.pk) == stored
    assert report.history.count() == versions


def test_a_record_without_a_page_of_its_own_is_named_with_the_page_it_is_a_row_of(
    staff_client, report
):
    party = Agreement.objects.get(title__contains="BNPT").party_links.first()
    (citation,) = party.citations.all()
    response = edit_text(staff_client, report, report.text.replace(citation.passage, ""))
    assert response.status_code == 200
    errors = " ".join(errors_on_page(response))
    assert f"party “{party}” of agreement “{party.agreement}”" in errors
    assert f'href="{admin_url(Agreement, "change", party.agreement.pk)}"' in errors


def test_emptying_a_quoted_text_is_refused_so_that_no_passage_goes_unchecked(staff_client, report):
    # Else: empty it, save, paste a text without the passages, save; nothing refused.
    stored = Source.objects.values("text", "version").get(pk=report.pk)
    response = edit_text(staff_client, report, "")
    assert response.status_code == 200
    assert "would no longer occur" in " ".join(errors_on_page(response))
    assert Source.objects.values("text", "version").get(pk=report.pk) == stored


def test_a_first_text_must_hold_the_passages_already_quoted_from_the_source(staff_client, report):
    replace_text_in_the_shell(report, "")  # quoted while the source had no text
    response = edit_text(staff_client, report, "A report that says something else.")
    assert response.status_code == 200
    assert "would no longer occur" in " ".join(errors_on_page(response))
    assert edit_text(staff_client, report, f"Preamble. {REQUEST}").status_code == 200
    # Every passage quoted from it must be in the text it gets.
    assert Source.objects.get(pk=report.pk).text == ""


@pytest.mark.parametrize(
    "edit",
    [
        lambda text: text + "\n\nA note added later by the Embassy.",
        lambda text: " ".join(text.split()),  # the same words, wrapped otherwise
    ],
    ids=["words added", "rewrapped"],
)
def test_a_new_text_that_keeps_every_quoted_passage_is_saved(staff_client, report, edit):
    new_text = edit(report.text)
    response = edit_text(staff_client, report, new_text)
    assert response.status_code == 302, errors_on_page(response)
    report.refresh_from_db()
    assert report.text == new_text.strip()


def test_restoring_an_earlier_text_that_lacks_a_passage_quoted_since_is_refused(
    staff_client, tashkent
):
    source = factories.SourceFactory(text="The parties met.")
    response = edit_text(staff_client, source, "The parties met. They agreed to meet again.")
    assert response.status_code == 302
    source.refresh_from_db()
    factories.OutcomeFactory(source=source, passage="They agreed to meet again.")
    first = source.history.order_by("history_date").first()
    url = admin_url(Source, "simple_history", source.pk, first.history_id)

    response = staff_client.post(url, form_values(staff_client.get(url)))

    assert response.status_code == 200
    assert "would no longer occur" in " ".join(errors_on_page(response))
    source.refresh_from_db()
    assert source.text == "The parties met. They agreed to meet again."


def citing(model, source):
    quoting = Citation.objects.filter(source=source).exclude(passage="")
    record = model.objects.filter(citations__in=quoting).order_by("pk").first()
    assert record is not None, f"No {model.__name__} of the Tashkent records quotes the report."
    return record


def citation_of(record, source):
    """The record's citation that quotes `source`."""
    return record.citations.exclude(passage="").get(source=source)


def saved_with_passage(client, record, citation, passage):
    """Save `record`'s page with `citation` quoting `passage` in the page's citations."""
    url = admin_url(type(record), "change", record.pk)
    data = form_values(client.get(url))
    data[f"{saved_row(data, 'citations', citation)}-passage"] = passage
    return client.post(url, data)


@pytest.mark.parametrize("model", CITING_PAGES, ids=lambda model: model.__name__)
def test_a_record_whose_passage_no_longer_occurs_still_saves_while_unchanged(
    staff_client, report, model
):
    """Also the rows on its page: a meeting's participants, an agreement's events…"""
    record = citing(model, report)
    replace_text_in_the_shell(report, "Nothing of the old report remains.")
    response = save_unchanged(staff_client, record)
    assert response.status_code == 302, errors_on_page(response)


def test_a_changed_passage_is_still_checked_against_the_text(staff_client, report):
    follow_up = citing(FollowUp, report)
    citation = citation_of(follow_up, report)
    replace_text_in_the_shell(report, "The Director asked for help with both MOUs.")

    refused = saved_with_passage(staff_client, follow_up, citation, "Words the report never had.")
    assert refused.status_code == 200
    assert any("do not occur" in error for error in errors_on_page(refused))

    saved = saved_with_passage(staff_client, follow_up, citation, "asked for help with both MOUs")
    assert saved.status_code == 302, errors_on_page(saved)
    citation.refresh_from_db()
    assert citation.passage == "asked for help with both MOUs"


def test_a_changed_passage_in_a_row_is_still_checked_against_the_text(staff_client, report):
    """The same, in the citation fields of the follow-up's row on its agreement's page."""
    follow_up = citing(FollowUp, report)
    citation = citation_of(follow_up, report)
    assert follow_up.citations.first() == citation  # the one the row shows
    replace_text_in_the_shell(report, "The Director asked for help with both MOUs.")
    agreement = follow_up.agreement
    row = saved_row(form_values(staff_client.get(admin_url(Agreement, "change", agreement.pk))),
                    "follow_ups", follow_up)  # fmt: skip

    refused = save_unchanged(
        staff_client, agreement, **{f"{row}-passage": "Words the report never had."}
    )
    assert refused.status_code == 200
    assert any("do not occur" in error for error in errors_on_page(refused))

    saved = save_unchanged(
        staff_client, agreement, **{f"{row}-passage": "asked for help with both MOUs"}
    )
    assert saved.status_code == 302, errors_on_page(saved)
    citation.refresh_from_db()
    assert citation.passage == "asked for help with both MOUs"


def test_a_passage_moved_to_another_source_is_checked_against_that_one(report):
    citation = citation_of(citing(FollowUp, report), report)
    citation.full_clean()
    citation.source = factories.SourceFactory(text="Another report altogether.")
    with pytest.raises(ValidationError, match="do not occur"):
        citation.full_clean()


def test_restoring_an_earlier_version_with_the_same_stale_passage_is_not_blocked(
    staff_client, report
):
    follow_up = citing(FollowUp, report)
    citation = citation_of(follow_up, report)
    # The follow-up and its citation each changed once, so each has an earlier version.
    url = admin_url(FollowUp, "change", follow_up.pk)
    data = form_values(staff_client.get(url))
    data["action"] = "A mistaken action"
    data[f"{saved_row(data, 'citations', citation)}-attests_on"] = "2013-08"
    assert staff_client.post(url, data).status_code == 302
    replace_text_in_the_shell(report, "Nothing of the old report remains.")

    first = follow_up.history.order_by("history_date").first()
    url = admin_url(FollowUp, "simple_history", follow_up.pk, first.history_id)
    response = staff_client.post(url, form_values(staff_client.get(url)))
    assert response.status_code == 302, errors_on_page(response)

    # The citation's earlier version, built from its history, quotes what it quotes now.
    earlier = citation.history.order_by("history_date").first().instance
    earlier._state.adding = False  # as django-simple-history's form restores a version
    assert (earlier.passage, earlier.attests_on) == (citation.passage, None)
    earlier.full_clean()
    earlier.save()
    citation.refresh_from_db()
    assert citation.attests_on is None
