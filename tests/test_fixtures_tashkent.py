"""The Tashkent 2013 report, walked through the querysets as an analyst would ask it."""

import datetime
import hashlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from agreements.models import Agreement, AgreementEvent, FollowUp
from cooperation.models import (
    Citation,
    Cited,
    Membership,
    Organization,
    Person,
    Position,
    Source,
)
from meetings.models import Meeting

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "tashkent_2013.json"
REPORT = ROOT / "fixtures" / "sources" / "tashkent-2013-report.txt"
# SHA-256 of the report as the embassy sent it (shared/source/tashkent-2013-report.txt, which
# not every clone has beside it): the copy shipped here must be that text, to the letter.
ORIGINAL_REPORT_SHA256 = "cd5634af94304f9e6c69d84e045545fc889bcd459f2c9b4f2b70c7364d4a1bda"
MEETING_DAY = datetime.date(2013, 8, 20)
BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"
ASEAN_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and the ASEAN Secretariat"

pytestmark = pytest.mark.usefixtures("tashkent")


def report_text():
    return REPORT.read_text(encoding="utf-8")


def cited_records():
    for model in apps.get_models():
        if issubclass(model, Cited):
            yield from model.objects.prefetch_related("citations__source")


def test_the_source_is_the_report_word_for_word():
    source = Source.objects.get(slug="tashkent-2013-report")
    assert source.text == report_text()
    assert source.publisher == "Indonesian Embassy in Tashkent"
    assert source.date is None  # the report does not say when it was written


def test_the_shipped_copy_of_the_report_is_the_original_text():
    assert hashlib.sha256(report_text().encode("utf-8")).hexdigest() == ORIGINAL_REPORT_SHA256


def test_every_record_cites_a_passage_that_occurs_word_for_word_in_the_report():
    text = report_text()
    records = list(cited_records())
    assert len(records) > 40
    checked = 0
    for record in records:
        citations = list(record.citations.all())
        assert citations, f"{record._meta.label} {record} cites nothing"
        for citation in citations:
            assert citation.source and citation.source.slug == "tashkent-2013-report", record
            assert citation.passage, f"{record._meta.label} {record} cites no passage"
            assert citation.passage in text, f"{record._meta.label} {record}: {citation.passage!r}"
        checked += len(citations)
    # Every citation is some record's: none was left out of the walk above.
    assert checked == Citation.objects.count()


def test_loading_the_fixtures_twice_changes_nothing():
    counts = {model: model.objects.count() for model in apps.get_models()}
    call_command("load_records", str(FIXTURE), verbosity=0)
    assert {model: model.objects.count() for model in apps.get_models()} == counts


def test_every_fixture_record_is_named_by_natural_key_not_by_id():
    for entry in json.loads(FIXTURE.read_text(encoding="utf-8")):
        assert "pk" not in entry, entry["model"]


def test_sco_had_six_members_and_five_observers_on_20_august_2013():
    on_the_day = Membership.objects.filter(organization__slug="sco").on(MEETING_DAY)
    members = set(on_the_day.filter(status="member").values_list("country__code", flat=True))
    observers = set(on_the_day.filter(status="observer").values_list("country__code", flat=True))
    assert members == {"CN", "RU", "UZ", "TJ", "KG", "KZ"}
    assert observers == {"AF", "IN", "IR", "MN", "PK"}


def test_sco_memberships_have_unknown_starts_and_are_not_claimed_before_the_report():
    memberships = Membership.objects.filter(organization__slug="sco")
    assert all(m.start is None and m.end is None for m in memberships)
    assert not Membership.objects.on(datetime.date(2013, 8, 19)).exists()


def test_the_organizations_sit_where_the_report_puts_them():
    rats = Organization.objects.get(slug="rats-sco")
    assert rats.parent.slug == "sco"
    assert Organization.objects.get(slug="asean-secretariat").parent.slug == "asean"
    bnpt = Organization.objects.get(slug="bnpt")
    assert bnpt.home_country.code == "ID"
    assert bnpt.name == "Indonesian National Agency In Combating Terrorism"
    embassy = Organization.objects.get(slug="indonesian-embassy-tashkent")
    assert (embassy.home_country.code, embassy.accredited_to.code) == ("ID", "UZ")
    assert embassy.seat == "Tashkent"
    sco = Organization.objects.get(slug="sco")
    assert sco.founded is None  # "founded 11 years ago" is not a date


def test_the_posts_are_held_as_the_report_says():
    held = Position.objects.on(MEETING_DAY).select_related("holder", "organization")
    assert {(p.title, p.holder.name) for p in held} == {
        ("Ambassador of Indonesia to Uzbekistan", "Mohamad Asruchin"),
        ("Director of the Executive Committee", "Zhang Xinfeng"),
    }
    predecessor = Position.objects.get(organization__slug="rats-sco", holder=None)
    assert predecessor.title == "Director of the Executive Committee"
    assert str(predecessor.attested) == "2011"
    assert predecessor.ended


def test_the_2011_jakarta_visit_is_known_only_to_the_year():
    visit = Meeting.objects.get(city="Jakarta")
    assert str(visit.date) == "2011"
    assert visit.date.precision == "year"
    (participant,) = visit.participants.all()
    assert participant.person is None
    assert participant.position.holder is None
    assert participant.who == "the Director of the Executive Committee (not named)"


def test_the_tashkent_meeting_has_its_participants_topics_and_outcomes():
    meeting = Meeting.objects.get(city="Tashkent")
    assert meeting.date.first == MEETING_DAY and meeting.date.precision == "day"
    assert meeting.country.code == "UZ"
    assert {p.person.name for p in meeting.participants.all()} == {
        "Mohamad Asruchin",
        "Zhang Xinfeng",
    }
    topics = set(meeting.topics.values_list("slug", flat=True))
    assert {"terrorism", "extremism", "separatism", "drug-trafficking"} <= topics
    assert {"illegal-migration", "afghanistan-after-2014"} <= topics
    kinds = list(meeting.outcomes.values_list("kind", flat=True))
    assert kinds.count("requested") == 1 and kinds.count("committed") == 1


@pytest.mark.parametrize("title", [BNPT_MOU, ASEAN_MOU])
def test_both_draft_mous_wait_on_the_follow_up_the_director_requested(title):
    agreement = Agreement.objects.with_status().get(title=title)
    assert agreement.status == AgreementEvent.Kind.FOLLOW_UP_REQUESTED
    assert agreement.last_activity == MEETING_DAY
    assert agreement.latest_event.meeting.city == "Tashkent"
    history = [(e.kind, str(e.date)) for e in agreement.events.order_by("date_first")]
    assert history == [("draft_agreed", "2011"), ("follow_up_requested", "20 August 2013")]
    assert agreement.events.get(kind="draft_agreed").meeting.city == "Jakarta"


def test_before_2013_the_mous_were_drafts():
    statuses = Agreement.objects.with_status(as_of=datetime.date(2012, 1, 1))
    assert set(statuses.values_list("status", flat=True)) == {"draft_agreed"}


def test_the_parties_are_rats_sco_and_its_two_partners():
    parties = {a.title: {p.slug for p in a.parties.all()} for a in Agreement.objects.all()}
    assert parties == {
        BNPT_MOU: {"rats-sco", "bnpt"},
        ASEAN_MOU: {"rats-sco", "asean-secretariat"},
    }


def test_the_embassy_owes_the_open_follow_ups_and_none_is_overdue():
    embassy = Organization.objects.get(slug="indonesian-embassy-tashkent")
    owed = FollowUp.objects.open().owed_by(embassy)
    assert owed.count() == 3
    requested = owed.filter(agreement__isnull=False)
    assert {f.agreement.title for f in requested} == {BNPT_MOU, ASEAN_MOU}
    asruchin = Person.objects.get(slug="mohamad-asruchin")
    assert all(f.responsible_person == asruchin for f in requested)
    assert all(f.requested_by_person.slug == "zhang-xinfeng" for f in requested)
    assert all(f.due is None for f in owed)  # no due date was set
    assert not FollowUp.objects.overdue(today=datetime.date(2026, 1, 1)).exists()
