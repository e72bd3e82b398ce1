"""Free text on the status page: full-text search on PostgreSQL, by substring elsewhere."""

import pytest
from django.db import connection

from agreements.models import Agreement
from cooperation.history import bulk_create_recorded
from tests import factories


@pytest.fixture
def agreements(db):
    bnpt = factories.OrganizationFactory(
        name="Indonesian National Agency In Combating Terrorism", acronym="BNPT"
    )
    factories.OrganizationNameFactory(
        organization=bnpt, name="Badan Nasional Penanggulangan Terorisme"
    )
    with_bnpt = factories.AgreementFactory(title="MOU on counter-terrorism", summary="A draft")
    factories.AgreementPartyFactory(agreement=with_bnpt, organization=bnpt)
    owed = factories.AgreementFactory(title="MOU on customs", summary="Signed in Jakarta")
    asruchin = factories.PersonFactory(name="Mohamad Asruchin", other_names="Ambassador Asruchin")
    factories.FollowUpFactory(agreement=owed, responsible_person=asruchin)
    factories.AgreementFactory(title="Agreement on fisheries", summary="")
    return with_bnpt, owed


@pytest.mark.parametrize(
    "text, expected",
    [
        ("counter-terrorism", ["MOU on counter-terrorism"]),
        ("mou", ["MOU on counter-terrorism", "MOU on customs"]),
        ("jakarta", ["MOU on customs"]),  # in the summary
        ("penanggulangan", ["MOU on counter-terrorism"]),  # another name of a party
        ("penang", ["MOU on counter-terrorism"]),  # the start of a word
        ("bnpt", ["MOU on counter-terrorism"]),  # a party's acronym
        ("asruchin", ["MOU on customs"]),  # who owes a follow-up
        ("mou customs", ["MOU on customs"]),  # every word must match
        ("mou fisheries", []),
        ("", ["Agreement on fisheries", "MOU on counter-terrorism", "MOU on customs"]),
        ("&|!:*()'", ["Agreement on fisheries", "MOU on counter-terrorism", "MOU on customs"]),
    ],
)
def test_free_text_finds_titles_summaries_and_every_name(agreements, text, expected):
    found = Agreement.objects.matching(text).order_by("title")
    assert [a.title for a in found] == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes exist on PostgreSQL")
def test_at_size_the_search_uses_the_gin_index(db):
    titles = [f"Memorandum {n} on cooperation in sector {n % 97}" for n in range(20000)]
    bulk_create_recorded(Agreement, [Agreement(title=t, kind="mou") for t in titles], reason="test")
    Agreement.objects.create(title="Memorandum on aquaculture", kind="mou")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE agreements_agreement")
    found = Agreement.objects.matching("aquaculture")
    assert [a.title for a in found] == ["Memorandum on aquaculture"]
    plan = found.explain()
    assert "agreement_search_idx" in plan, plan
