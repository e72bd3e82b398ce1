"""Writing the generated data: bulk inserts, each record with its history row."""

import gc
import sys
import time

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from tqdm import tqdm

from agreements.models import Agreement, AgreementEvent, AgreementParty, FollowUp
from bench.seed import generate
from bench.seed.countries import CODES
from bench.seed.world import TABLES
from cooperation.history import bulk_create_recorded
from cooperation.models import (
    Citation,
    Cited,
    Country,
    Membership,
    Organization,
    OrganizationName,
    Period,
    Person,
    Position,
    Source,
    Topic,
)
from meetings.models import Meeting, Outcome, Participant


class SeedError(Exception):
    """The database cannot take the synthetic data, or should not."""


COUNTRY_REF = "countries"
# table: (model, {field: the table it refers to})
MODELS = {
    "topics": (Topic, {}),
    "sources": (Source, {}),
    "organizations": (
        Organization,
        {"parent": "organizations", "home_country": COUNTRY_REF, "accredited_to": COUNTRY_REF},
    ),
    "organization_names": (OrganizationName, {"organization": "organizations"}),
    "memberships": (Membership, {"organization": "organizations", "country": COUNTRY_REF}),
    "people": (Person, {}),
    "positions": (Position, {"organization": "organizations", "holder": "people"}),
    "meetings": (Meeting, {"country": COUNTRY_REF}),
    "participants": (
        Participant,
        {
            "meeting": "meetings",
            "person": "people",
            "position": "positions",
            "organization": "organizations",
        },
    ),
    "outcomes": (Outcome, {"meeting": "meetings", "organization": "organizations"}),
    "agreements": (Agreement, {}),
    "parties": (AgreementParty, {"agreement": "agreements", "organization": "organizations"}),
    "events": (AgreementEvent, {"agreement": "agreements", "meeting": "meetings"}),
    "follow_ups": (
        FollowUp,
        {
            "agreement": "agreements",
            "meeting": "meetings",
            "requested_by_organization": "organizations",
            "requested_by_person": "people",
            "responsible_organization": "organizations",
            "responsible_person": "people",
        },
    ),
}
# The field of Citation that points to a record of each table of cited records.
CITED_TABLES = {
    Citation.field_for(model): table
    for table, (model, _) in MODELS.items()
    if issubclass(model, Cited)
}
MODELS["citations"] = (Citation, {"source": "sources", **CITED_TABLES})
# What a generated row says of its source, written as a Citation of its own.
CITATION_KEYS = ("source", "passage")
CHUNK = 2000


def write(data, *, reason, progress=None, batch_size=500):
    """Insert the generated records, then their citations (citations_of), with their
    history rows; return {table: count}.

    `progress`: a tqdm bar of `rows_to_write(data)` rows to advance, or None for none.
    """
    return _Writer(data, reason, progress, batch_size).run()


class _Writer:
    def __init__(self, data, reason, progress, batch_size):
        self.data, self.reason, self.batch_size = data, reason, batch_size
        self.progress = progress if progress is not None else tqdm(disable=True)
        self.pks = {}
        self.counts = {}

    def run(self):
        self.countries = dict(Country.objects.values_list("code", "pk"))
        missing = sorted({code for code in CODES if code not in self.countries})
        if missing:
            raise SeedError(f"Countries missing from the database: {', '.join(missing)}.")
        with transaction.atomic():
            self.write_topics()
            for table in TABLES[1:]:
                if table == "organizations":
                    self.write_organizations()
                else:
                    self.pks[table] = self.insert(table, self.data[table])
                if table in ("meetings", "agreements"):
                    self.write_topic_links(table)
                if table == "events":
                    self.refresh_status()
            self.pks["citations"] = self.insert("citations", citations_of(self.data))
        # Fresh statistics for the query planner after a bulk load: without them SQLite
        # picks the follow-ups' state index over their agreement's, for one.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return self.counts

    def advance(self, count, table):
        self.progress.set_postfix_str(table, refresh=False)
        self.progress.update(count)

    def refresh_status(self):
        """The events went in by bulk insert, past Agreement.events_changing(): set the
        agreements' status from them here, as that would have."""
        pks = self.pks["agreements"]
        for start in range(0, len(pks), CHUNK):
            Agreement.objects.filter(pk__in=pks[start : start + CHUNK]).refresh_status()

    def write_topics(self):
        rows = self.data["topics"]
        existing = dict(
            Topic.objects.filter(slug__in=[r["slug"] for r in rows]).values_list("slug", "pk")
        )
        new = [r for r in rows if r["slug"] not in existing]
        self.advance(len(rows) - len(new), "topics")
        created = dict(zip((r["slug"] for r in new), self.insert("topics", new), strict=True))
        self.pks["topics"] = [existing.get(r["slug"]) or created[r["slug"]] for r in rows]

    def write_organizations(self):
        # Parents first: a child needs its parent's key.
        rows = self.data["organizations"]
        self.pks["organizations"] = [None] * len(rows)
        for has_parent in (False, True):
            numbers = [i for i, row in enumerate(rows) if (row["parent"] is not None) == has_parent]
            pks = self.insert("organizations", [rows[i] for i in numbers])
            for number, pk in zip(numbers, pks, strict=True):
                self.pks["organizations"][number] = pk

    def instance(self, model, refs, row):
        values = {}
        for name, value in row.items():
            # The topics go through their own table; a record's source and passage, into
            # its citation (citations_of).
            if name == "topics" or (name in CITATION_KEYS and model is not Citation):
                continue
            target = refs.get(name)
            if target is None:
                values[name] = value
            elif value is None:
                values[f"{name}_id"] = None
            elif target == COUNTRY_REF:
                values[f"{name}_id"] = self.countries[value]
            else:
                values[f"{name}_id"] = self.pks[target][value]
        if issubclass(model, Period):
            # Derived from its citations: a row has one at most, which attests it on the
            # date it is attested on, so the first and the last are that one (as
            # Period.refresh_attestations would write them).
            values["last_attested"] = values["attested"]
        return model(**values)

    def insert(self, table, rows):
        model, refs = MODELS[table]
        pks = []
        for start in range(0, len(rows), CHUNK):
            objects = [self.instance(model, refs, row) for row in rows[start : start + CHUNK]]
            created = bulk_create_recorded(
                model, objects, reason=self.reason, batch_size=self.batch_size
            )
            pks.extend(obj.pk for obj in created)
            self.advance(len(objects), table)
        if None in pks:
            raise SeedError("The database did not return the keys of new rows.")
        self.counts[table] = self.counts.get(table, 0) + len(rows)
        return pks

    def write_topic_links(self, table):
        """The topics of meetings or agreements, and the same in their history rows."""
        model = MODELS[table][0]
        through = model.topics.through
        owner = f"{model._meta.model_name}_id"
        historical = model.history.model
        historical_links = apps.get_model(model._meta.app_label, f"{historical.__name__}_topics")
        owner_pks = self.pks[table]
        links = [
            (owner_pks[number], self.pks["topics"][topic])
            for number, row in enumerate(self.data[table])
            for topic in row["topics"]
        ]
        for start in range(0, len(links), CHUNK):
            chunk = links[start : start + CHUNK]
            created = through.objects.bulk_create(
                [through(**{owner: pk, "topic_id": topic}) for pk, topic in chunk],
                batch_size=self.batch_size,
            )
            history_of = {}
            owners = sorted({pk for pk, _ in chunk})
            for first in range(0, len(owners), self.batch_size):
                history_of.update(
                    historical.objects.filter(
                        id__in=owners[first : first + self.batch_size], history_type="+"
                    ).values_list("id", "history_id")
                )
            historical_links.objects.bulk_create(
                [
                    historical_links(
                        history_id=history_of[getattr(link, owner)],
                        id=link.pk,
                        **{owner: getattr(link, owner), "topic_id": link.topic_id},
                    )
                    for link in created
                ],
                batch_size=self.batch_size,
            )
            self.advance(len(chunk), f"{table} topics")
        self.counts[f"{table} topics"] = len(links)


def citations_of(data):
    """The citations of the generated records, as rows of a table "citations": one for
    each record with a source or a passage, or, for a status or a post, a date it is
    attested on (the citation's date: such a row always has a source)."""
    citations = []
    for kind, table in CITED_TABLES.items():
        period = issubclass(MODELS[table][0], Period)
        for number, row in enumerate(data[table]):
            attests_on = row["attested"] if period else ""
            if row["source"] is None and not row["passage"] and not attests_on:
                continue
            citations.append(
                {
                    "source": row["source"],
                    "passage": row["passage"],
                    "attests_on": attests_on,
                    kind: number,
                }
            )
    return citations


def rows_to_write(data):
    """The rows `write` inserts: the records, their citations, and the links of meetings
    and agreements to their topics."""
    return (
        sum(len(rows) for rows in data.values())
        + len(citations_of(data))
        + sum(len(row["topics"]) for table in ("meetings", "agreements") for row in data[table])
    )


def seed_database(agreements, seed=1, *, force=False, progress=None):
    """Generate the data set of `agreements` agreements and write it into the database;
    return what was written, in two lines.

    Refused with DEBUG off (production settings) unless `force`, and in a database that
    holds synthetic data already. `progress`: a bar on stderr when it is a terminal
    (None), never (False) or always (True).
    """
    if not settings.DEBUG and not force:
        raise SeedError(
            "Synthetic data is for development and benchmarks: run it with "
            "DJANGO_DEBUG=1, or pass --force to write it into this database anyway."
        )
    if agreements < 1:
        raise SeedError("--agreements must be at least 1.")
    reason = f"Synthetic data (seed {seed})"
    if Agreement.history.filter(history_change_reason__startswith="Synthetic data").exists():
        raise SeedError("This database already holds synthetic data: seed a freshly migrated one.")
    started = time.perf_counter()
    data = generate(agreements, seed)
    generated = time.perf_counter()
    bar = tqdm(
        total=rows_to_write(data),
        desc="Writing",
        unit=" rows",
        file=sys.stderr,
        disable=None if progress is None else not progress,
    )
    # The generated rows live until the end: spare the garbage collector from walking
    # them again at every collection (a quarter of the time at 10,000 agreements).
    gc.freeze()
    try:
        counts = write(data, reason=reason, progress=bar)
    except IntegrityError as error:
        raise SeedError(
            f"The data clashes with records already here ({error}): seed a fresh database."
        ) from error
    finally:
        gc.unfreeze()
        bar.close()
    finished = time.perf_counter()
    records = sum(v for k, v in counts.items() if not k.endswith("topics"))
    return (
        "  ".join(f"{table.replace('_', ' ')}: {count:,}" for table, count in counts.items())
        + "\n"
        + f"Seeded {agreements:,} agreements (seed {seed}): {records:,} records and as many "
        f"history rows in {finished - started:.1f} s "
        f"(generating {generated - started:.1f} s, writing {finished - generated:.1f} s)."
    )
