"""An analyst reads the Tashkent 2013 records in a real browser: on a desk, on paper, on a phone.

Every page and state is saved as a full-page screenshot in test-artifacts/pages/, to
look at when a template or the stylesheet changes.
"""

import csv
import re
from importlib import import_module
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from agreements.models import Agreement
from cooperation.models import Country, Organization
from tests import factories

# serialized_rollback: a transactional test empties the database when it ends; this
# puts back the countries and the groups that migrate made, for the tests after it.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "pages"
PASSWORD = "correct horse battery staple"
BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"
ASEAN_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and the ASEAN Secretariat"
MEETING = "Ambassador Asruchin meets the Director of the RATS-SCO Executive Committee"
SCO_MEMBERS = ["CN", "KZ", "KG", "RU", "TJ", "UZ"]
SCO_OBSERVERS = ["AF", "IN", "IR", "MN", "PK"]
PHONE = {"width": 390, "height": 844}
ISO_DATE = re.compile(r"^\d{4}(-\d{2}){0,2}$")


@pytest.fixture
def browser_context_args(browser_context_args):
    # An office screen; the phone test narrows it.
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def countries(db):
    """The ISO countries, which a migration loads and a transactional test's flush empties.

    serialized_rollback should put them back, but Django keeps that copy on the database
    connection of the context that created the test database, and the tests here run in
    Playwright's context, whose connection has none when another test module set the
    database up. Load them as the migration does, then.
    """
    if not Country.objects.exists():
        import_module("cooperation.migrations.0002_countries").load_countries(django_apps, None)


@pytest.fixture
def records(countries, tashkent):
    """The Tashkent records, plus a follow-up on the BNPT MOU that fell due in January 2014."""
    factories.FollowUpFactory(
        agreement=Agreement.objects.get(title=BNPT_MOU),
        action="Send BNPT's comments on the draft",
        responsible_organization=Organization.objects.get(slug="bnpt"),
        requested_on="2013-08-20",
        due="2014-01",
    )


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def shoot_close_up(locator, name):
    """A chart at its own size, to read labels a full-page screenshot shrinks."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=SCREENSHOTS / f"{name}.png")


def log_in(page, live_server, path="/agreements/"):
    """Open `path` anonymously and log in through the form it sends us to."""
    page.goto(live_server.url + path)
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + path)


def query(page):
    return parse_qs(urlsplit(page.url).query)


def listed_titles(page):
    return page.locator("table.status-table tbody tr td:first-child > a").all_inner_texts()


def status_page(page):
    return page.get_by_role("form", name="Filter the agreements")


def show(page):
    with page.expect_navigation():
        status_page(page).get_by_role("button", name="Show").click()


def country_names(codes):
    return sorted(Country.objects.filter(code__in=codes).values_list("name", flat=True))


def test_an_anonymous_analyst_logs_in_and_comes_back_to_the_status_page(
    page, live_server, records, analyst
):
    page.goto(live_server.url + "/agreements/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/agreements/$"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    shoot(page, "01-login")

    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(live_server.url + "/agreements/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agreements and their follow-up")
    expect(page.get_by_role("button", name="Log out analyst")).to_be_visible()
    assert sorted(listed_titles(page)) == [BNPT_MOU, ASEAN_MOU]
    shoot(page, "02-status-page")


def test_the_status_page_narrows_to_stalled_and_overdue_agreements_and_exports_those_rows(
    page, live_server, records, analyst
):
    log_in(page, live_server)
    form = status_page(page)

    # The Tashkent follow-ups have no due date: only the BNPT MOU has one, and it is overdue.
    form.get_by_label("Stalled for more than (days)").fill("30")
    form.get_by_label("Has overdue follow-ups").check()
    form.get_by_label("Party", exact=True).fill("ASEAN Secretariat")
    show(page)
    expect(page.get_by_text("No agreement matches these filters")).to_be_visible()
    expect(page.locator("table.status-table")).to_have_count(0)
    filters = query(page)
    assert filters["stalled"] == ["30"]
    assert filters["overdue"] == ["on"]
    assert filters["party"] == ["ASEAN Secretariat"]
    shoot(page, "03-status-page-nothing-matches")

    # The state is in the URL: opening it again gives the same page, with the form filled in.
    page.goto(page.url)
    expect(page.get_by_text("No agreement matches these filters")).to_be_visible()
    expect(form.get_by_label("Stalled for more than (days)")).to_have_value("30")
    expect(form.get_by_label("Has overdue follow-ups")).to_be_checked()

    form.get_by_label("Party", exact=True).fill("")
    form.get_by_label("Has overdue follow-ups").uncheck()
    show(page)
    assert query(page)["stalled"] == ["30"]
    assert "overdue" not in query(page), page.url
    rows = page.locator("table.status-table tbody tr")
    expect(rows).to_have_count(2)
    assert listed_titles(page) == [BNPT_MOU, ASEAN_MOU]
    for number in range(2):
        expect(rows.nth(number).locator(".mark-stalled")).to_have_text("stalled")
    shoot(page, "04-status-page-stalled")

    # Sorting by a column, then filtering again, keeps both.
    page.get_by_role("columnheader", name="Agreement", exact=True).get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"[?&]sort=title(&|$)"))
    assert query(page)["stalled"] == ["30"]
    form.get_by_label("Has overdue follow-ups").check()
    show(page)
    assert query(page)["stalled"] == ["30"]
    assert query(page)["overdue"] == ["on"]
    assert query(page)["sort"] == ["title"]
    assert listed_titles(page) == [BNPT_MOU]
    row = page.locator("table.status-table tbody tr")
    expect(row.locator(".mark-stalled")).to_be_visible()
    expect(row.locator(".mark-overdue")).to_have_text("overdue")
    expect(row).to_contain_text("due January 2014")
    expect(page.locator(".counts")).to_contain_text("1 agreement")
    shoot(page, "05-status-page-stalled-and-overdue")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert re.fullmatch(r"agreements-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    # As Excel reads it: UTF-8, told by its byte-order mark.
    with open(download.path(), encoding="utf-8-sig", newline="") as exported:
        header, *lines = list(csv.reader(exported))
    assert header[:3] == ["Id", "Agreement", "Link"]
    assert len(lines) == 1
    exported_row = dict(zip(header, lines[0], strict=True))
    assert exported_row["Agreement"] == BNPT_MOU
    assert exported_row["Link"].startswith(live_server.url + "/agreements/")
    assert exported_row["Parties"] == "BNPT; RATS-SCO"
    assert exported_row["Status"] == "Follow-up requested"
    assert exported_row["Status date"] == "2013-08-20"
    assert exported_row["Last activity"] == "2013-08-20"
    assert exported_row["Stalled"] == exported_row["Overdue"] == "yes"
    assert "2014-01" in exported_row["Open follow-ups: due"].split("; ")
    for column in ("Status date", "Last activity"):
        assert ISO_DATE.match(exported_row[column]), (column, exported_row[column])


def test_the_agreement_page_draws_its_timeline_and_quotes_its_source(
    page, live_server, records, analyst
):
    log_in(page, live_server)
    page.get_by_role("link", name=BNPT_MOU, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BNPT_MOU)

    timeline = page.locator("figure.timeline svg")
    expect(timeline).to_be_visible()
    draft = timeline.locator(".mark.event-draft_agreed")
    expect(draft.locator("rect.mark-span")).to_be_visible()
    expect(draft.locator(".mark-label")).to_have_text("Draft agreed")
    expect(draft.locator(".mark-date")).to_have_text("2011")
    requested = timeline.locator(".mark.event-follow_up_requested")
    expect(requested.locator("circle.mark-day")).to_be_visible()
    expect(requested.locator(".mark-label")).to_have_text("Follow-up requested")
    expect(requested.locator(".mark-date")).to_have_text("20 August 2013")
    # A vertical line has no width, which Playwright counts as invisible: measure it instead.
    expect(timeline.locator(".today line")).to_be_attached()
    expect(timeline.locator(".today text")).to_have_text("today")
    expect(timeline.locator(".today text")).to_be_visible()
    # The span covers all of 2011, so it ends left of the August 2013 dot.
    span = draft.locator("rect.mark-span").bounding_box()
    dot = requested.locator("circle.mark-day").bounding_box()
    today = timeline.locator(".today line").bounding_box()
    assert today["height"] > 0
    assert span["x"] + span["width"] < dot["x"] < today["x"]

    passage = page.locator("blockquote.passage").first
    expect(passage).to_be_visible()
    expect(passage).to_have_text(
        "“a draft MOU on Counter-terrorism Cooperation between the RATS-SCO and BNPT”"
    )
    assert passage.evaluate("element => element.tagName") == "BLOCKQUOTE"
    shoot(page, "06-agreement")
    shoot_close_up(page.locator("figure.timeline"), "06-agreement-timeline")


def test_the_sco_page_lists_its_members_and_observers_on_the_day_of_the_meeting(
    page, live_server, records, analyst
):
    log_in(page, live_server, "/organizations/sco/")
    page.get_by_label("Members and observers on").fill("2013-08-20")
    page.get_by_role("form", name="Choose the day").get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/organizations/sco/\?as_of=2013-08-20$"))
    expect(page.get_by_role("heading", name="Countries on 20 August 2013")).to_be_visible()

    counts = page.get_by_role("list", name="Countries by status")
    expect(counts).to_contain_text("6 members")
    expect(counts).to_contain_text("5 observers")
    lists = page.locator("ul.country-list")
    expect(lists).to_have_count(2)
    for country_list, codes in ((lists.nth(0), SCO_MEMBERS), (lists.nth(1), SCO_OBSERVERS)):
        names = [text.split(" — ")[0] for text in country_list.locator("li").all_inner_texts()]
        assert names == country_names(codes)
    expect(page.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Observers", exact=True)).to_be_visible()

    chart = page.locator("figure.memberships svg")
    expect(chart).to_be_visible()
    expect(chart.locator("g.row")).to_have_count(11)
    expect(chart.locator("rect.bar-member")).not_to_have_count(0)
    expect(chart.locator("rect.bar-observer")).not_to_have_count(0)
    shoot(page, "07-sco-on-the-meeting-day")
    shoot_close_up(page.locator("figure.memberships"), "07-sco-membership-chart")


def test_the_meetings_link_leads_to_the_tashkent_meeting_and_both_participants(
    page, live_server, records, analyst
):
    log_in(page, live_server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    shoot(page, "08-meetings")

    page.get_by_role("link", name=MEETING, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MEETING)
    participants = page.locator("table.data").first.locator("tbody tr")
    expect(participants).to_have_count(2)
    expect(participants.filter(has_text="Mohamad Asruchin")).to_contain_text(
        "Indonesian Ambassador to Uzbekistan"
    )
    expect(participants.filter(has_text="Zhang Xinfeng")).to_contain_text(
        "Director of the Executive Committee of RATS-SCO"
    )
    shoot(page, "09-meeting")


def test_the_main_nav_is_reached_with_the_tab_key_and_shows_where_the_focus_is(
    page, live_server, records, analyst
):
    log_in(page, live_server)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Cooperation Tracker")).to_be_focused()
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Agreements", "Meetings", "Organizations", "People", "My desk"):
        page.keyboard.press("Tab")
        link = nav.get_by_role("link", name=name)
        expect(link).to_be_focused()
        expect(link).to_be_visible()
        outline = link.evaluate("element => getComputedStyle(element).outlineStyle")
        assert outline != "none", name
    shoot(page, "10-keyboard-focus-on-organizations")

    page.keyboard.press("Tab")
    expect(nav.get_by_role("button", name="Log out analyst")).to_be_focused()


def test_printed_pages_leave_out_the_nav_and_the_filters(page, live_server, records, analyst):
    log_in(page, live_server)
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(status_page(page)).to_be_hidden()
    expect(page.get_by_role("link", name="CSV", exact=True)).to_be_hidden()
    expect(page.locator("table.status-table")).to_be_visible()
    expect(page.locator(".site-footer")).to_have_text(
        re.compile(r"Printed from Cooperation Tracker by analyst on \d{1,2} \w+ \d{4}\.")
    )
    shoot(page, "11-status-page-print")

    page.emulate_media(media="screen")
    page.get_by_role("link", name=BNPT_MOU, exact=True).click()
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("link", name="← All agreements")).to_be_hidden()
    expect(page.locator("figure.timeline svg")).to_be_visible()
    expect(page.locator("table.data").first).to_be_visible()
    shoot(page, "12-agreement-print")

    # page.pdf() works only in headless Chromium; a headed run skips this part.
    try:
        pdf = page.pdf(path=ARTIFACTS / "agreement.pdf", format="A4")
    except PlaywrightError:
        return
    assert pdf.startswith(b"%PDF")


def test_on_a_phone_the_pages_do_not_scroll_sideways(page, live_server, records, analyst):
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    pages = [
        ("13-phone-status-page", "/agreements/?stalled=30"),
        ("14-phone-agreement", Agreement.objects.get(title=BNPT_MOU).get_absolute_url()),
        ("15-phone-sco", "/organizations/sco/?as_of=2013-08-20"),
        ("16-phone-meetings", "/meetings/"),
    ]
    for name, path in pages:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        shoot(page, name)
        assert width <= PHONE["width"] + 2, (path, width)

    # On the agreement page the history and follow-ups become one labelled card a row.
    page.goto(live_server.url + Agreement.objects.get(title=BNPT_MOU).get_absolute_url())
    history = page.locator("table.stack").first
    assert history.evaluate("element => element.scrollWidth <= element.clientWidth")
    # The headings stay for screen readers, in a 1px box; each cell shows its own label.
    assert history.locator("thead").bounding_box()["height"] <= 1
    # The lists, as cards, and the charts on a phone: test_phone_pages_browser.py.
