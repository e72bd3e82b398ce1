"""The admin's pages, history pages included, need nothing the Content-Security-Policy blocks.

The policy allows no inline style or script; an inline one on a page is refused by the
browser (a console error, and the page looks other than meant).
"""

import re

import pytest
from django.contrib import admin
from playwright.sync_api import expect

from agreements.models import Agreement
from cooperation.admin_base import RecordAdmin
from tests import factories
from tests.admin_forms import admin_url
from tests.test_admin_browser import console_error

INLINE = re.compile(r"<style|<script>|<script(?![^>]*\bsrc=)[^>]*>|\sstyle=", re.IGNORECASE)
PASSWORD = "correct horse battery staple"


def record_pages():
    """The list, add, change, history, history entry and deleted pages of every record type."""
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, RecordAdmin):
            continue
        yield admin_url(model, "changelist")
        yield admin_url(model, "add")
        yield admin_url(model, "deleted")
        # A record with a history: the countries that a migration loads have none.
        existing = model._base_manager.values("pk")
        entry = model.history.filter(id__in=existing).order_by("history_id").first()
        if entry is not None:
            yield admin_url(model, "change", entry.id)
            yield admin_url(model, "history", entry.id)
            yield admin_url(model, "simple_history", entry.id, entry.history_id)


def test_no_admin_record_page_carries_inline_style_or_script(admin_client, tashkent):
    pages = list(record_pages())
    assert len(pages) > 50
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        found = INLINE.findall(response.text)
        assert not found, (url, found)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_history_page_shows_without_a_csp_error(page, live_server, tashkent):
    factories.administrator()
    agreement = Agreement.objects.order_by("pk").first()
    errors = []
    page.on("console", lambda message: errors.extend(console_error(message)))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_contain_text("Cooperation Tracker")

    page.goto(live_server.url + admin_url(Agreement, "history", agreement.pk))
    expect(page.locator("#change-history")).to_contain_text("Loaded from")
    # The style the template had inline now comes from the stylesheet.
    expect(page.locator("p.paginator")).to_have_css("border-top-width", "0px")
    assert errors == []
