"""The migration that moved each record's one source and passage into citations loses
nothing: run on the Tashkent records as they were stored before it, and on a synthetic
database with every kind of cited record, then back again."""

import json
from pathlib import Path

import pytest
from django.apps import apps as current_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cooperation.models import Citation, Membership, Position
from cooperation.partial_dates import PartialDateField, to_partial_date
from tests.factories import ensure_countries

BEFORE = [
    ("cooperation", "0005_mark_demo_accounts"),
    ("agreements", "0007_entry_into_force_acting_party_and_event_place"),
    ("meetings", "0004_decision"),
]
AFTER = [
    ("cooperation", "0008_citations_moved"),
    ("agreements", "0008_citations_moved"),
    ("meetings", "0005_citations_moved"),
]
OLD_FIXTURE = Path(__file__).parent / "data" / "tashkent_2013_before_citations.json"
NEW_FIXTURE = Path(__file__).parents[1] / "fixtures" / "tashkent_2013.json"

# Leaves the database migrated to the end, and its countries back (flushed after the test).
pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_citations():
    """The models as they were before citations, on a database migrated back to then."""
    ensure_countries()  # a transactional test before may have flushed them
    old_apps = migrate(BEFORE)
    yield old_apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    ensure_countries()


def with_bounds(model, values):
    """`values` with the first and last days of each partial date, which a model of a
    migration does not derive by itself."""
    values = dict(values)
    for field in model._meta.fields:
        if isinstance(field, PartialDateField) and field.name in values:
            date = to_partial_date(values[field.name])
            values[f"{field.name}_first"] = date.first if date else None
            values[f"{field.name}_last"] = date.last if date else None
    return values


def by_natural_key(model, label, key):
    """The row of the model of a migration that a fixture's natural key names, found by
    the lookups the current model names its rows with."""
    paths = current_apps.get_model(label).natural_key_fields
    return model.objects.get(**dict(zip(paths, key, strict=True)))


def load_old_fixture(old_apps):
    """Load the fixture as it was stored before citations, into the models of then."""
    for entry in json.loads(OLD_FIXTURE.read_text()):
        model = old_apps.get_model(entry["model"])
        values, links = {}, {}
        for name, value in entry["fields"].items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                links[name] = [
                    by_natural_key(field.related_model, label_of(field), k) for k in value
                ]
            elif field.many_to_one:
                values[name] = value and by_natural_key(field.related_model, label_of(field), value)
            else:
                values[name] = value
        record = model.objects.create(**with_bounds(model, values))
        for name, records in links.items():
            getattr(record, name).set(records)


def label_of(field):
    return field.related_model._meta.label


KINDS = [
    "organization",
    "organization_name",
    "membership",
    "person",
    "position",
    "meeting",
    "participant",
    "outcome",
    "decision",
    "agreement",
    "party",
    "event",
    "follow_up",
]


def citations_now():
    """Each citation in the database as (kind, its record's natural key, source slug,
    passage, attests on)."""
    return sorted(
        (
            c.cited_kind,
            json.dumps(list(c.cited_record.natural_key()), default=str),
            c.source.slug if c.source else None,
            c.passage,
            c.attests_on.iso if c.attests_on else "",
        )
        for c in Citation.objects.select_related("source")
    )


def citations_in_new_fixture():
    """The same, as the fixture of today states them."""
    rows = []
    for entry in json.loads(NEW_FIXTURE.read_text()):
        if entry["model"] != "cooperation.citation":
            continue
        fields = entry["fields"]
        (kind,) = [k for k in KINDS if fields.get(k)]
        rows.append(
            (
                kind,
                json.dumps(fields[kind], default=str),
                fields["source"][0],
                fields["passage"],
                fields["attests_on"],
            )
        )
    return sorted(rows)


def test_the_tashkent_records_keep_every_source_and_passage(before_citations):
    load_old_fixture(before_citations)
    old = json.loads(OLD_FIXTURE.read_text())
    cited = [e for e in old if e["fields"].get("source") or e["fields"].get("passage")]

    migrate(AFTER)
    # On to the last migration: today's models read every column of today's tables.
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert Citation.objects.count() == len(cited) == 55
    # What the migration made is what the fixture of today states, row for row.
    assert citations_now() == citations_in_new_fixture()
    # Each status and post is attested, first and last, on the day it was before.
    for model in (Membership, Position):
        for record in model.objects.all():
            assert record.last_attested == record.attested
    assert Citation.history.filter(history_type="+").count() == 55


def test_every_kind_of_record_moves_its_citation_and_back(before_citations):
    a = before_citations.get_model
    source = a("cooperation", "Source").objects.create(title="Report", slug="report")
    country = a("cooperation", "Country").objects.get(code="UZ")
    org = a("cooperation", "Organization").objects.create(
        name="Org", slug="org", kind="intergovernmental", source=source, passage="Org."
    )
    quiet = a("cooperation", "Organization").objects.create(
        name="Quiet", slug="quiet", kind="intergovernmental"
    )
    Membership_ = a("cooperation", "Membership")
    attested_only = Membership_.objects.create(
        **with_bounds(
            Membership_,
            {"organization": org, "country": country, "status": "member", "attested": "2011"},
        )
    )
    person = a("cooperation", "Person").objects.create(
        name="P", slug="p", source=source, passage="P."
    )
    Position_ = a("cooperation", "Position")
    position = Position_.objects.create(
        **with_bounds(
            Position_,
            {
                "organization": org,
                "holder": person,
                "title": "Director",
                "attested": "2013-08",
                "source": source,
                "passage": "Director.",
            },
        )
    )
    Meeting_ = a("meetings", "Meeting")
    meeting = Meeting_.objects.create(
        **with_bounds(Meeting_, {"title": "M", "date": "2013", "source": source})
    )
    a("meetings", "Participant").objects.create(
        meeting=meeting, person=person, organization=org, passage="Came.", source=source
    )
    a("meetings", "Outcome").objects.create(meeting=meeting, description="O", source=source)
    a("meetings", "Decision").objects.create(
        meeting=meeting, membership=attested_only, change="start", source=source
    )
    agreement = a("agreements", "Agreement").objects.create(title="MOU", source=source)
    a("agreements", "AgreementParty").objects.create(
        agreement=agreement, organization=org, source=source, passage="Party."
    )
    Event = a("agreements", "AgreementEvent")
    Event.objects.create(
        **with_bounds(Event, {"agreement": agreement, "kind": "signed", "date": "2014"}),
        source=source,
    )
    a("agreements", "FollowUp").objects.create(
        agreement=agreement, action="Reply", responsible_organization=org, source=source
    )
    a("cooperation", "OrganizationName").objects.create(
        organization=org, name="Other", source=source
    )

    migrate(AFTER)

    assert Citation.objects.count() == 13  # every kind once; the quiet one cites nothing
    assert not Citation.objects.filter(organization=quiet.pk).exists()
    moved = {c.cited_kind: c for c in Citation.objects.all()}
    assert sorted(moved) == sorted(KINDS)
    assert (moved["membership"].source, moved["membership"].attests_on.iso) == (None, "2011")
    assert (moved["position"].passage, moved["position"].attests_on.iso) == ("Director.", "2013-08")
    assert moved["organization"].passage == "Org."
    assert all(c.source_id == source.pk for k, c in moved.items() if k != "membership")
    assert Membership.objects.get(pk=attested_only.pk).last_attested.iso == "2011"

    # And back: each record takes its citation's source and passage again.
    old_apps = migrate(BEFORE)
    position = old_apps.get_model("cooperation", "Position").objects.get(pk=position.pk)
    assert (position.source_id, position.passage, position.attested.iso) == (
        source.pk,
        "Director.",
        "2013-08",
    )
