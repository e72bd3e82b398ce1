"""An analyst prints SCO's briefing before the ambassador meets it, in a real browser.

Screenshots and the printed PDF go to test-artifacts/brief/, to look at when the
briefing's template or stylesheets change.
"""

import io
import re
import unicodedata
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from pypdf import PdfReader

from cooperation.models import Country
from tests.axe import describe, severe_violations

# serialized_rollback: a transactional test empties the database when it ends; this
# puts back the countries and the groups that migrate made, for the tests after it.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "brief"
PASSWORD = "correct horse battery staple"
BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"
ASEAN_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and the ASEAN Secretariat"
PHONE = {"width": 390, "height": 844}
# An A4 sheet at the browser's 96 pixels an inch, less the margins brief.css gives it
# (@page: 1.4 cm top, 1.5 cm bottom, 1.5 cm on each side).
CM = 96 / 2.54
A4_PRINTED_WIDTH = round((21.0 - 2 * 1.5) * CM)
A4_PRINTED_HEIGHT = round((29.7 - 1.4 - 1.5) * CM)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def countries(db):
    # A transactional test's flush empties the ISO countries: load them as the migration
    # does when another module set the database up (see tests/test_pages_browser.py).
    if not Country.objects.exists():
        import_module("cooperation.migrations.0002_countries").load_countries(django_apps, None)


@pytest.fixture
def records(countries, tashkent):
    """The Tashkent 2013 records."""


def shoot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def log_in(page, live_server, path):
    page.goto(live_server.url + path)
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + path)


def test_the_organization_page_leads_to_a_briefing_that_reads_on_screen(
    page, live_server, records, analyst
):
    log_in(page, live_server, "/organizations/sco/")
    page.get_by_role("link", name="Briefing (printable)").click()
    expect(page).to_have_url(live_server.url + "/organizations/sco/brief/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Shanghai Cooperation Organization \(SCO\)\[\d+\]$")
    )
    for heading in ["Open agreements", "Last meetings", "Sources"]:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=BNPT_MOU)).to_be_visible()
    expect(page.get_by_role("heading", name=ASEAN_MOU)).to_be_visible()
    shoot(page, "01-sco-brief-screen")

    # A fact's reference number leads to its source's passage in the list.
    page.locator("a.ref").first.click()
    expect(page.locator("li:target")).to_contain_text("[1]")
    expect(page.locator("li:target")).to_be_in_viewport()

    problems = severe_violations(page)
    assert not problems, describe(page.url, problems)


def test_printed_sco_briefing_fits_two_a4_sheets_without_the_sites_chrome(
    page, live_server, records, analyst
):
    log_in(page, live_server, "/organizations/sco/brief/")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("form", name="Choose the day")).to_be_hidden()
    expect(page.get_by_role("link", name="← SCO")).to_be_hidden()
    expect(page.locator(".site-footer")).to_have_text(
        re.compile(
            r"Briefing on SCO, printed from Cooperation Tracker by analyst on \d{1,2} \w+ \d{4}\."
        )
    )
    # The printed width of the sheet, to see the page as the paper will show it.
    page.set_viewport_size({"width": A4_PRINTED_WIDTH, "height": A4_PRINTED_HEIGHT})
    shoot(page, "02-sco-brief-print")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 2 * A4_PRINTED_HEIGHT, f"{height}px printed: more than two A4 sheets"

    # page.pdf() works only in headless Chromium; a headed run stops at the measure above.
    try:
        pdf = page.pdf(path=ARTIFACTS / "sco-brief.pdf", format="A4", print_background=True)
    except PlaywrightError:
        return
    sheets = PdfReader(io.BytesIO(pdf)).pages
    assert 1 <= len(sheets) <= 2
    # NFKC: the PDF's text has ligatures ("ﬁ" in "conﬁrmed").
    printed = unicodedata.normalize("NFKC", " ".join(sheet.extract_text() for sheet in sheets))
    printed = re.sub(r"\s+", " ", printed)
    for fact in [
        "Follow-up requested since 20 August 2013",
        "owed by H.E. Mohamad Asruchin",
        "Ambassador Asruchin meets the Director of the RATS-SCO Executive Committee",
        "Mr. Zhang Xinfeng",
        "Presumed, last confirmed 20 August 2013",
        "Sources",
    ]:
        assert fact in printed, fact


def test_on_a_phone_the_briefing_does_not_scroll_sideways(page, live_server, records, analyst):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "/organizations/sco/brief/?as_of=2013-08-20")
    expect(page.get_by_role("heading", name=re.compile("^Members and observers"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "03-sco-brief-phone")
