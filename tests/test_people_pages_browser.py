"""An analyst finds a person and reads their page in a real browser, on a phone and on a
desk: nothing scrolls sideways, and what the page says is there to be read.

Screenshots go to test-artifacts/pages/people-*.png.
"""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from cooperation.models import Country
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
MEETING = "Ambassador Asruchin meets the Director of the RATS-SCO Executive Committee"

# Every element of the page's content whose box reaches past the right edge of the window
# (but the column headings a phone keeps, clipped to nothing, for screen readers).
PAST_THE_EDGE = """() => Array.from(document.querySelectorAll("main *"))
    .filter(element => !element.closest("table.stack thead"))
    .filter(element => element.getBoundingClientRect().right > window.innerWidth + 1)
    .map(element => element.tagName + " " + element.textContent.trim().slice(0, 40))"""


@pytest.fixture
def records(db, tashkent):
    # The countries, which a transactional test's flush empties (see test_pages_browser.py).
    if not Country.objects.exists():
        import_module("cooperation.migrations.0002_countries").load_countries(django_apps, None)


def log_in(page, live_server, path):
    page.goto(live_server.url + path)
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + path)


def fits(page, name):
    """The page has no sideways scrolling, nothing of it lies past the window's edge, and
    axe-core finds no critical or serious fault in it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert page.evaluate(PAST_THE_EDGE) == [], name
    violations = severe_violations(page)
    assert not violations, describe(page.url, violations)


@pytest.mark.parametrize("size", [PHONE, DESK], ids=["390px", "1280px"])
def test_an_analyst_finds_the_director_and_reads_his_page(
    page, live_server, records, analyst, size
):
    page.set_viewport_size(size)
    wide = "phone" if size is PHONE else "desk"
    log_in(page, live_server, "/agreements/")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    fits(page, f"people-{wide}-list")

    search = page.get_by_role("form", name="Find a person")
    if size is PHONE:
        search.locator("summary").click()  # on a phone the filters are folded away
    search.get_by_label("Name").fill("Mr. Xinfeng")
    with page.expect_navigation():
        search.get_by_role("button", name="Show").click()
    expect(page.get_by_text("1 person")).to_be_visible()
    page.get_by_role("link", name="Mr. Zhang Xinfeng").click()

    expect(page.get_by_role("heading", name="Mr. Zhang Xinfeng", level=1)).to_be_visible()
    page.get_by_label("Posts held on").fill("2020-01-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("presumed in post: last confirmed 20 August 2013")).to_be_visible()
    expect(page.get_by_text("Also held by: someone not named")).to_be_visible()
    expect(page.get_by_role("link", name=MEETING).first).to_be_visible()
    expect(page.get_by_role("heading", name="Follow-up actions requested")).to_be_visible()
    fits(page, f"people-{wide}-zhang-xinfeng")
    if size is PHONE:
        # Each post is a card with its cells labelled; the column headings stay for
        # screen readers in a 1px box.
        posts = page.locator("table.stack").first
        assert posts.locator("thead").bounding_box()["height"] <= 1

    page.get_by_role("link", name="H.E. Mohamad Asruchin").first.click()
    expect(page.get_by_role("heading", name="H.E. Mohamad Asruchin", level=1)).to_be_visible()
    expect(page.get_by_text("2 follow-up actions owed by Mohamad Asruchin")).to_be_visible()
    fits(page, f"people-{wide}-mohamad-asruchin")


def test_a_bad_day_is_said_plainly_on_a_phone(page, live_server, records, analyst):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "/people/zhang-xinfeng/?as_of=2013-02-30")
    expect(page.get_by_role("alert")).to_contain_text("As of: Enter the day as YYYY-MM-DD")
    fits(page, "people-phone-bad-day")
