"""Every page a person uses, with the Tashkent 2013 records, has no critical or serious
fault that axe-core finds: each box named, each control reachable by a screen reader.

Each role opens the pages it sees, in one browser: anyone the login page, analysts and
staff the site's pages, staff the admin's.
"""

import re

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement, AgreementEvent, FollowUp
from cooperation.models import Membership, Organization, Person, Position, Source
from meetings.models import Meeting
from tests import factories
from tests.admin_forms import admin_url
from tests.axe import describe, severe_violations

# serialized_rollback: a transactional test empties the database when it ends; this
# puts back the countries and the groups that migrate made, for the tests after it.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"


@pytest.fixture
def browser_context_args(browser_context_args):
    # An office screen, wide enough for the admin's tables of rows.
    return {**browser_context_args, "viewport": {"width": 1440, "height": 1000}}


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name=f"Log out {username}")).to_be_visible()


def faults(page, live_server, urls):
    """What is wrong on each of `urls`, opened in turn: a page that fails, or sends to the
    login page, or the severe violations axe finds on the page it shows."""
    found = []
    for url in urls:
        response = page.goto(live_server.url + url)
        sent_to_log_in = "/login/" in page.url and "/login/" not in url
        if response.status != 200 or sent_to_log_in:
            found.append(f"{url}: answered {response.status} at {page.url}")
            continue
        violations = severe_violations(page)
        if violations:
            found.append(describe(url, violations))
    return found


def site_pages():
    """The site's pages (its home, "/", sends to the status page, "/agreements/")."""
    meeting = Meeting.objects.get(date="2013-08-20")
    agreement = Agreement.objects.get(title=BNPT_MOU)
    return [
        "/agreements/",
        agreement.get_absolute_url(),
        "/meetings/",
        meeting.get_absolute_url(),
        "/organizations/",
        "/organizations/sco/",
        "/organizations/sco/brief/",
        "/people/",
        "/people/zhang-xinfeng/",
    ]


def admin_pages():
    """The admin's home, and the list, add, change and history pages of each kind of record
    staff enter, each shown with one of the Tashkent records."""
    records = [
        Meeting.objects.get(date="2013-08-20"),
        Agreement.objects.get(title=BNPT_MOU),
        Organization.objects.get(slug="sco"),
        Source.objects.get(slug="tashkent-2013-report"),
        Membership.objects.order_by("pk").first(),
        Person.objects.get(slug="zhang-xinfeng"),
        Position.objects.order_by("pk").first(),
        AgreementEvent.objects.order_by("pk").first(),
        FollowUp.objects.order_by("pk").first(),
    ]
    pages = ["/admin/"]
    for record in records:
        model = type(record)
        version = record.history.order_by("history_id").first()
        pages += [
            admin_url(model, "changelist"),
            admin_url(model, "add"),
            admin_url(model, "change", record.pk),
            admin_url(model, "history", record.pk),
            admin_url(model, "simple_history", record.pk, version.history_id),
        ]
    return pages


def test_the_login_page_has_no_severe_accessibility_fault(page, live_server):
    problems = faults(page, live_server, ["/accounts/login/", "/admin/login/"])
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("role", ["analyst", "staff"])
def test_the_site_pages_have_no_severe_accessibility_fault(page, live_server, tashkent, role):
    getattr(factories, role)()
    log_in(page, live_server, role)
    problems = faults(page, live_server, site_pages())
    assert not problems, "\n\n".join(problems)


def test_the_admin_pages_have_no_severe_accessibility_fault(page, live_server, tashkent):
    factories.staff()
    log_in(page, live_server, "staff")
    problems = faults(page, live_server, admin_pages())
    assert not problems, "\n\n".join(problems)


def test_rows_added_on_an_admin_page_have_names_too(page, live_server, tashkent):
    factories.staff()
    log_in(page, live_server, "staff")
    meeting = Meeting.objects.get(date="2013-08-20")
    page.goto(live_server.url + admin_url(Meeting, "change", meeting.pk))
    for group in ["participants", "agreement_events"]:
        page.locator(f"#{group}-group .add-row a").click()
    expect(page.locator("#participants-group tr.dynamic-participants .select2")).not_to_have_count(
        0
    )
    violations = severe_violations(page)
    assert not violations, describe(page.url, violations)
    person = page.locator("#participants-group tr.dynamic-participants").last.locator(
        ".field-person [role=combobox]"
    )
    expect(person).to_have_accessible_name(re.compile(r"^Person, new row of participants"))


def test_the_reading_page_and_the_forms_it_starts_have_no_severe_fault(page, live_server, tashkent):
    factories.staff()
    log_in(page, live_server, "staff")
    report = Source.objects.get(slug="tashkent-2013-report")
    pages = [f"/sources/{report.pk}/read/", f"/sources/{report.pk}/read/?left=1"]
    page.goto(live_server.url + pages[0])
    second = page.locator("#sentence-2")
    second.locator("summary").click()
    starts = second.locator(".record-actions a")
    pages += [
        starts.nth(n).get_attribute("href").removeprefix(live_server.url)
        for n in range(starts.count())
    ]
    problems = faults(page, live_server, pages)
    assert not problems, "\n\n".join(problems)
