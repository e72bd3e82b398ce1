"""In a real browser, days since a date known only to the year read as a minimum."""

import pytest
from playwright.sync_api import expect

# `countries`: the fixture that puts the ISO countries back after a transactional test.
from tests.test_pages_browser import ASEAN_MOU, BNPT_MOU, countries, log_in, shoot  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.usefixtures("countries", "tashkent", "analyst")
def test_the_tashkent_drafts_of_2011_show_at_least_so_many_days(page, live_server):
    # On 1 June 2012 both MOUs stood as drafts agreed "in 2011": 153 to 517 days before.
    log_in(page, live_server, "/agreements/?as_of=2012-06-01&sort=title")
    rows = page.locator("table.status-table tbody tr")
    expect(rows).to_have_count(2)
    for title in (BNPT_MOU, ASEAN_MOU):
        row = rows.filter(has=page.get_by_role("link", name=title, exact=True))
        expect(row).to_contain_text("Draft agreed")
        expect(row).to_contain_text("2011")
        expect(row.locator("td.num")).to_have_text("at least 153 (at most 517)")
    shoot(page, "partial-dates-status-page-as-of-2012")
