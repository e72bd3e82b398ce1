"""GIN indexes for free-text search on PostgreSQL; other databases search by substring.

Built from the same SearchVector expressions the queries use (agreements.models), so that
PostgreSQL recognizes them. Not in the models' Meta: Django has no per-database index.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEXES = [
    ("agreements", "Agreement", "agreement_search_idx", ("title", "summary")),
    ("cooperation", "Organization", "organization_search_idx", ("name", "acronym")),
    ("cooperation", "OrganizationName", "organization_name_search_idx", ("name",)),
    ("cooperation", "Person", "person_search_idx", ("name", "other_names")),
]


def indexes(apps):
    for app_label, model_name, name, fields in INDEXES:
        index = GinIndex(SearchVector(*fields, config="simple"), name=name)
        yield apps.get_model(app_label, model_name), index


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in indexes(apps):
            schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0003_history_and_versions"),
        ("cooperation", "0003_history_and_versions"),
    ]

    operations = [migrations.RunPython(create, drop)]
