"""In a real browser: the language switch on every page, at phone and desk widths, and
the choice remembered from the login page to the pages after it.

Screenshots go to test-artifacts/pages/, as in test_pages_browser.py.
"""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.utils import translation
from playwright.sync_api import expect

from cooperation.models import Country

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "pages"
PASSWORD = "correct horse battery staple"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}


def indonesian(message, context=None):
    with translation.override("id"):
        return translation.pgettext(context, message) if context else translation.gettext(message)


@pytest.fixture
def records(db, tashkent):
    # A transactional test's flush empties the countries a migration loads: see
    # test_pages_browser.py's `countries`.
    if not Country.objects.exists():
        import_module("cooperation.migrations.0002_countries").load_countries(django_apps, None)


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("size", [PHONE, DESK], ids=["phone", "desk"])
def test_the_language_chosen_on_the_login_page_stays_chosen(
    page, live_server, records, analyst, size
):
    page.set_viewport_size(size)
    page.goto(live_server.url + "/agreements/")
    page.get_by_label("Language").select_option("id")
    page.get_by_role("button", name="Change").click()

    # The login page again, in Indonesian, and still the way back to the status page.
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("h1")).to_have_text(indonesian("Log in"))
    page.locator("input[name=username]").fill("analyst")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=indonesian("Log in")).click()
    expect(page).to_have_url(live_server.url + "/agreements/")

    # Remembered on the pages after it.
    for path in ("/agreements/", "/meetings/", "/organizations/sco/", "/people/"):
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "id")
        nav = page.get_by_role("navigation", name=indonesian("Main", "main navigation"))
        if size is DESK:
            expect(nav.get_by_role("link", name=indonesian("Meetings"))).to_be_visible()
        expect(page.get_by_label(indonesian("Language"))).to_have_value("id")
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), path
    shoot(page, f"60-{'phone' if size is PHONE else 'desk'}-people-indonesian")

    page.goto(live_server.url + "/organizations/sco/")
    expect(page.locator("main")).to_contain_text("Agustus 2013")
    shoot(page, f"61-{'phone' if size is PHONE else 'desk'}-organization-indonesian")

    # Printed, the page leaves the switch out.
    page.emulate_media(media="print")
    expect(page.locator("form.language-switch")).to_be_hidden()

    # And back to English, from any page.
    page.emulate_media(media="screen")
    page.get_by_label(indonesian("Language")).select_option("en-gb")
    page.get_by_role("button", name=indonesian("Change", "language switch")).click()
    expect(page).to_have_url(live_server.url + "/organizations/sco/")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
