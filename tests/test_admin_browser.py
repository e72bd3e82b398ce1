"""A new member of the embassy staff enters the Tashkent meeting of 20 August 2013.

Screenshots of each step go to test-artifacts/admin-walkthrough/, to look at when the
admin changes.
"""

from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement, AgreementEvent, FollowUp
from cooperation.models import Organization, Person, Position
from cooperation.roles import EMBASSY_STAFF
from meetings.models import Meeting
from tests import factories

# serialized_rollback: a transactional test empties the database when it ends; this
# puts back the countries and the groups that migrate made, for the tests after it.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "admin-walkthrough"
PASSWORD = "correct horse battery staple"
BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"
TITLE = "Ambassador Asruchin meets the Director of the RATS-SCO Executive Committee"
FOLLOW_UP = "Facilitate the follow-up of the draft MOU"
REQUEST = (
    "He therefore, requested the good offices and assistance from Ambassador Asruchin "
    "to facilitate the follow-up of the said MOUs."
)


@pytest.fixture
def browser_context_args(browser_context_args):
    # Wide enough for the tabular rows of participants to fit, as on an office screen.
    return {**browser_context_args, "viewport": {"width": 1440, "height": 1000}}


@pytest.fixture
def before_the_meeting(tashkent):
    """The report's organizations, people, posts and agreements, but not its Tashkent meeting."""
    meeting = Meeting.objects.get(date="2013-08-20")
    FollowUp.objects.filter(meeting=meeting).delete()
    AgreementEvent.objects.filter(meeting=meeting).delete()
    meeting.delete()
    return meeting


@pytest.fixture
def new_staff_member(db):
    return factories.UserFactory(
        username="amina", first_name="Amina", password=PASSWORD, role=EMBASSY_STAFF
    )


def console_error(message):
    """The browser console's error, if it is one; the missing favicon is the site's, not ours."""
    if message.type != "error" or message.location["url"].endswith("/favicon.ico"):
        return []
    return [f"{message.text} at {message.location['url']}"]


class Walkthrough:
    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.step = 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(self, name):
        self.step += 1
        self.page.screenshot(path=SCREENSHOTS / f"{self.step:02d}-{name}.png", full_page=True)

    def pick(self, select_id, typed, choice):
        """Open the select2 box of <select id=select_id>, type, and click the result."""
        self.page.locator(f"#{select_id} + .select2").click()
        search = self.page.locator(".select2-container--open .select2-search__field")
        # Wait for the answer to the whole word, not to a keystroke before it.
        with self.page.expect_response(
            lambda response: (
                "/admin/autocomplete/" in response.url and f"term={quote(typed)}" in response.url
            )
        ):
            search.fill(typed)
        self.page.locator(
            ".select2-container--open .select2-results__option", has_text=choice
        ).click()
        expect(self.page.locator(f"#{select_id} + .select2")).to_contain_text(choice)


def test_a_new_staff_member_enters_the_tashkent_meeting_from_the_meeting_page(
    page, live_server, before_the_meeting, new_staff_member
):
    walk = Walkthrough(page, live_server.url)
    # A script the Content-Security-Policy blocks, or that fails, shows here first.
    errors = []
    page.on("console", lambda message: errors.extend(console_error(message)))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", PASSWORD)
    walk.shoot("login")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_contain_text("Cooperation Tracker")
    walk.shoot("admin-home")

    page.locator("tr.model-meeting th a").click()
    walk.shoot("meeting-list")
    page.get_by_role("link", name="Add meeting").click()
    expect(page.locator("h1")).to_have_text("Add meeting")
    walk.shoot("empty-meeting-form")

    page.fill("#id_title", TITLE)
    page.fill("#id_date", "2013-08-20")
    page.fill("#id_city", "Tashkent")
    walk.pick("id_country", "Uzbek", "Uzbekistan")
    walk.pick("id_topics", "Terror", "Terrorism")
    # The meeting's first source: the rows below quote it when they name none.
    walk.pick("id_citations-0-source", "RATS", "Developing the cooperation between RATS-SCO")
    page.fill(
        "#id_citations-0-passage",
        "Indonesian Ambassador to Uzbekistan H.E. Mohamad Asruchin has met with the Director",
    )

    walk.pick("id_participants-0-person", "Asruchin", "H.E. Mohamad Asruchin")
    walk.pick("id_participants-0-position", "Ambassador", "Ambassador of Indonesia to Uzbekistan")
    walk.pick("id_participants-0-organization", "Embassy", "Indonesian Embassy in Tashkent")
    page.fill("#id_participants-0-capacity", "Indonesian Ambassador to Uzbekistan")
    walk.pick("id_participants-1-person", "Xinfeng", "Mr. Zhang Xinfeng")
    walk.pick(
        "id_participants-1-position",
        "Executive",
        "Director of the Executive Committee, RATS-SCO: Mr. Zhang Xinfeng",
    )
    walk.pick("id_participants-1-organization", "RATS", "RATS-SCO")
    page.fill("#id_participants-1-capacity", "Director of the Executive Committee of RATS-SCO")
    walk.shoot("meeting-and-participants")

    walk.pick("id_agreement_events-0-agreement", "BNPT", BNPT_MOU)
    page.select_option("#id_agreement_events-0-kind", label="Follow-up requested")
    # The date is left blank: it is the meeting's.
    page.fill("#id_agreement_events-0-description", "RATS-SCO asked for the Ambassador's help.")
    # No source picked: the row quotes the meeting's.
    page.fill("#id_agreement_events-0-passage", REQUEST)

    page.locator("#follow_ups-group .add-row a").click()
    walk.pick("id_follow_ups-0-agreement", "BNPT", BNPT_MOU)
    page.fill("#id_follow_ups-0-action", FOLLOW_UP)
    walk.pick("id_follow_ups-0-responsible_organization", "Embassy", "Indonesian Embassy")
    walk.pick("id_follow_ups-0-responsible_person", "Asruchin", "H.E. Mohamad Asruchin")
    walk.pick("id_follow_ups-0-requested_by_organization", "RATS", "RATS-SCO")
    walk.pick("id_follow_ups-0-requested_by_person", "Xinfeng", "Mr. Zhang Xinfeng")
    walk.shoot("agreement-event-and-follow-up")

    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    walk.shoot("meeting-saved")

    page.get_by_role("link", name="Home").click()
    page.locator("tr.model-agreement th a").click()
    page.get_by_role("link", name=BNPT_MOU).click()
    events = page.locator("#events-group")
    expect(events).to_contain_text("Follow-up requested")
    expect(events.locator("input[value='2013-08-20']")).to_have_count(1)
    follow_ups = page.locator("#follow_ups-group")
    expect(follow_ups.locator(f"input[value='{FOLLOW_UP}']")).to_have_count(1)
    walk.shoot("agreement-with-the-new-event-and-follow-up")
    assert errors == []

    meeting = Meeting.objects.get(date="2013-08-20")
    assert (meeting.title, meeting.city, meeting.country.code) == (TITLE, "Tashkent", "UZ")
    assert [topic.name for topic in meeting.topics.all()] == ["Terrorism"]
    (cited,) = meeting.citations.all()
    assert cited.source.slug == "tashkent-2013-report"
    ambassador, director = meeting.participants.order_by("pk")
    assert ambassador.person == Person.objects.get(slug="mohamad-asruchin")
    assert ambassador.position == Position.objects.get(
        title="Ambassador of Indonesia to Uzbekistan"
    )
    assert ambassador.organization == Organization.objects.get(slug="indonesian-embassy-tashkent")
    assert director.person == Person.objects.get(slug="zhang-xinfeng")
    assert director.position.holder == director.person
    assert director.organization == Organization.objects.get(slug="rats-sco")

    agreement = Agreement.objects.with_status().get(title=BNPT_MOU)
    event = agreement.events.get(meeting=meeting)
    (quoted,) = event.citations.all()
    assert (event.kind, event.date.iso, quoted.passage) == (
        "follow_up_requested",
        "2013-08-20",
        REQUEST,
    )
    assert quoted.source == cited.source
    assert (agreement.status, agreement.status_date.iso) == ("follow_up_requested", "2013-08-20")
    follow_up = agreement.follow_ups.get(meeting=meeting)
    assert follow_up.action == FOLLOW_UP
    assert follow_up.responsible_organization.slug == "indonesian-embassy-tashkent"
    assert follow_up.responsible_person.slug == "mohamad-asruchin"
    assert follow_up.requested_by_person.slug == "zhang-xinfeng"
    assert follow_up.requested_on.iso == "2013-08-20"
    assert follow_up.is_open
