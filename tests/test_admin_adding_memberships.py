"""Entering a report's memberships one after the other: "Save and add another" keeps the
organization, and the source of the first citation, for the next one."""

from cooperation.models import Membership, Organization, Source
from tests.admin_forms import add_rows, admin_url, form_values
from tests.factories import country


def new_membership(staff_client, organization, member, source=None):
    data = form_values(staff_client.get(admin_url(Membership, "add")))
    data.update(organization=str(organization.pk), country=str(member.pk), status="member")
    data["start"] = "2017-06-09"
    if source is not None:
        passage = source.text.split(".")[0]
        add_rows(data, "citations", {"source": str(source.pk), "passage": passage})
    return data


def test_save_and_add_another_opens_a_form_with_the_organization_and_the_source(
    staff_client, tashkent
):
    sco = Organization.objects.get(slug="sco")
    report = Source.objects.get()
    data = new_membership(staff_client, sco, country("TR"), source=report)
    data["_addanother"] = "Save and add another"
    response = staff_client.post(admin_url(Membership, "add"), data)
    assert response.status_code == 302
    assert response["Location"] == (
        f"{admin_url(Membership, 'add')}?organization={sco.pk}&source={report.pk}"
    )
    assert Membership.objects.filter(country=country("TR"), organization=sco).exists()

    page = staff_client.get(response["Location"])
    assert page.context["adminform"].form["organization"].value() == str(sco.pk)
    assert f'<option value="{sco.pk}" selected>' in page.text


def test_without_a_citation_only_the_organization_is_kept(staff_client, tashkent):
    sco = Organization.objects.get(slug="sco")
    data = new_membership(staff_client, sco, country("TR"))
    data["_addanother"] = "Save and add another"
    response = staff_client.post(admin_url(Membership, "add"), data)
    assert response["Location"] == f"{admin_url(Membership, 'add')}?organization={sco.pk}"


def test_plain_save_goes_back_to_the_list_as_before(staff_client, tashkent):
    sco = Organization.objects.get(slug="sco")
    response = staff_client.post(
        admin_url(Membership, "add"), new_membership(staff_client, sco, country("TR"))
    )
    assert response.status_code == 302
    assert "organization=" not in response["Location"]
