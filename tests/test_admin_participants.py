"""Participants entered on a meeting's admin page: who they were (a person or a post) and
whom they represented."""

from meetings.models import Meeting
from tests import factories
from tests.admin_forms import add_rows, admin_url, errors_on_page, form_values, new_meeting_data


def test_a_participant_with_neither_person_nor_post_is_refused(staff_client, db):
    embassy = factories.OrganizationFactory()
    data = form_values(staff_client.get(admin_url(Meeting, "add")))
    data.update(title="A meeting", date="2013-08-20", kind=Meeting.Kind.MEETING)
    add_rows(data, "participants", {"organization": str(embassy.pk), "capacity": "host"})
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert "Name the person, or the post they held when the name is unknown." in (
        errors_on_page(response)
    )
    assert not Meeting.objects.exists()


def test_a_participant_with_neither_person_nor_post_gets_one_plain_message(staff_client, db):
    data = form_values(staff_client.get(admin_url(Meeting, "add")))
    data.update(title="A meeting", date="2013-08-20", kind=Meeting.Kind.MEETING)
    add_rows(data, "participants", {"organization": str(factories.OrganizationFactory().pk)})
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert errors_on_page(response) == [
        "Name the person, or the post they held when the name is unknown."
    ]


def test_a_participant_represents_the_organization_of_their_post_when_left_blank(staff_client, db):
    post = factories.PositionFactory(title="Director of the Executive Committee")
    data = new_meeting_data(staff_client)
    add_rows(data, "participants", {"person": str(post.holder.pk), "position": str(post.pk)})
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 302, errors_on_page(response)
    (participant,) = Meeting.objects.get().participants.all()
    assert participant.organization == post.organization


def test_a_participant_with_no_organization_and_no_post_is_asked_which_organization(
    staff_client, db
):
    data = new_meeting_data(staff_client)
    add_rows(data, "participants", {"person": str(factories.PersonFactory().pk)})
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == ["Which organization did they represent?"]
