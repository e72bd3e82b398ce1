"""Reading a source: its sentences, the names and dates recognized in them, what is
already cited, and admin forms started from a sentence, pre-filled."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.models import Country, Membership, Organization, Person, Source
from reading.recognize import Names, date_meant, find_dates, sentence_spans
from tests import factories
from tests.admin_forms import admin_url, errors_on_page, form_values

REPORT = "tashkent-2013-report"


def sentences(text):
    return [text[start:end] for start, end in sentence_spans(text)]


# --- Sentences ------------------------------------------------------------------------


def test_a_title_line_is_a_sentence_of_its_own():
    text = "Developing the cooperation\n\nThe Ambassador met the Director. They agreed."
    assert sentences(text) == [
        "Developing the cooperation",
        "The Ambassador met the Director.",
        "They agreed.",
    ]


def test_titles_abbreviations_and_initials_do_not_end_a_sentence():
    text = (
        "H.E. Mohamad Asruchin met Mr. Xinfeng and Mr.Zhang Xinfeng. "
        "It is attractive to the U.S. and ASEAN, and to J. Smith. "
        "The withdrawal of U.S./NATO forces (in 2014) was discussed. (Source : Embassy)"
    )
    assert sentences(text) == [
        "H.E. Mohamad Asruchin met Mr. Xinfeng and Mr.Zhang Xinfeng.",
        "It is attractive to the U.S. and ASEAN, and to J. Smith.",
        "The withdrawal of U.S./NATO forces (in 2014) was discussed.",
        "(Source : Embassy)",
    ]


# --- Dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("August 20th, 2013", "2013-08-20"),
        ("20 August 2013", "2013-08-20"),
        ("the 3rd of June, 2015", "2015-06-03"),
        ("20/08/2013", "2013-08-20"),
        ("2013-08-20", "2013-08-20"),
        ("August 2013", "2013-08"),
        ("Sept. 2014", "2014-09"),
        ("2013-08", "2013-08"),
        ("2011", "2011"),
        ("20 Agustus 2013", "2013-08-20"),
        ("1 Maret 2012", "2012-03-01"),
    ],
)
def test_a_date_expression_means_a_date_known_to_the_day_the_month_or_the_year(written, meant):
    assert date_meant(written).iso == meant


def test_dates_are_found_with_what_they_mean_and_nothing_else_is():
    text = (
        "He visited Jakarta in 2011, met on August 20th, 2013 and on 20/08/2013; SCO was "
        "founded 11 years ago, 12 members came, and 2013-13-01 is no day."
    )
    found = [(text[m.start : m.end], m.date.iso) for m in find_dates(text)]
    assert found == [
        ("2011", "2011"),
        ("August 20th, 2013", "2013-08-20"),
        ("20/08/2013", "2013-08-20"),
    ]


# --- Names ----------------------------------------------------------------------------


def test_names_match_whole_words_the_longest_winning_and_acronyms_as_written():
    names = Names(
        [
            ("SCO", "organization", "SCO"),
            ("Shanghai Cooperation Organization", "organization", "SCO"),
            ("RATS-SCO", "organization", "RATS"),
            ("US", "country", "US"),
            ("Indonesia", "country", "ID"),
        ]
    )
    text = (
        "RATS-SCO of the Shanghai Cooperation Organization told us: SCOT, SCO and the US; "
        "Indonesian."
    )
    found = [(text[m.start : m.end], m.record) for m in names.find(text)]
    assert found == [
        ("RATS-SCO", "RATS"),
        ("Shanghai Cooperation Organization", "SCO"),
        ("SCO", "SCO"),
        ("US", "US"),
    ]


def test_names_ignore_case_line_breaks_and_curly_apostrophes():
    names = Names([("Côte d'Ivoire", "country", "CI"), ("Central Asia", "topic", "CA")])
    text = "CÔTE D’IVOIRE and central\nasia"
    assert [m.record for m in names.find(text)] == ["CI", "CA"]


# --- The 2013 report, read --------------------------------------------------------------


@pytest.fixture
def report(tashkent):
    return Source.objects.get(slug=REPORT)


def read_page(client, source, **query):
    return client.get(f"/sources/{source.pk}/read/", query)


def marked(response, kind):
    """The words of the page marked as `kind`, each once."""
    words = set()
    for item in response.context["sentences"]:
        for text, mention in item["sentence"].parts():
            if mention is not None and mention.kind == kind:
                words.add(text)
    return words


def test_the_reading_page_of_the_report_marks_every_name_and_date_it_gives(staff_client, report):
    response = read_page(staff_client, report)
    assert response.status_code == 200
    assert marked(response, "organization") == {
        "RATS-SCO",
        "Indonesian National Agency In Combating Terrorism",
        "Regional Anti-Terrorism Structure of the Shanghai Cooperation Organization",
        "SCO",
        "ASEAN",
        "ASEAN Secretariat",
        "Indonesian Embassy in Tashkent",
        "BNPT",
    }
    assert marked(response, "person") == {
        "Mohamad Asruchin",
        "Mr.Zhang Xinfeng",
        "Ambassador Asruchin",
        "Mr. Xinfeng",
    }
    assert marked(response, "country") == {
        "Uzbekistan", "U.S.", "Indonesia", "Afghanistan", "Iraq", "Sri Lanka", "China",
        "Russia", "Tajikistan", "Kyrgyzstan", "Kazakhstan", "India", "Iran", "Mongolia",
        "Pakistan",
    }  # fmt: skip
    dates = {
        (text, mention.date.iso)
        for item in response.context["sentences"]
        for text, mention in item["sentence"].parts()
        if mention is not None and mention.kind == "date"
    }
    assert dates == {("August 20th, 2013", "2013-08-20"), ("2014", "2014"), ("2011", "2011")}
    assert "Drug trafficking" in {str(m.record) for m in response.context["reading"].mentions}


def test_every_passage_the_records_cite_shows_as_covered(staff_client, report):
    response = read_page(staff_client, report)
    reading = response.context["reading"]
    covered = {c.pk for sentence in reading.sentences for c in sentence.citations}
    assert covered == set(report.citations.exclude(passage="").values_list("pk", flat=True))
    cited = reading.cited_count
    total = len(reading.sentences)
    assert (cited, total) == (13, 14)
    assert f"{cited} of {total} sentences cited" in response.content.decode()


def test_only_the_sentences_not_yet_cited_on_asking(staff_client, report):
    response = read_page(staff_client, report, left="1")
    items = response.context["sentences"]
    assert [item["sentence"].citations for item in items] == [[]] * len(items)
    assert len(items) == len(response.context["reading"].sentences) - 13


def test_a_sentence_is_marked_cited_by_the_records_that_quote_it(staff_client, report):
    response = read_page(staff_client, report)
    last = [item for item in response.context["sentences"] if "six member" in item["sentence"].text]
    (item,) = last
    cited = {str(cited["record"]) for cited in item["cited_by"]}
    assert "Iran — observer of SCO" in cited
    assert "China — member of SCO" in cited


# --- Who may read ------------------------------------------------------------------------


def test_anonymous_are_sent_to_log_in(client, report):
    response = read_page(client, report)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_analysts_may_not_open_the_reading_page(analyst_client, report):
    assert read_page(analyst_client, report).status_code == 403


def test_an_unknown_source_is_not_found(staff_client, db):
    assert staff_client.get("/sources/999999/read/").status_code == 404
    assert staff_client.get("/sources/abc/read/").status_code == 404


def test_a_source_without_text_says_how_to_give_it_one(staff_client, db):
    source = factories.SourceFactory(text="")
    response = read_page(staff_client, source)
    assert response.status_code == 200
    assert "This source has no text yet." in response.content.decode()


# --- Query counts -------------------------------------------------------------------------

QUERIES = 21


def test_the_reading_page_reads_a_fixed_number_of_queries(staff_client, report):
    read_page(staff_client, report)  # the session and permissions, once
    with CaptureQueriesContext(connection) as queries:
        read_page(staff_client, report)
    assert len(queries) == QUERIES, "\n".join(q["sql"][:150] for q in queries)


def test_the_query_count_stays_the_same_with_many_more_records_and_citations(staff_client, report):
    sco = Organization.objects.get(slug="sco")
    for number in range(30):
        organization = factories.OrganizationFactory(name=f"Body {number}", parent=sco)
        person = factories.PersonFactory(name=f"Person {number}")
        factories.PositionFactory(holder=person, organization=organization)
    membership = Membership.objects.get(organization=sco, country__code="IR")
    for _ in range(50):
        factories.cite(membership, source=report, passage="Iran")
    read_page(staff_client, report)
    with CaptureQueriesContext(connection) as queries:
        read_page(staff_client, report)
    assert len(queries) == QUERIES


# --- From a sentence to an admin form ------------------------------------------------------


def action(item, label):
    return next(a for a in item["cite"] + item["new"] if a.label == label)


def query_of(url):
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def test_a_sentence_offers_to_cite_it_for_the_records_it_names_not_citing_it_yet(
    staff_client, report
):
    iran = Membership.objects.get(organization__slug="sco", country__code="IR")
    iran.citations.all().delete()
    response = read_page(staff_client, report)
    (item,) = [i for i in response.context["sentences"] if "six member" in i["sentence"].text]
    labels = [a.label for a in item["cite"]]
    # Every status the sentence names, that does not cite it yet: Iran's, now.
    assert labels == [
        f"Organization: {Organization.objects.get(slug='sco')}",
        "Membership: Iran — observer of SCO",
    ]
    cite = action(item, "Membership: Iran — observer of SCO")
    assert urlsplit(cite.url).path == admin_url(Membership, "change", iran.pk)
    # The report is not dated and the sentence gives no date: no day to attest.
    assert query_of(cite.url) == {"source": str(report.pk), "passage": item["sentence"].passage}


def test_citing_a_sentence_opens_the_record_with_the_citation_filled_in(staff_client, report):
    later = factories.SourceFactory(
        title="Later report", date="2017-06-09", text="India became a member of the SCO."
    )
    response = read_page(staff_client, later)
    (item,) = response.context["sentences"]
    cite = action(item, f"Organization: {Organization.objects.get(slug='sco')}")
    page = staff_client.get(cite.url)
    assert page.status_code == 200
    data = form_values(page)
    (row,) = [
        form.initial
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.prefix == "citations"
        for form in inline.formset.extra_forms
    ]
    assert row == {"source": str(later.pk), "passage": "India became a member of the SCO.",
                   "attests_on": "2017-06-09"}  # fmt: skip
    prefix = f"citations-{data['citations-TOTAL_FORMS']}"
    data.update({f"{prefix}-{name}": value for name, value in row.items()})
    data["citations-TOTAL_FORMS"] = str(int(data["citations-TOTAL_FORMS"]) + 1)
    saved = staff_client.post(urlsplit(cite.url).path, data)
    assert saved.status_code == 302, errors_on_page(saved)
    sco = Organization.objects.get(slug="sco")
    assert sco.citations.filter(source=later, passage=row["passage"]).exists()


def test_a_new_membership_starts_filled_with_what_the_sentence_names(staff_client, report):
    later = factories.SourceFactory(
        title="Samarkand summit", date="2022-09-16",
        text="On 14 September 2022, Egypt became a dialogue partner of the SCO.",
    )  # fmt: skip
    response = read_page(staff_client, later)
    (item,) = response.context["sentences"]
    page = staff_client.get(action(item, "Membership").url)
    form = page.context["adminform"].form
    sco = Organization.objects.get(slug="sco")
    egypt = Country.objects.get(code="EG")
    assert (form["organization"].value(), form["country"].value(), form["start"].value()) == (
        str(sco.pk),
        str(egypt.pk),
        "2022-09-14",
    )
    data = form_values(page)
    data.update(status=Membership.Status.DIALOGUE_PARTNER, start="2022-09-14")
    data.update(
        {
            "citations-TOTAL_FORMS": "1",
            "citations-0-source": str(later.pk),
            "citations-0-passage": item["sentence"].passage,
            "citations-0-attests_on": "2022-09-16",
        }
    )
    saved = staff_client.post(admin_url(Membership, "add"), data)
    assert saved.status_code == 302, errors_on_page(saved)
    membership = Membership.objects.get(organization=sco, country=egypt)
    (citation,) = membership.citations.all()
    assert (citation.source, citation.passage) == (later, item["sentence"].passage)


def test_a_new_meeting_starts_with_the_people_named_as_participants(staff_client, report):
    response = read_page(staff_client, report)
    first = response.context["sentences"][1]
    page = staff_client.get(action(first, "Meeting").url)
    assert page.context["adminform"].form["date"].value() == "2013-08-20"
    (participants,) = [
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.prefix == "participants"
    ]
    people = {form.initial["person"] for form in participants.extra_forms}
    assert people == set(Person.objects.values_list("pk", flat=True))


def test_an_address_with_values_that_cannot_be_saved_fills_in_the_rest(staff_client, db):
    url = admin_url(Membership, "add")
    page = staff_client.get(url, {"source": "abc", "passage": "words", "attests_on": "2013-13"})
    assert page.status_code == 200
    (row,) = [
        form.initial
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.prefix == "citations"
        for form in inline.formset.extra_forms
    ]
    assert row == {"passage": "words"}


def test_staff_reach_the_reading_page_from_the_source_admin(staff_client, report):
    url = f"/sources/{report.pk}/read/"
    assert url in staff_client.get(admin_url(Source, "change", report.pk)).content.decode()
    assert url in staff_client.get(admin_url(Source, "changelist")).content.decode()


def test_analysts_are_not_offered_the_reading_page(analyst_client, report):
    url = f"/sources/{report.pk}/read/"
    assert url not in analyst_client.get(admin_url(Source, "change", report.pk)).content.decode()
    assert url not in analyst_client.get(admin_url(Source, "changelist")).content.decode()


def test_countries_come_back_with_their_usual_names_after_a_flush(db):
    """As a browser test's flush leaves the database: the ISO list and its usual names
    are put back together (tests.factories.ensure_countries)."""
    Country._base_manager.all().delete()
    factories.ensure_countries()
    assert "Russia" in Country.objects.get(code="RU").usual_names()
