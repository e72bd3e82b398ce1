"""Move each record's single citation (its source and passage, and for a status or a
post the date it was attested on) into a Citation of its own, losing nothing.

A record with neither a source, a passage nor a date gets no citation. Each citation
moved gets a first entry in its history, saying where it came from.
"""

from django.db import migrations
from django.utils import timezone

# The field of Citation that points to each kind of record, and that record's model.
CITED_RECORDS = {
    "organization": "cooperation.Organization",
    "organization_name": "cooperation.OrganizationName",
    "membership": "cooperation.Membership",
    "person": "cooperation.Person",
    "position": "cooperation.Position",
    "meeting": "meetings.Meeting",
    "participant": "meetings.Participant",
    "outcome": "meetings.Outcome",
    "decision": "meetings.Decision",
    "agreement": "agreements.Agreement",
    "party": "agreements.AgreementParty",
    "event": "agreements.AgreementEvent",
    "follow_up": "agreements.FollowUp",
}
PERIODS = ("membership", "position")
REASON = "Moved from the record's own source and passage"
DATE_COLUMNS = ("attests_on", "attests_on_first", "attests_on_last")
BATCH = 2000


def citations_from_records(apps, schema_editor):
    Citation = apps.get_model("cooperation", "Citation")
    HistoricalCitation = apps.get_model("cooperation", "HistoricalCitation")
    moved_at = timezone.now()
    for kind, label in CITED_RECORDS.items():
        model = apps.get_model(label)
        rows = model.objects.order_by("pk")
        columns = ["pk", "source_id", "passage"]
        if kind in PERIODS:
            columns += ["attested", "attested_first", "attested_last"]
        batch = []
        for values in rows.values_list(*columns).iterator(chunk_size=BATCH):
            pk, source_id, passage, *attested = values
            attested = attested or ["", None, None]
            if not (source_id or passage or attested[0]):
                continue
            batch.append(
                Citation(
                    source_id=source_id,
                    passage=passage,
                    **dict(zip(DATE_COLUMNS, attested, strict=True)),
                    **{f"{kind}_id": pk},
                )
            )
            if len(batch) >= BATCH:
                write(Citation, HistoricalCitation, batch, moved_at)
                batch = []
        write(Citation, HistoricalCitation, batch, moved_at)
        if kind in PERIODS:
            # Known up to the date attested: the first and the last are the same one.
            for pk, *attested in rows.exclude(attested="").values_list(
                "pk", "attested", "attested_first", "attested_last"
            ):
                model.objects.filter(pk=pk).update(
                    last_attested=attested[0],
                    last_attested_first=attested[1],
                    last_attested_last=attested[2],
                )


def write(Citation, HistoricalCitation, citations, moved_at):
    if not citations:
        return
    Citation.objects.bulk_create(citations)
    if not citations[0].pk:  # a database that does not return keys from a bulk insert
        raise RuntimeError("The keys of the citations written are needed for their history.")
    fields = [f.attname for f in Citation._meta.concrete_fields]
    HistoricalCitation.objects.bulk_create(
        HistoricalCitation(
            **{name: getattr(citation, name) for name in fields},
            history_date=moved_at,
            history_type="+",
            history_change_reason=REASON,
        )
        for citation in citations
    )


def records_from_citations(apps, schema_editor):
    """Backwards: each record takes its first citation's source and passage (and date);
    any further citation is left behind with the table."""
    Citation = apps.get_model("cooperation", "Citation")
    for kind, label in CITED_RECORDS.items():
        model = apps.get_model(label)
        seen = set()
        first_citations = (
            Citation.objects.filter(**{f"{kind}__isnull": False})
            .order_by(kind, "pk")
            .values_list(f"{kind}_id", "source_id", "passage", *DATE_COLUMNS)
        )
        for pk, source_id, passage, *attested in first_citations:
            if pk in seen:
                continue
            seen.add(pk)
            values = {"source_id": source_id, "passage": passage}
            if kind in PERIODS:
                values.update(
                    zip(("attested", "attested_first", "attested_last"), attested, strict=True)
                )
            model.objects.filter(pk=pk).update(**values)


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0006_citations")]

    operations = [migrations.RunPython(citations_from_records, records_from_citations)]
