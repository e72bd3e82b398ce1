"""The synthetic data set of `python -m bench.seed`: deterministic, valid, recorded."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db.models import Count

from agreements.models import Agreement, AgreementEvent, FollowUp
from bench.seed import fingerprint, generate
from bench.seed.writing import SeedError, rows_to_write, seed_database
from cooperation.history import recorded_models
from cooperation.models import (
    CITED_RECORDS,
    Citation,
    Membership,
    Organization,
    Position,
    first_overlap,
)
from cooperation.partial_dates import PartialDateField
from meetings.models import Meeting
from tests.factories import ensure_countries

ROOT = Path(__file__).resolve().parent.parent
REASON = "Synthetic data (seed 1)"
# generate(30, seed=1), digested: changes only when the generator does.
SEED_1_FINGERPRINT = "add949860005879e6df2089d789f4101abcdd77bf11b450710373be4ada1c40e"


def seed(agreements=30, seed=1, **options):
    ensure_countries()
    return seed_database(agreements, seed, progress=False, **options)


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    return seed()


def test_the_same_seed_gives_the_same_data():
    assert fingerprint(generate(30, seed=1)) == fingerprint(generate(30, seed=1))
    assert fingerprint(generate(30, seed=1)) == SEED_1_FINGERPRINT
    assert fingerprint(generate(30, seed=2)) != fingerprint(generate(30, seed=1))


def test_generated_data_is_plain_python():
    data = generate(5, seed=3)
    assert set(data) >= {"organizations", "agreements", "events", "follow_ups"}
    for rows in data.values():
        for row in rows:
            for value in row.values():
                assert value is None or isinstance(value, str | int | bool | list), value


def test_every_passage_occurs_in_its_generated_source():
    data = generate(200, seed=5)
    quoted = 0
    for table, rows in data.items():
        for row in rows:
            if row.get("passage"):
                assert row["source"] is not None, table
                assert row["passage"] in data["sources"][row["source"]]["text"], table
                quoted += 1
    assert quoted > 500


def test_it_writes_counts_in_the_expected_ranges(seeded):
    assert "Seeded 30 agreements (seed 1)" in seeded
    assert Agreement.objects.count() == 30
    assert 12 <= Organization.objects.count() <= 60
    assert set(Organization.objects.values_list("kind", flat=True)) >= {
        "intergovernmental",
        "national_agency",
        "diplomatic_mission",
    }
    assert Organization.objects.filter(parent__isnull=False).exists()
    assert Organization.objects.filter(home_country__isnull=False).exists()
    assert 90 <= AgreementEvent.objects.count() <= 240
    assert Meeting.objects.count() >= 10
    assert Meeting.objects.filter(agreement_events__isnull=False).exists()
    assert Meeting.objects.filter(participants__isnull=False).distinct().count() == (
        Meeting.objects.count()
    )
    assert Meeting.topics.through.objects.exists()
    assert Agreement.topics.through.objects.exists()
    assert Position.objects.filter(holder__isnull=True).exists()
    assert Membership.objects.filter(status="observer").exists()
    assert Membership.objects.exclude(end="").exists()
    assert first_overlap(Membership.objects.all()) is None
    assert FollowUp.objects.filter(state="done").exclude(closed_on="").exists()
    assert FollowUp.objects.overdue().exists()


def test_every_agreement_has_two_parties_and_three_to_eight_events_in_order(seeded):
    for agreement in Agreement.objects.annotate(parties_count=Count("party_links", distinct=True)):
        assert agreement.parties_count == 2
        events = list(agreement.events.order_by("date_first", "date_last", "pk"))
        assert 3 <= len(events) <= 8
        for earlier, later in zip(events, events[1:], strict=False):
            assert earlier.date.last < later.date.first
        assert agreement.latest_event == events[-1]
        assert agreement.latest_kind == events[-1].kind
        assert agreement.latest_activity == events[-1].date.last


def test_every_passage_occurs_in_its_source(seeded):
    checked = 0
    for citation in Citation.objects.exclude(passage="").select_related("source"):
        assert citation.source.contains_passage(citation.passage), citation
        checked += 1
    assert checked > 50
    assert not Citation.objects.filter(source__isnull=True).exclude(passage="").exists()


def test_each_record_quoted_has_one_citation_of_its_own(seeded):
    data = generate(30, seed=1)
    kinds = set()
    for citation in Citation.objects.all():
        assert citation.source_id or citation.attests_on, citation
        assert not citation.contradicts
        kinds.add(citation.cited_kind)
    # Every kind the generator makes (it makes no decisions) is cited somewhere.
    assert kinds == set(CITED_RECORDS) - {"decision"}
    quoted = sum(1 for rows in data.values() for row in rows if row.get("source") is not None)
    assert Citation.objects.filter(source__isnull=False).count() == quoted
    for kind in CITED_RECORDS:
        assert not (
            Citation.objects.filter(**{f"{kind}__isnull": False})
            .values(kind)
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .exists()
        ), kind
    assert "citations: " in seeded


def test_dates_attested_come_from_the_citations(seeded):
    # A date attested is a source's: every citation names its source.
    assert not Citation.objects.filter(source__isnull=True).exists()
    for model in (Membership, Position):
        kind = Citation.field_for(model)
        dated = Citation.objects.exclude(attests_on="").filter(**{f"{kind}__isnull": False})
        assert dated.exists(), model
        columns = ["attested", "last_attested"]
        written = {pk: dates for pk, *dates in model.objects.values_list("pk", *columns)}
        model.refresh_attestations(list(written))
        refreshed = {pk: dates for pk, *dates in model.objects.values_list("pk", *columns)}
        assert refreshed == written, model
        assert model.objects.exclude(attested="").count() == dated.count(), model


def test_partial_date_bounds_are_written(seeded):
    partial = 0
    for model in recorded_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, PartialDateField):
                continue
            columns = [field.name, f"{field.name}_first", f"{field.name}_last"]
            for date, first, last in model.objects.values_list(*columns):
                assert (first, last) == ((date.first, date.last) if date else (None, None))
                partial += bool(date and date.precision != "day")
    assert partial > 10


def test_every_record_has_its_history_row(seeded):
    for model in recorded_models():
        count = model.objects.count()
        if model.__name__ == "Country":
            continue
        assert model.history.filter(history_type="+", history_change_reason=REASON).count() == (
            count
        ), model
    agreement = Agreement.objects.first()
    assert agreement.version == 1
    latest = agreement.history.latest()
    assert set(latest.topics.values_list("topic", flat=True)) == set(
        agreement.topics.values_list("pk", flat=True)
    )


def test_records_pass_their_own_validation(seeded):
    for model in recorded_models():
        for record in model.objects.all()[:200]:
            record.full_clean()


def test_it_refuses_production_settings_without_force(db, settings):
    settings.DEBUG = False
    with pytest.raises(SeedError, match="development and benchmarks"):
        seed(agreements=3)
    assert not Agreement.objects.exists()
    assert "Seeded 3 agreements" in seed(agreements=3, force=True)


def test_it_refuses_to_seed_twice(seeded):
    with pytest.raises(SeedError, match="already holds synthetic data"):
        seed(agreements=3, seed=2)


@pytest.mark.parametrize("progress", [False, None], ids=["asked-for-none", "not-a-terminal"])
def test_no_progress_bar_when_asked_or_when_stderr_is_not_a_terminal(
    db, settings, capsys, progress
):
    settings.DEBUG = True
    ensure_countries()
    seed_database(3, progress=progress)  # under pytest, stderr is not a terminal
    assert capsys.readouterr().err == ""


def test_the_progress_bar_counts_every_row_written(db, settings, capsys):
    settings.DEBUG = True
    ensure_countries()
    seed_database(3, progress=True)
    rows = rows_to_write(generate(3))
    assert f"{rows}/{rows}" in capsys.readouterr().err


def test_the_command_line_sets_django_up_and_refuses_production_settings(tmp_path):
    database = tmp_path / "seed.sqlite3"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-m", "bench.seed", "--agreements", "3"],
        cwd=ROOT,
        env={
            **environment,
            "DJANGO_SECRET_KEY": "not-secret-" * 5,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{database}",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    assert "Synthetic data is for development and benchmarks" in result.stderr
    assert not database.exists()
