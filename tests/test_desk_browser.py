"""An analyst opens their desk in a real browser, on a phone and on a desk: what is
overdue is counted in the navigation, nothing scrolls sideways, the digest switches off,
and the printed desk leaves its settings and the feed's secret address off the paper.

Screenshots go to test-artifacts/pages/desk-*.png.
"""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from cooperation.models import Country
from tests import factories
from tests.axe import describe, severe_violations

# serialized_rollback: see tests/test_pages_browser.py.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "pages"
PASSWORD = "correct horse battery staple"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"

# Every element of the page's content whose box reaches past the right edge of the window
# (but the column headings a phone keeps, clipped to nothing, for screen readers).
PAST_THE_EDGE = """() => Array.from(document.querySelectorAll("main *"))
    .filter(element => !element.closest("table.stack thead"))
    .filter(element => element.getBoundingClientRect().right > window.innerWidth + 1)
    .map(element => element.tagName + " " + element.textContent.trim().slice(0, 40))"""


@pytest.fixture
def desk_of_the_analyst(db, analyst):
    """An analyst's desk with one item in each list, and a change made by a colleague."""
    if not Country.objects.exists():  # emptied by a transactional test's flush
        import_module("cooperation.migrations.0002_countries").load_countries(django_apps, None)
    rats = factories.OrganizationFactory(name="Regional Anti-Terrorist Structure", acronym="RATS")
    agreement = factories.AgreementFactory(title=BNPT_MOU, desk_officer=analyst)
    agreement.record_event("draft_agreed", "2011")
    factories.FollowUpFactory(
        agreement=agreement,
        desk_officer=analyst,
        responsible_organization=rats,
        action="Send BNPT's comments on the draft MOU to the RATS-SCO Executive Committee",
        due="2014-01",
    )
    factories.FollowUpFactory(
        agreement=agreement,
        desk_officer=analyst,
        responsible_organization=rats,
        action="Ask the ASEAN Secretariat whether it still wishes to sign",
        due="",
    )
    return analyst


def log_in(page, live_server, path):
    page.goto(live_server.url + path)
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + path)


def fits(page, name, *, accessible=True):
    """No sideways scrolling, nothing past the window's edge, and (on screen) no critical
    or serious fault that axe-core finds."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert page.evaluate(PAST_THE_EDGE) == [], name
    if accessible:
        violations = severe_violations(page)
        assert not violations, describe(page.url, violations)


@pytest.mark.parametrize("size", [PHONE, DESK], ids=["390px", "1280px"])
def test_an_analyst_reads_their_desk_and_switches_the_digest_off(
    page, live_server, desk_of_the_analyst, size
):
    page.set_viewport_size(size)
    wide = "phone" if size is PHONE else "desk"
    log_in(page, live_server, "/agreements/")

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My desk, 1 overdue"
    ).click()
    expect(page.get_by_role("heading", name="My desk", level=1)).to_be_visible()
    overdue = page.get_by_role("region", name="Overdue follow-up actions").get_by_role(
        "link", name="Send BNPT's comments on the draft MOU"
    )
    expect(overdue).to_be_visible()
    expect(page.get_by_role("region", name="Overdue follow-up actions")).to_contain_text(
        "January 2014"
    )
    stalled = page.get_by_role("region", name="Stalled agreements")
    expect(stalled.get_by_role("link", name=BNPT_MOU)).to_be_visible()
    expect(page.get_by_text("Nothing is due within the next 14 days.")).to_be_visible()
    expect(page.get_by_role("heading", name="Latest changes")).to_be_visible()
    expect(page.get_by_text("Your account has no email address")).to_be_visible()
    fits(page, f"desk-{wide}")

    page.get_by_role("button", name="Switch the weekly digest off").click()
    expect(page.get_by_role("status")).to_contain_text("The weekly digest is off.")
    expect(page.get_by_role("button", name="Switch the weekly digest on")).to_be_visible()
    fits(page, f"desk-{wide}-digest-off")

    overdue.click()
    expect(page.get_by_role("heading", name=BNPT_MOU, level=1)).to_be_visible()


def test_the_printed_desk_lists_the_items_without_the_settings(
    page, live_server, desk_of_the_analyst
):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "/desk/")
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="Overdue follow-up actions")).to_be_visible()
    expect(page.get_by_role("heading", name="Weekly digest")).to_be_hidden()
    expect(page.locator("#calendar-feed")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    fits(page, "desk-print", accessible=False)
