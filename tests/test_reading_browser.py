"""In a real browser: staff record a new paragraph of a report from its reading page, a
membership change and its citation, without typing the passage or picking the
organization by hand."""

import pytest
from playwright.sync_api import expect

from cooperation.models import Country, Membership
from cooperation.roles import EMBASSY_STAFF
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
PARAGRAPH = (
    "The heads of state met in Samarkand. On 14 September 2022, Egypt became a dialogue "
    "partner of the SCO, as did Qatar."
)


@pytest.fixture
def samarkand(db, tashkent):
    factories.ensure_countries()
    return factories.SourceFactory(title="Samarkand summit", text=PARAGRAPH)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


def log_in(page, live_server):
    factories.UserFactory(username="amina", password=PASSWORD, role=EMBASSY_STAFF)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def select_words(page, sentence, words):
    """Select `words` within the text of `sentence` as a reader's mouse would."""
    page.evaluate(
        """([selector, words]) => {
            const text = document.querySelector(selector + " .sentence-text");
            const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
            let whole = "", nodes = [];
            while (walker.nextNode()) {
                nodes.push([walker.currentNode, whole.length]);
                whole += walker.currentNode.data;
            }
            const start = whole.indexOf(words), end = start + words.length;
            const at = (offset) => {
                for (const [node, from] of nodes.slice().reverse()) {
                    if (from <= offset) return [node, offset - from];
                }
            };
            const range = document.createRange();
            range.setStart(...at(start));
            range.setEnd(...at(end));
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            text.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }""",
        [sentence, words],
    )


def test_staff_record_a_membership_change_from_the_reading_page(page, live_server, samarkand):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/sources/{samarkand.pk}/read/")
    expect(page.get_by_text("0 of 2 sentences cited")).to_be_visible()
    second = page.locator("#sentence-2")
    expect(second.locator("mark.mention-organization")).to_have_text("SCO")
    expect(second.locator("mark.mention-country")).to_have_text(["Egypt", "Qatar"])
    expect(second.locator("mark.mention-date")).to_have_attribute("title", "Date: 2022-09-14")

    # Only the words about Egypt are quoted.
    words = "On 14 September 2022, Egypt became a dialogue partner of the SCO"
    select_words(page, "#sentence-2", words)
    expect(second.locator(".selection-note q")).to_have_text(words)
    second.get_by_role("link", name="Membership", exact=True).click()

    # The form is filled: the organization, the country, the day, the citation.
    expect(page.locator("#id_organization + .select2")).to_contain_text("SCO")
    expect(page.locator("#id_country + .select2")).to_contain_text("Egypt")
    expect(page.locator("#id_start")).to_have_value("2022-09-14")
    expect(page.locator("#id_citations-0-passage")).to_have_value(words)
    expect(page.locator("#id_citations-0-source + .select2")).to_contain_text("Samarkand summit")
    page.select_option("#id_status", "dialogue_partner")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    egypt = Membership.objects.get(
        organization__slug="sco", country=Country.objects.get(code="EG"), status="dialogue_partner"
    )
    assert str(egypt.start) == "14 September 2022"
    (citation,) = egypt.citations.all()
    assert (citation.source, citation.passage) == (samarkand, words)

    # Back on the reading page, the sentence is covered by the new membership.
    page.goto(f"{live_server.url}/sources/{samarkand.pk}/read/")
    expect(page.get_by_text("1 of 2 sentences cited")).to_be_visible()
    expect(second.locator(".cited-by")).to_contain_text("Egypt — dialogue partner of SCO")
