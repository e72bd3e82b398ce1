"""Every recorded fact cites any number of sources; each citation quotes a passage,
says the date the source speaks of, and supports the record or contradicts it."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from agreements.models import Agreement
from cooperation.admin_base import CitationInline
from cooperation.models import CITED_RECORDS, Citation, Deletion, Membership
from tests import factories
from tests.factories import MembershipFactory, SourceFactory, cite, country

D = datetime.date

pytestmark = pytest.mark.django_db

REPORT_2013 = "SCO observers attended the summit."
REPORT_2020 = "Iran took part as an observer in the 2020 summit."


def answer(membership, day):
    row = Membership.objects.with_certainty_on(day).get(pk=membership.pk)
    if not row.held:
        return "unknown"
    return "presumed" if row.presumed else "known"


def observer_attested_2013():
    source = SourceFactory(text=REPORT_2013)
    membership = MembershipFactory(
        country=country("IR"), status=Membership.Status.OBSERVER, source=source,
        passage=REPORT_2013, attested="2013-08-20",
    )  # fmt: skip
    return membership


def test_a_record_cites_any_number_of_sources():
    membership = observer_attested_2013()
    cite(membership, source=SourceFactory(text=REPORT_2020), passage=REPORT_2020)
    cite(membership, source=SourceFactory(), attests_on="2021")
    assert membership.citations.count() == 3
    assert {c.cited_record for c in membership.citations.all()} == {membership}


def test_a_later_citation_moves_a_status_from_presumed_to_known_up_to_its_day():
    membership = observer_attested_2013()
    assert answer(membership, D(2020, 6, 1)) == "presumed"

    cite(membership, source=SourceFactory(text=REPORT_2020), passage=REPORT_2020,
         attests_on="2020-11-10")  # fmt: skip

    assert answer(membership, D(2013, 8, 20)) == "known"
    assert answer(membership, D(2020, 6, 1)) == "known"
    assert answer(membership, D(2020, 11, 10)) == "known"
    assert answer(membership, D(2020, 11, 11)) == "presumed"
    membership.refresh_from_db()
    assert (str(membership.attested), str(membership.last_attested)) == (
        "20 August 2013",
        "10 November 2020",
    )


def test_removing_the_later_citation_makes_it_presumed_again():
    membership = observer_attested_2013()
    later = cite(membership, source=SourceFactory(), attests_on="2020-11-10")
    later.delete()
    assert answer(membership, D(2020, 6, 1)) == "presumed"


def test_a_citation_dated_only_to_the_year_confirms_up_to_the_end_of_that_year():
    membership = observer_attested_2013()
    cite(membership, source=SourceFactory(), attests_on="2020")
    assert answer(membership, D(2020, 12, 31)) == "known"
    assert answer(membership, D(2021, 1, 1)) == "presumed"


def test_the_earliest_citation_dates_a_status_whose_start_is_unknown():
    membership = observer_attested_2013()
    cite(membership, source=SourceFactory(), attests_on="2010-05-01")
    assert answer(membership, D(2010, 4, 30)) == "unknown"
    assert answer(membership, D(2011, 1, 1)) == "known"


def test_a_contradicting_citation_confirms_nothing_and_marks_the_record_disputed():
    membership = observer_attested_2013()
    assert not membership.is_disputed()
    cite(membership, source=SourceFactory(), attests_on="2020-11-10", contradicts=True,
         states_instead="member since 2005")  # fmt: skip
    assert answer(membership, D(2020, 6, 1)) == "presumed"
    assert membership.is_disputed()


def test_a_citation_checks_its_passage_against_its_source():
    membership = observer_attested_2013()
    citation = Citation(
        membership=membership, source=SourceFactory(title="Summit report"), passage="Not there."
    )
    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()
    assert excinfo.value.message_dict == {
        "passage": ["These words do not occur in “Summit report”. Quote it exactly."]
    }


def test_a_contradicting_citation_says_what_the_source_states_instead():
    membership = observer_attested_2013()
    citation = Citation(membership=membership, source=SourceFactory(), contradicts=True)
    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()
    assert excinfo.value.message_dict == {
        "states_instead": ["Say what the source states instead of the record."]
    }
    citation = Citation(membership=membership, source=SourceFactory(), states_instead="2005")
    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()
    assert list(excinfo.value.message_dict) == ["contradicts"]


def test_a_new_citation_names_its_source():
    citation = Citation(membership=observer_attested_2013(), passage="")
    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()
    assert excinfo.value.message_dict == {"source": ["Name the source this citation quotes."]}


def test_a_citation_cites_exactly_one_record():
    membership = observer_attested_2013()
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=SourceFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(
            source=SourceFactory(), membership=membership, organization=membership.organization
        )


def test_every_kind_of_recorded_fact_can_cite_sources():
    for kind in CITED_RECORDS:
        model = Citation._meta.get_field(kind).related_model
        assert Citation.field_for(model) == kind
        assert model._meta.get_field("citations").related_model is Citation


def test_one_citation_inline_serves_the_page_of_every_kind_of_record():
    for kind in CITED_RECORDS:
        model = Citation._meta.get_field(kind).related_model
        assert CitationInline in admin.site.get_model_admin(model).inlines, model


def test_deleting_a_record_deletes_its_citations_and_restoring_brings_them_back(staff):
    membership = observer_attested_2013()
    cite(membership, source=SourceFactory(), attests_on="2020-11-10")
    pk = membership.pk
    membership.delete()
    assert not Citation.objects.filter(membership=pk).exists()

    Deletion.objects.get().restore(staff)

    restored = Membership.objects.get(pk=pk)
    assert restored.citations.count() == 2
    assert str(restored.last_attested) == "10 November 2020"


def test_loading_the_report_again_adds_no_citation_twice(tashkent):
    before = Citation.objects.count()
    call_command("load_records", "fixtures/tashkent_2013.json", "--again", verbosity=0)
    assert Citation.objects.count() == before == 55


def test_recording_an_event_can_cite_its_source():
    agreement = factories.AgreementFactory()
    source = SourceFactory()
    event = agreement.record_event(
        "signed", "2013", source=source, passage="The parties met and agreed"
    )
    (citation,) = event.citations.all()
    assert (citation.source, citation.passage) == (source, "The parties met and agreed")
    with pytest.raises(ValidationError):
        agreement.record_event("draft_agreed", "2012", source=source, passage="Not in it.")
    assert Agreement.objects.get().events.count() == 1


def test_a_disputed_status_shows_every_sources_version_on_the_organization_page(
    analyst_client, tashkent
):
    iran = Membership.objects.get(organization__slug="sco", country__code="IR")
    other = SourceFactory(title="A press agency's account", text="Iran, a full member, signed.")
    cite(iran, source=other, passage="Iran, a full member, signed.", contradicts=True,
         states_instead="A member, not an observer")  # fmt: skip
    html = analyst_client.get("/organizations/sco/?as_of=2013-08-20").text
    assert "{#" not in html and "{%" not in html
    row = html[html.index('<li>Iran <span class="muted">—') :]
    row = row[: row.index("</li>")]
    assert '<span class="mark mark-disputed">disputed</span>' in row
    assert 'Observer, attested 20 August 2013 <span class="muted">(as recorded)</span>' in row
    assert "A member, not an observer" in row
    assert "“Iran, a full member, signed.”" in row
    assert "SCO has 5 observer countries" in row  # the report's passage, beside it
    # The statuses no source contradicts are not marked.
    assert html.count('mark-disputed">disputed') == 1


def test_a_disputed_event_shows_both_sources_on_the_agreement_page(analyst_client, tashkent):
    agreement = Agreement.objects.get(title__contains="BNPT")
    event = agreement.events.get(kind="draft_agreed")
    other = SourceFactory(title="A press agency's account", text="The draft came in 2012.")
    cite(event, source=other, passage="The draft came in 2012.", contradicts=True,
         states_instead="Agreed in 2012")  # fmt: skip
    html = analyst_client.get(f"/agreements/{agreement.pk}/").text
    assert "This source states: Agreed in 2012" in html
    assert "“The draft came in 2012.”" in html
    assert "agreed on a draft MOU" in html  # the report's own passage stays
    sources = analyst_client.get(f"/agreements/{agreement.pk}/").context["citations"]
    titles = [source.title for source, passages in sources]
    assert "A press agency's account" in titles


def test_restoring_an_earlier_version_keeps_the_dates_its_citations_attest(staff_client):
    from tests.admin_forms import admin_url, form_values

    membership = observer_attested_2013()
    membership.note = "Seen at the summit."
    membership.save()
    cite(
        membership,
        source=SourceFactory(text=REPORT_2020),
        passage=REPORT_2020,
        attests_on="2020-06-01",
    )
    membership.refresh_from_db()
    assert membership.last_attested.iso == "2020-06-01"
    first = membership.history.earliest()

    url = admin_url(Membership, "simple_history", membership.pk, first.history_id)
    response = staff_client.post(url, form_values(staff_client.get(url)))

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.note == ""
    # The first version was saved before the 2020 citation: the dates come from the
    # citations as they are now, not from that version.
    assert (membership.attested.iso, membership.last_attested.iso) == (
        "2013-08-20",
        "2020-06-01",
    )
