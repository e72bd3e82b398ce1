"""In a real browser: SCO's page shows the MOUs of RATS-SCO, its body, marked as such, and
the status page finds them by SCO until the analyst asks for SCO alone."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from cooperation.models import Country

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"
ASEAN_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and the ASEAN Secretariat"


@pytest.fixture
def countries(db):
    """The ISO countries, which a transactional test's flush empties (see
    tests/test_pages_browser.py for why serialized_rollback is not enough)."""
    if not Country.objects.exists():
        import_module("cooperation.migrations.0002_countries").load_countries(django_apps, None)


def log_in(page, live_server, path):
    page.goto(live_server.url + path)
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + path)


def test_scos_page_shows_the_mous_of_rats_sco_marked_with_it(
    page, live_server, countries, tashkent, analyst
):
    log_in(page, live_server, "/organizations/sco/")
    expect(page.get_by_text("2 agreements, 2 of them through RATS-SCO.")).to_be_visible()
    for title in (BNPT_MOU, ASEAN_MOU):
        row = page.locator(f"xpath=//li[a[normalize-space()='{title}']]")  # not a follow-up's
        expect(row.locator(".through")).to_have_text("through RATS-SCO")
    expect(page.get_by_text("2 meetings, 2 of them through RATS-SCO.")).to_be_visible()

    page.get_by_role("link", name="Agreements", exact=True).first.click()
    form = page.get_by_role("form", name="Filter the agreements")
    form.get_by_label("Party", exact=True).fill("SCO")
    with page.expect_navigation():
        form.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Including the bodies of SCO: RATS-SCO.")).to_be_visible()
    expect(page.locator("table.status-table tbody tr")).to_have_count(2)

    form.get_by_label("Only that party itself, not its bodies").check()
    with page.expect_navigation():
        form.get_by_role("button", name="Show").click()
    expect(page.get_by_text("SCO alone, without its bodies: RATS-SCO.")).to_be_visible()
    expect(page.get_by_text("No agreement matches these filters.")).to_be_visible()
