"""In a real browser: staff add a second source to Iran's observer status in SCO, one
that attests it on a later day, and SCO's page on a day before that moves Iran from
presumed to known; a source that contradicts the status shows beside the others."""

from importlib import import_module
from urllib.parse import quote

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from cooperation.models import Country, Membership
from cooperation.roles import EMBASSY_STAFF
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
LATER = "Iran took part in the Council of Heads of State as an observer state."
OTHER = "Iran, a full member of the organization, signed the declaration."


@pytest.fixture
def countries(db):
    """The ISO countries, which a transactional test's flush empties (see
    tests/test_pages_browser.py for why serialized_rollback is not enough)."""
    if not Country.objects.exists():
        import_module("cooperation.migrations.0002_countries").load_countries(django_apps, None)


@pytest.fixture
def sources(db):
    later = factories.SourceFactory(title="Moscow summit communiqué", text=LATER)
    other = factories.SourceFactory(title="A press agency's account", text=OTHER)
    return later, other


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1440, "height": 1000}}


def pick(page, select_id, typed, choice):
    """Open the select2 box of <select id=select_id>, type, and click the result."""
    page.locator(f"#{select_id} + .select2").click()
    search = page.locator(".select2-container--open .select2-search__field")
    with page.expect_response(
        lambda response: (
            "/admin/autocomplete/" in response.url and f"term={quote(typed)}" in response.url
        )
    ):
        search.fill(typed)
    page.locator(".select2-container--open .select2-results__option", has_text=choice).click()


def iran_on_sco_page(page, live_server, day):
    page.goto(f"{live_server.url}/organizations/sco/?as_of={day}")
    known = page.get_by_role("list", name="Observers known on this day")
    presumed = page.get_by_role("list", name="Observers presumed on this day")
    return known, presumed


def test_a_later_source_makes_a_presumed_status_known_and_a_contrary_one_shows_beside_it(
    page, live_server, countries, tashkent, sources
):
    factories.UserFactory(username="amina", password=PASSWORD, role=EMBASSY_STAFF)
    iran = Membership.objects.get(organization__slug="sco", country__code="IR")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    known, presumed = iran_on_sco_page(page, live_server, "2020-06-01")
    expect(presumed).to_contain_text("Iran")
    expect(presumed).to_contain_text("last confirmed 20 August 2013")

    # A second source, on the status's own page: the report's citation stays as it was.
    page.goto(f"{live_server.url}/admin/cooperation/membership/{iran.pk}/change/")
    expect(page.locator("#citations-group")).to_contain_text("Developing the cooperation")
    pick(page, "id_citations-1-source", "Moscow", "Moscow summit communiqué")
    page.fill("#id_citations-1-passage", LATER)
    page.fill("#id_citations-1-attests_on", "2020-11-10")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")

    known, presumed = iran_on_sco_page(page, live_server, "2020-06-01")
    expect(known).to_contain_text("Iran")
    expect(presumed).not_to_contain_text("Iran")
    sources_part = page.locator("#sources ~ section.source", has_text="Moscow summit")
    expect(sources_part).to_contain_text(LATER)
    # After the later source's day, nothing confirms it: presumed again, from then.
    known, presumed = iran_on_sco_page(page, live_server, "2021-01-01")
    expect(presumed).to_contain_text("last confirmed 10 November 2020")

    # A source that says otherwise: the record keeps its value, marked disputed.
    page.goto(f"{live_server.url}/admin/cooperation/membership/{iran.pk}/change/")
    pick(page, "id_citations-2-source", "press", "A press agency's account")
    page.fill("#id_citations-2-passage", OTHER)
    page.check("#id_citations-2-contradicts")
    page.fill("#id_citations-2-states_instead", "A member, not an observer")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")

    known, presumed = iran_on_sco_page(page, live_server, "2020-06-01")
    iran_row = known.locator("li", has_text="Iran")
    expect(iran_row.locator(".mark-disputed")).to_have_text("disputed")
    versions = iran_row.get_by_label("What each source states")
    expect(versions.locator(".version")).to_have_count(2)  # as recorded, and the other
    expect(versions).to_contain_text("A member, not an observer")
    expect(versions).to_contain_text(OTHER)
    expect(versions).to_contain_text(LATER)
    expect(versions).to_contain_text("Developing the cooperation")
    iran.refresh_from_db()
    assert (iran.status, iran.citations.count()) == ("observer", 3)
