"""Finding records in the admin: lists and pickers find them by any of their names, and every
picker searches rather than listing a whole table."""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin

from agreements.models import AgreementParty
from cooperation.models import Organization, Person
from meetings.models import Participant
from tests import factories
from tests.admin_forms import admin_url, autocomplete, changelist_results
from tests.admin_records import DOMAIN, label


@pytest.fixture
def bnpt(db):
    organization = factories.OrganizationFactory(
        name="Indonesian National Agency In Combating Terrorism", acronym="BNPT"
    )
    factories.OrganizationNameFactory(
        organization=organization, name="Badan Nasional Penanggulangan Terorisme"
    )
    factories.OrganizationFactory(name="Shanghai Cooperation Organization", acronym="SCO")
    return organization


def test_the_organization_list_finds_an_organization_by_another_of_its_names(staff_client, bnpt):
    response = staff_client.get(admin_url(Organization, "changelist"), {"q": "Penanggulangan"})
    assert changelist_results(response) == [bnpt]


def test_picking_an_organization_finds_it_by_another_of_its_names(staff_client, bnpt):
    assert autocomplete(staff_client, Participant, "organization", "Penanggulangan") == [
        "BNPT (Indonesian National Agency In Combating Terrorism)"
    ]
    assert autocomplete(staff_client, AgreementParty, "organization", "Penanggulangan") == [
        "BNPT (Indonesian National Agency In Combating Terrorism)"
    ]


@pytest.fixture
def zhang_xinfeng(db):
    factories.PersonFactory(name="Mohamad Asruchin", other_names="Ambassador Asruchin")
    return factories.PersonFactory(
        name="Zhang Xinfeng", honorific="Mr.", other_names="Mr.Zhang Xinfeng\nMr. Xinfeng"
    )


def test_the_people_list_finds_a_person_by_another_spelling(staff_client, zhang_xinfeng):
    response = staff_client.get(admin_url(Person, "changelist"), {"q": "Mr.Zhang"})
    assert changelist_results(response) == [zhang_xinfeng]


def test_picking_a_person_finds_them_by_another_spelling(staff_client, zhang_xinfeng):
    assert autocomplete(staff_client, Participant, "person", "Mr.Zhang") == ["Mr. Zhang Xinfeng"]


def test_picking_a_post_finds_the_one_whose_holder_is_not_named(staff_client, db):
    rats = factories.OrganizationFactory(acronym="RATS-SCO")
    factories.PositionFactory(
        title="Director of the Executive Committee",
        organization=rats,
        holder=factories.PersonFactory(name="Zhang Xinfeng"),
    )
    factories.PositionFactory(
        title="Director of the Executive Committee", organization=rats, holder=None
    )
    assert sorted(autocomplete(staff_client, Participant, "position", "Executive")) == [
        "Director of the Executive Committee, RATS-SCO: Zhang Xinfeng",
        "Director of the Executive Committee, RATS-SCO: holder not named",
    ]


# Accounts of our own, few (an embassy's staff), which staff may choose but not search:
# the admin's search of accounts is for administrators.
FEW = {"desk_officer"}


def test_every_record_is_picked_by_search_not_from_a_long_list(rf, administrator):
    """A plain <select> lists every row of the table: fine for ten topics, not for people."""
    request = rf.get("/")
    request.user = administrator
    plain = []
    for model in sorted(DOMAIN, key=label):
        model_admin = admin.site._registry[model]
        forms_on_page = [(label(model), model_admin.get_form(request), None)]
        for inline in model_admin.get_inline_instances(request):
            formset = inline.get_formset(request)
            where = f"{label(model)} > {label(inline.model)}"
            forms_on_page.append((where, formset.form, formset.fk.name))
        for where, form, parent in forms_on_page:
            for name, field in form.base_fields.items():
                if (
                    name != parent
                    and name not in FEW
                    and isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField)
                ):
                    widget = getattr(field.widget, "widget", field.widget)
                    if not isinstance(widget, AutocompleteMixin):
                        plain.append(f"{where}: {name}")
    assert plain == []
