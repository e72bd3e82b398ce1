"""On a phone (390px wide) the lists read as cards, the filters fold away and the charts
stay legible, with nothing to scroll sideways; on a desk the same pages keep their tables.

Screenshots go to test-artifacts/pages/, as in test_pages_browser.py.
"""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from agreements.models import Agreement
from cooperation.models import Country, Organization
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "pages"
PASSWORD = "correct horse battery staple"
BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
LISTS = ["/agreements/", "/meetings/", "/organizations/", "/people/"]
SMALLEST_LABEL = 11  # px, as displayed

# The size each SVG label is displayed at: its font size scaled as its drawing is.
DISPLAYED_LABEL_SIZES = """svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll("text")].map(
    text => parseFloat(getComputedStyle(text).fontSize) * scale
  );
}"""


@pytest.fixture
def records(db, tashkent):
    """The Tashkent records, plus an open follow-up on the BNPT MOU, due January 2014."""
    # A transactional test's flush empties the countries a migration loads: see
    # test_pages_browser.py's `countries`.
    if not Country.objects.exists():
        import_module("cooperation.migrations.0002_countries").load_countries(django_apps, None)
    factories.FollowUpFactory(
        agreement=Agreement.objects.get(title=BNPT_MOU),
        action="Send BNPT's comments on the draft",
        responsible_organization=Organization.objects.get(slug="bnpt"),
        requested_on="2013-08-20",
        due="2014-01",
    )


def log_in(page, live_server, size):
    page.set_viewport_size(size)
    page.goto(live_server.url + "/agreements/")
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + "/agreements/")


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def within_the_screen(box):
    return box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def assert_nothing_scrolls_sideways(page, path):
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), path
    for wrap in page.locator(".table-wrap").all():
        assert wrap.evaluate("element => element.scrollWidth <= element.clientWidth"), path


def test_on_a_phone_each_list_reads_as_cards_with_its_filters_folded(
    page, live_server, records, analyst
):
    log_in(page, live_server, PHONE)
    for number, path in enumerate(LISTS, start=30):
        page.goto(live_server.url + path)
        assert_nothing_scrolls_sideways(page, path)
        # The headings stay for screen readers, in a 1px box; each cell shows its label.
        headings = page.locator("table.data thead").first
        assert headings.bounding_box()["height"] <= 1, path
        fold = page.locator("form.filters details")
        if path != "/organizations/":  # the only list without filters
            expect(fold.locator(".fields")).to_be_hidden()
            expect(fold.locator("summary")).to_have_text("Filters (none active)")
        shoot(page, f"{number}-phone{path.replace('/', '-').rstrip('-')}")

    # Each agreement's card shows where it stands, since when, and what is owed, in sight.
    page.goto(live_server.url + "/agreements/?stalled=30")
    expect(page.locator("form.filters summary")).to_have_text("Filters (1 active)")
    card = page.locator("table.status-table tbody tr").filter(has_text=BNPT_MOU)
    status, days, follow_ups = (card.locator("td").nth(column) for column in (2, 3, 4))
    expect(status).to_contain_text("Follow-up requested")
    expect(days.locator(".mark-stalled")).to_be_visible()
    expect(follow_ups).to_contain_text("Send BNPT's comments on the draft")
    expect(follow_ups.locator(".mark-overdue")).to_be_visible()
    for cell in (status, days, follow_ups):
        assert within_the_screen(cell.bounding_box())
    assert_nothing_scrolls_sideways(page, "/agreements/?stalled=30")

    # Opened, the filters show their fields, still within the screen.
    page.locator("form.filters summary").click()
    expect(page.get_by_label("Stalled for more than (days)")).to_have_value("30")
    assert_nothing_scrolls_sideways(page, "/agreements/ with the filters open")
    shoot(page, "34-phone-agreements-filters-open")


def test_on_a_phone_the_charts_keep_their_labels_legible_and_today_in_sight(
    page, live_server, records, analyst
):
    log_in(page, live_server, PHONE)
    charts = [
        (
            "35-phone-agreement",
            Agreement.objects.get(title=BNPT_MOU).get_absolute_url(),
            "timeline",
        ),
        ("36-phone-sco", "/organizations/sco/?as_of=2013-08-20", "memberships"),
    ]
    for name, path, chart in charts:
        page.goto(live_server.url + path)
        expect(page.locator(f"figure.{chart}")).to_be_hidden()
        svg = page.locator(f"figure.{chart}-narrow svg")
        expect(svg).to_be_visible()
        assert_nothing_scrolls_sideways(page, path)
        assert min(svg.evaluate(DISPLAYED_LABEL_SIZES)) >= SMALLEST_LABEL, path
        drawing = svg.bounding_box()
        assert within_the_screen(drawing)
        day = svg.locator(".today line").bounding_box()
        assert day["height"] > 0
        assert drawing["x"] <= day["x"] <= drawing["x"] + drawing["width"], path
        shoot(page, name)
        svg.screenshot(path=SCREENSHOTS / f"{name}-chart.png")

    # The status page's overview chart is drawn once, narrow enough for a phone.
    page.goto(live_server.url + "/agreements/")
    overview = page.locator("figure.overview-chart svg")
    assert min(overview.evaluate(DISPLAYED_LABEL_SIZES)) >= SMALLEST_LABEL
    assert within_the_screen(overview.bounding_box())

    page.goto(live_server.url + charts[0][1])
    today = page.locator("figure.timeline-narrow .today text")
    expect(today).to_have_text("today")
    assert within_the_screen(today.bounding_box())


def test_on_a_desk_the_lists_keep_their_tables_and_open_filters(
    page, live_server, records, analyst
):
    log_in(page, live_server, DESK)
    for number, path in enumerate(LISTS, start=37):
        page.goto(live_server.url + path)
        table = page.locator("table.data").first
        assert table.evaluate("element => getComputedStyle(element).display") == "table", path
        assert page.locator("table.data thead").first.bounding_box()["height"] > 1, path
        if path != "/organizations/":
            expect(page.locator("form.filters .fields")).to_be_visible()
            expect(page.locator("form.filters summary")).to_be_hidden()
        shoot(page, f"{number}-desk{path.replace('/', '-').rstrip('-')}")
    page.goto(live_server.url + Agreement.objects.get(title=BNPT_MOU).get_absolute_url())
    expect(page.locator("figure.timeline svg")).to_be_visible()
    expect(page.locator("figure.timeline-narrow")).to_be_hidden()
