"""In a real browser, 1280 pixels wide: every admin page staff work on fits the window
without sideways scrolling, and no text in it is cut off; a row's error shows on the row.

Screenshots of each page go to test-artifacts/admin-fits/, to look at when the admin
changes.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement
from cooperation.models import Membership, Organization, Person, Source
from cooperation.roles import EMBASSY_STAFF
from meetings.models import Meeting
from tests import factories
from tests.admin_forms import admin_url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "admin-fits"
PASSWORD = "correct horse battery staple"
WIDTH = 1280
# A passage as long as a report's paragraph, with a word longer than any box.
LONG_PASSAGE = (
    "The Director of the Executive Committee of RATS-SCO recalled the visit of his "
    "predecessor to Jakarta in 2011, during which both sides agreed on two draft "
    "memoranda of understanding on counter-terrorism cooperation, and asked the "
    "Ambassador to help move them forward: "
    "https://ecrats.org/en/press/news/2013/08/20/cooperation-between-rats-sco-and-indonesia"
)

# The elements whose text is cut off at their edge rather than wrapped: each named by
# its tag and classes, with the text that does not show whole.
CUT_OFF = """
() => {
    const cut = [];
    for (const element of document.querySelectorAll('body *')) {
        const style = getComputedStyle(element);
        const hides = ['hidden', 'clip'].includes(style.overflowX)
            || style.textOverflow === 'ellipsis';
        if (!hides || !element.offsetParent || !element.textContent.trim()) continue;
        // Hidden on purpose: shown to screen readers only, or closed.
        if (element.closest('.visually-hidden, .select2-hidden-accessible, .select2-dropdown, '
            + '.empty-form, .hidden')) continue;
        if (element.scrollWidth > element.clientWidth + 1) {
            cut.push(`${element.tagName.toLowerCase()}.${[...element.classList].join('.')}: `
                + element.textContent.trim().slice(0, 60));
        }
    }
    return cut;
}
"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": WIDTH, "height": 900}}


@pytest.fixture
def staff_member(db):
    return factories.UserFactory(
        username="amina",
        first_name="Amina",
        last_name="Rahman",
        password=PASSWORD,
        role=EMBASSY_STAFF,
    )


@pytest.fixture
def with_long_passages(tashkent, staff_member):
    """The Tashkent records, with a long summary and a long cited passage changed by
    staff, so that their history pages show long changes too."""
    agreement = Agreement.objects.get(title__contains="BNPT")
    agreement.summary = LONG_PASSAGE
    agreement._history_user = staff_member
    agreement.save()
    source = Source.objects.get()
    source.text += "\n\n" + LONG_PASSAGE
    source._history_user = staff_member
    source.save()
    return agreement


def log_in(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_contain_text("Cooperation Tracker")


def pages_staff_use():
    """Each kind of record staff change: its change page, its list and its history."""
    records = {
        "meeting": Meeting.objects.get(date="2013-08-20"),
        "agreement": Agreement.objects.get(title__contains="BNPT"),
        "organization": Organization.objects.get(slug="sco"),
        "source": Source.objects.get(),
        "membership": Membership.objects.order_by("pk").first(),
        "person": Person.objects.get(slug="zhang-xinfeng"),
    }
    pages = {}
    for name, record in records.items():
        model = type(record)
        pages[f"{name}-change"] = admin_url(model, "change", record.pk)
        pages[f"{name}-list"] = admin_url(model, "changelist")
        pages[f"{name}-history"] = admin_url(model, "history", record.pk)
    return pages


def test_every_page_staff_use_fits_1280_pixels_without_cutting_text(
    page, live_server, with_long_passages
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, live_server)
    too_wide, cut_off = {}, {}
    for name, url in pages_staff_use().items():
        page.goto(live_server.url + url)
        expect(page.locator("#content")).to_be_visible()
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.evaluate("window.innerWidth"):
            too_wide[name] = width
        cut = page.evaluate(CUT_OFF)
        if cut:
            cut_off[name] = cut
    assert (too_wide, cut_off) == ({}, {})


def test_a_long_passage_in_a_row_grows_its_box_to_show_it_whole(
    page, live_server, with_long_passages
):
    log_in(page, live_server)
    agreement = with_long_passages
    page.goto(live_server.url + admin_url(Agreement, "change", agreement.pk))
    passage = page.locator("#id_events-0-passage")
    passage.fill(LONG_PASSAGE)
    assert passage.evaluate("box => box.scrollHeight <= box.clientHeight + 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_a_date_box_shows_that_a_year_or_a_month_alone_will_do(page, live_server, tashkent):
    factories.UserFactory(username="amina", password=PASSWORD, role=EMBASSY_STAFF)
    log_in(page, live_server)
    organization = Organization.objects.get(slug="sco")
    page.goto(live_server.url + admin_url(Organization, "change", organization.pk))
    page.locator("#memberships-group .add-row a").click()
    rows = page.locator("#memberships-group tr.form-row:not(.empty-form)")
    for box in rows.locator("input[name$='-start']").all():
        shapes = box.locator("xpath=following-sibling::span[1]")
        expect(shapes).to_have_text("2013, 2013-08 or 2013-08-20")
        expect(shapes).to_be_visible()


def test_two_overlapping_membership_rows_are_each_marked_with_the_error(
    page, live_server, tashkent
):
    factories.UserFactory(username="amina", password=PASSWORD, role=EMBASSY_STAFF)
    log_in(page, live_server)
    organization = factories.OrganizationFactory(acronym="CICA", slug="cica")
    page.goto(live_server.url + admin_url(Organization, "change", organization.pk))
    rows = page.locator("#memberships-group")
    for index, (country, status, start) in enumerate(
        [("India", "Observer", "2005"), ("India", "Member", "2017")]
    ):
        if index:
            rows.locator(".add-row a").click()
        page.locator(f"#id_memberships-{index}-country + .select2").click()
        page.locator(".select2-container--open .select2-search__field").fill(country)
        page.get_by_role("option", name=country, exact=True).click()
        page.select_option(f"#id_memberships-{index}-status", label=status)
        page.fill(f"#id_memberships-{index}-start", start)
    page.click("input[name=_continue]")
    expect(page.locator(".errornote")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "overlapping-rows.png", full_page=True)
    for index in (0, 1):
        # The error stands in the line right above the row it concerns.
        error = page.locator(f"#memberships-{index}").locator(
            "xpath=preceding-sibling::tr[1][contains(@class, 'row-form-errors')]"
        )
        expect(error).to_contain_text("India cannot be observer (2005 – …)")
    expect(rows.locator(":scope > .tabular > fieldset > .errorlist.nonform")).to_have_count(0)
