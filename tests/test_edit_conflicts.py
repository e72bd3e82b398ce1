"""Two staff members edit the same record: the second save is refused, saying what changed."""

import pytest
from django.test import Client

from agreements.models import Agreement, FollowUp
from meetings.models import Meeting
from tests import factories
from tests.admin_forms import admin_url, errors_on_page, form_values

CONFLICT = "Someone else saved this"


@pytest.fixture
def two_staff(db):
    first, second = Client(), Client()
    first.force_login(factories.staff())
    second.force_login(factories.UserFactory(username="staff2", role="Embassy staff"))
    return first, second


def test_the_second_save_is_refused_and_the_first_is_kept(two_staff, tashkent):
    first, second = two_staff
    agreement = Agreement.objects.first()
    url = admin_url(Agreement, "change", agreement.pk)
    mine, theirs = form_values(first.get(url)), form_values(second.get(url))

    mine["summary"] = "Summary by the first"
    assert first.post(url, mine).status_code == 302

    theirs["summary"] = "Summary by the second"
    response = second.post(url, theirs)
    assert response.status_code == 200
    (message, *details) = errors_on_page(response)
    assert message.startswith(CONFLICT)
    assert any(
        "staff on" in line and "summary: “" in line and "“Summary by the first”" in line
        for line in details
    ), details
    agreement.refresh_from_db()
    assert agreement.summary == "Summary by the first"


def test_after_reloading_the_second_can_save(two_staff, tashkent):
    first, second = two_staff
    agreement = Agreement.objects.first()
    url = admin_url(Agreement, "change", agreement.pk)
    stale = form_values(second.get(url))
    mine = form_values(first.get(url))
    mine["summary"] = "First"
    first.post(url, mine)
    assert second.post(url, stale).status_code == 200
    fresh = form_values(second.get(url))
    fresh["summary"] = "Second, after reading the first"
    assert second.post(url, fresh).status_code == 302
    agreement.refresh_from_db()
    assert agreement.summary == "Second, after reading the first"


def test_a_row_changed_meanwhile_on_an_inline_is_refused(two_staff, tashkent):
    first, second = two_staff
    meeting = Meeting.objects.get(city="Tashkent")
    url = admin_url(Meeting, "change", meeting.pk)
    mine, theirs = form_values(first.get(url)), form_values(second.get(url))
    mine["outcomes-0-description"] = "Edited by the first"
    assert first.post(url, mine).status_code == 302
    theirs["outcomes-0-description"] = "Edited by the second"
    response = second.post(url, theirs)
    assert response.status_code == 200
    assert any(m.startswith(CONFLICT) for m in errors_on_page(response))
    assert meeting.outcomes.filter(description="Edited by the first").exists()
    assert not meeting.outcomes.filter(description="Edited by the second").exists()


def test_a_list_edit_of_a_changed_row_is_not_applied(two_staff, tashkent):
    first, second = two_staff
    follow_up = FollowUp.objects.filter(agreement__isnull=False).first()
    url = admin_url(FollowUp, "changelist")
    listed = second.get(url)
    formset = listed.context["cl"].formset
    data = {k: v for k, v in form_values_of_formset(formset).items()}

    change = admin_url(FollowUp, "change", follow_up.pk)
    mine = form_values(first.get(change))
    mine["state"] = "done"
    mine["closed_on"] = "2014-02"
    assert first.post(change, mine).status_code == 302

    row = next(i for i, form in enumerate(formset.forms) if form.instance.pk == follow_up.pk)
    data[f"form-{row}-state"] = "dropped"
    data["_save"] = "Save"
    response = second.post(url, data, follow=True)
    follow_up.refresh_from_db()
    assert follow_up.state == "done"
    (message,) = [str(m) for m in response.context["messages"]]
    assert message.startswith(f"Not saved: “{follow_up}”, which someone else changed")


def test_a_list_edit_with_a_changed_row_saves_none_of_its_rows(two_staff, tashkent):
    # All or nothing, as on a record's page: the list's other edits are not kept either.
    first, second = two_staff
    url = admin_url(FollowUp, "changelist")
    formset = second.get(url).context["cl"].formset
    data = form_values_of_formset(formset)
    # Django saves the rows in the list's order: the one that conflicts comes last.
    other, changed = formset.forms[0].instance, formset.forms[-1].instance

    change = admin_url(FollowUp, "change", changed.pk)
    mine = form_values(first.get(change))
    mine["state"] = "done"
    mine["closed_on"] = "2014-02"
    assert first.post(change, mine).status_code == 302

    data["form-0-state"] = "in_progress"
    data[f"form-{len(formset.forms) - 1}-state"] = "dropped"
    data["_save"] = "Save"
    response = second.post(url, data, follow=True)
    (message,) = [str(m) for m in response.context["messages"]]
    assert message.startswith(f"Not saved: “{changed}”, which someone else changed")
    assert "Nothing on the list was saved" in message
    other.refresh_from_db()
    changed.refresh_from_db()
    assert (other.state, changed.state) == ("open", "done")


def form_values_of_formset(formset):
    """The list's form as the browser sends it back, with the versions of the rows shown."""
    data = {
        f"form-_concurrency_version_{pk}": str(version)
        for pk, version in formset.management_form._versions
    }
    for form in [formset.management_form, *formset.forms]:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else str(value)
    return data


def test_a_blank_extra_row_is_not_taken_for_an_entry(staff_client, tashkent):
    # Browsers send the blank rows an inline shows, their hidden version included.
    meeting = Meeting.objects.get(city="Tashkent")
    url = admin_url(Meeting, "change", meeting.pk)
    data = form_values(staff_client.get(url))
    total = int(data["outcomes-TOTAL_FORMS"])
    data[f"outcomes-{total}-kind"] = "agreed"
    data[f"outcomes-{total}-version"] = ""
    data["outcomes-TOTAL_FORMS"] = str(total + 1)
    response = staff_client.post(url, data)
    assert response.status_code == 302, errors_on_page(response)
    assert meeting.outcomes.count() == total
