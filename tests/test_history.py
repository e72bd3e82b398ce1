"""Every change of every domain record is kept: who, when, what."""

import pytest
from django.apps import apps
from django.core.management import call_command

from cooperation.history import (
    HistoryBypassError,
    bulk_create_recorded,
    changes_since,
    recorded_models,
)
from cooperation.models import Citation, Organization, Record, Topic
from tests import factories

DOMAIN_APPS = {"cooperation", "meetings", "agreements"}
# Kept beside the records, as their history is: the rows each deletion removed.
DELETIONS = {"cooperation.Deletion", "cooperation.DeletedRow"}


def domain_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in DOMAIN_APPS
        and not model.__name__.startswith("Historical")
        and model._meta.label not in DELETIONS
    ]


def test_every_domain_model_keeps_a_history_and_a_version():
    models = domain_models()
    # Citations are records too: what a source says about a record has its own history.
    assert len(models) == 17 and Citation in models
    assert set(recorded_models()) == set(models)
    for model in models:
        assert issubclass(model, Record), model
        assert model._meta.get_field("version")


@pytest.mark.parametrize("model", domain_models(), ids=lambda m: m.__name__)
@pytest.mark.parametrize("method", ["update", "bulk_update", "bulk_create"])
def test_writes_that_would_skip_the_history_are_refused(db, model, method):
    arguments = {
        "update": {},
        "bulk_update": {"objs": [], "fields": ["pk"]},
        "bulk_create": {"objs": []},
    }
    with pytest.raises(HistoryBypassError, match="without keeping their history"):
        getattr(model.objects.all(), method)(**arguments[method])


def test_bulk_creation_writes_history_alongside(db):
    topics = [Topic(name=f"Topic {n}", slug=f"topic-{n}") for n in range(3)]
    bulk_create_recorded(Topic, topics, reason="Seeded")
    assert Topic.history.filter(history_type="+", history_change_reason="Seeded").count() == 3


def test_a_change_records_who_when_and_what(staff_client, staff):
    organization = factories.OrganizationFactory(name="Old name")
    organization.name = "New name"
    organization._history_user = staff
    organization.save()
    latest, previous = organization.history.all()[:2]
    assert latest.history_type == "~" and latest.history_user == staff
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field != "version"] == [
        ("name", "Old name", "New name")
    ]


def test_a_deleted_record_stays_in_the_history(db):
    organization = factories.OrganizationFactory(name="Gone")
    pk = organization.pk
    organization.delete()
    assert not Organization.objects.filter(pk=pk).exists()
    deleted = Organization.history.get(id=pk, history_type="-")
    assert deleted.name == "Gone"


def test_loaded_fixtures_are_in_the_history_attributed_to_the_system(tashkent):
    sco = Organization.objects.get(slug="sco")
    (entry,) = sco.history.all()
    assert entry.history_user is None
    assert entry.history_change_reason == "Loaded from fixtures/tashkent_2013.json"


def test_loading_the_fixtures_again_writes_no_new_history(tashkent):
    before = {model: model.history.count() for model in recorded_models()}
    call_command("load_records", "fixtures/tashkent_2013.json", verbosity=0)
    assert {model: model.history.count() for model in recorded_models()} == before


def test_a_changed_fixture_row_is_recorded_as_a_change(tashkent):
    sco = Organization.objects.get(slug="sco")
    sco.description = "Edited by hand"
    sco.save()
    # Loaded once, a fixture is loaded again only when asked (tests/test_restart.py).
    call_command("load_records", "fixtures/tashkent_2013.json", again=True, verbosity=0)
    latest = sco.history.first()
    assert latest.history_type == "~" and latest.history_user is None
    assert "Edited by hand" not in latest.description


def test_changes_since_a_version_name_who_changed_which_field(db, staff):
    organization = factories.OrganizationFactory(name="First")
    seen = organization.version
    organization.name, organization._history_user = "Second", staff
    organization.save()
    ((who, when, fields),) = changes_since(organization, seen)
    assert who == "staff"
    assert fields == [("name", "First", "Second")]
