"""The core of the domain: who is who, and where each fact comes from.

Countries, organizations and their other names, memberships of countries in
organizations over time, people and the posts they hold, topics, and the sources
that every recorded fact cites.
"""

import datetime
import re
from collections import Counter, defaultdict
from itertools import combinations

from concurrency.fields import AutoIncVersionField
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from cooperation.deletions import DeletedRow, Deletion  # noqa: F401 (models of this app)
from cooperation.history import bulk_writes_allowed, refuse_bulk_write
from cooperation.partial_dates import PartialDate, PartialDateField


class RecordQuerySet(models.QuerySet):
    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.model.natural_key_fields, key, strict=True)))

    # Writes that skip save() would leave no history: refused (cooperation.history).
    def update(self, **kwargs):
        refuse_bulk_write(self, "update")

    def bulk_update(self, *args, **kwargs):
        refuse_bulk_write(self, "bulk_update")

    def bulk_create(self, *args, **kwargs):
        if not bulk_writes_allowed():
            refuse_bulk_write(self, "bulk_create")
        return super().bulk_create(*args, **kwargs)

    def delete(self):
        # One record at a time, so that each is kept, and restored, with what went with it.
        if self.query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with delete().")
        using = self._db or router.db_for_write(self.model)
        deleted, by_model = 0, Counter()
        with transaction.atomic(using=using):
            for record in self.using(using):
                count, counts = record.delete(using=using)
                deleted += count
                by_model.update(counts)
        return deleted, dict(by_model)

    delete.alters_data = True


class Record(models.Model):
    """A domain record: kept in history, locked against lost edits, named by natural key.

    Each concrete record declares `history = HistoricalRecords()`. `version` goes up
    by one at each save; a save that started from an older version is refused
    (django-concurrency). `natural_key_fields` lists the lookups
    ("organization__slug", "title"...) that identify a row, so that loading the same
    fixture twice finds the same rows.
    """

    version = AutoIncVersionField(help_text="Goes up by one at each save.")

    natural_key_fields: tuple[str, ...] = ()

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def refresh_derived(cls, pks):
        """Called with the keys of rows of this model written past save(), as loaddata and
        a restore write them: bring up to date what other records derive from them.
        Nothing to do by default; a model whose rows another record sums up says how."""

    def delete(self, using=None, keep_parents=False):
        # Deleting a record deletes the rows that depend on it too (an agreement's parties,
        # events, topic links…): all of them are kept, so that a restore brings them back.
        return Deletion.delete_keeping(self, using=using, keep_parents=keep_parents)

    delete.alters_data = True

    def natural_key(self):
        return tuple(_natural_value(self, path) for path in self.natural_key_fields)


def _natural_value(record, path):
    value = record
    for step in path.split("__"):
        value = getattr(value, step)
        if value is None:
            return None
    return value.iso if isinstance(value, PartialDate) else value


def _normalize_space(text):
    return re.sub(r"\s+", " ", text).strip()


class Source(Record):
    """A document that facts come from: a report, a cable, a press release."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    publisher = models.CharField(max_length=200, blank=True)
    date = PartialDateField(blank=True)
    url = models.URLField("link", blank=True)
    text = models.TextField(blank=True, help_text="The full text, so passages can be checked.")

    natural_key_fields = ("slug",)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date_first", "title"]

    def __str__(self):
        return self.title

    def contains_passage(self, passage):
        return _normalize_space(passage) in _normalize_space(self.text)

    def citations(self):
        """Every record that quotes a passage of this source: a query for each kind.

        The kinds are found, not listed: every model that inherits Cited points here.
        Each record comes with the records it points to, which name it.
        """
        for relation in self._meta.related_objects:
            model = relation.related_model
            if issubclass(model, Cited) and relation.field.name == "source":
                pointed_to = [
                    field.name
                    for field in model._meta.concrete_fields
                    if field.many_to_one and field.name != "source"
                ]
                yield from (
                    model._base_manager.filter(source=self)
                    .exclude(passage="")
                    .select_related(*pointed_to)
                    .order_by("pk")
                )

    def citations_lost_by(self, new_text):
        """The records whose passage occurs in this source's text and would not in `new_text`.

        With no text now, nothing could be checked, so every passage counts as occurring;
        an empty new text keeps none of them. A passage that already does not occur (a
        text replaced past the admin) is not this edit's doing.
        """
        old_text, new_text = _normalize_space(self.text), _normalize_space(new_text)
        lost = []
        for record in self.citations():
            passage = _normalize_space(record.passage)
            if (not old_text or passage in old_text) and passage not in new_text:
                lost.append(record)
        return lost


class Cited(models.Model):
    """A record that cites the source it rests on, and the passage that says so."""

    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(app_label)s_%(class)s_citations",
    )
    passage = models.TextField(
        blank=True, help_text="The words of the source that support this record, quoted exactly."
    )

    class Meta:
        abstract = True

    # Django's documented hook for keeping what a record was loaded with ("Customizing
    # model loading"). Not the form's changed_data: full_clean is also called past any
    # form (Agreement.record_event, the shell), and asking the database then would cost
    # a query for each row on an admin page.
    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        stored = record.__dict__  # not the attributes: a deferred field would be read
        record._stored_citation = (stored.get("source_id"), stored.get("passage"))
        return record

    def stored_citation(self):
        """(source id, passage) as the database holds them for this record."""
        if self._state.adding:
            return (None, "")
        if hasattr(self, "_stored_citation"):
            return self._stored_citation
        # Built rather than read: an earlier version being restored.
        stored = type(self)._base_manager.filter(pk=self.pk).values_list("source_id", "passage")
        return stored.first() or (None, "")

    def quotes_anew(self):
        """Whether the record is new or its passage or source changed since it was saved."""
        source_id, passage = self.stored_citation()
        if self.source_id != source_id:
            return True
        return _normalize_space(self.passage) != _normalize_space(passage or "")

    def clean(self):
        super().clean()
        if self.passage and not self.source_id:
            raise ValidationError({"source": "Name the source this passage is quoted from."})
        # Only a passage quoted anew is checked: one already saved was checked then, and
        # if the source's text has changed since (in the shell, or before such edits were
        # refused) it must not block edits to the rest of the record.
        if (
            self.passage
            and self.quotes_anew()
            and self.source.text
            and not self.source.contains_passage(self.passage)
        ):
            raise ValidationError(
                {"passage": f"These words do not occur in “{self.source}”. Quote it exactly."}
            )


def citations_by_source(cited):
    """Group (what, record) pairs by source, then by passage.

    Gives [(source, [(passage, [what, ...])])]: the pages list each source once,
    each passage quoted from it once, with everything that rests on it.
    """
    by_source = {}
    for what, record in cited:
        if record.source_id:
            passages = by_source.setdefault(record.source, {})
            passages.setdefault(record.passage, []).append(what)
    return [(source, list(passages.items())) for source, passages in by_source.items()]


class Country(Record):
    """An ISO 3166-1 country; the list comes from pycountry, through a migration."""

    code = models.CharField("ISO code", max_length=2, unique=True)
    alpha_3 = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)
    official_name = models.CharField(max_length=200, blank=True)

    natural_key_fields = ("code",)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name


class Topic(Record):
    """A subject shared by meetings and agreements: terrorism, drug trafficking…"""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    natural_key_fields = ("slug",)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganizationKind(models.TextChoices):
    INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental organization"
    PERMANENT_BODY = "permanent_body", "Permanent body of an organization"
    SECRETARIAT = "secretariat", "Secretariat"
    NATIONAL_AGENCY = "national_agency", "National agency"
    MINISTRY = "ministry", "Ministry"
    GOVERNMENT = "government", "Government"
    DIPLOMATIC_MISSION = "diplomatic_mission", "Diplomatic mission"
    NON_GOVERNMENTAL = "non_governmental", "Non-governmental organization"
    OTHER = "other", "Other"


class OrganizationQuerySet(RecordQuerySet):
    def within(self, organization):
        """`organization` and its bodies at every depth: its children, their children…
        (RATS-SCO within SCO).

        Walks down the tree when called, one query a level (bodies are few and the tree
        shallow), and returns a queryset of those it found. A loop in the tree, which
        clean() refuses, cannot make the walk go on for ever.
        """
        found = {organization.pk}
        level = found
        while level:
            children = Organization.objects.filter(parent__in=level).values_list("pk", flat=True)
            level = set(children) - found
            found |= level
        return self.filter(pk__in=found)


class Organization(Cited, Record):
    Kind = OrganizationKind

    name = models.CharField(max_length=300)
    acronym = models.CharField(max_length=50, blank=True)
    slug = models.SlugField(
        max_length=100, unique=True, blank=True, help_text="Made from the acronym when blank."
    )
    kind = models.CharField(max_length=30, choices=Kind)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The organization this one belongs to: RATS-SCO belongs to SCO.",
    )
    home_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The country it belongs to, if it is national (an agency, a mission).",
    )
    accredited_to = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a diplomatic mission: the country it is accredited to.",
    )
    seat = models.CharField(max_length=100, blank=True, help_text="The city it sits in.")
    founded = PartialDateField(blank=True)
    description = models.TextField(blank=True)

    objects = OrganizationQuerySet.as_manager()
    natural_key_fields = ("slug",)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values), name="organization_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="organization_not_its_own_parent"
            ),
        ]

    def __str__(self):
        return self.display_name(self.acronym, self.name)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.acronym or self.name)[:100]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cooperation:organization_detail", args=[self.slug])

    @staticmethod
    def display_name(acronym, name):
        """How lists name an organization, from its two columns: "BNPT (Indonesian …)"."""
        if acronym and acronym != name:
            return f"{acronym} ({name})"
        return name

    @property
    def short_name(self):
        return self.acronym or self.name

    def clean(self):
        super().clean()
        seen = set()
        ancestor = self.parent
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": "An organization cannot sit inside itself."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class OrganizationName(Cited, Record):
    """Another name an organization goes by: a full name, a translation, an old name."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="other_names"
    )
    name = models.CharField(max_length=300)
    note = models.CharField(max_length=200, blank=True, help_text="Language, period or usage.")

    natural_key_fields = ("organization__slug", "name")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="organization_name_unique"
            ),
        ]

    def __str__(self):
        return self.name


def held_on(day):
    """The periods that held on `day`, as far as the record shows.

    A period counts from the last day its start can mean; with no start, from
    the last day of the date the source attests it (or always, when it says
    nothing). It counts until the first day its end can mean; with no end, it
    is taken to go on, unless it is marked as ended at an unknown date. So a
    partial or unknown date never claims more than is known.
    """
    started = (
        Q(start_last__lte=day) | Q(start="", attested="") | Q(start="", attested_last__lte=day)
    )
    not_ended = Q(end="", ended=False) | Q(end_first__gt=day)
    return started & not_ended


def unconfirmed_on(day):
    """The periods no source confirms on `day`: no end is recorded, and `day` comes after
    the last date that confirms it (its start, the date it is attested on), or nothing
    confirms any day. Of those that held_on(day), these are presumed to go on."""
    return (
        Q(end="")
        & (Q(start="") | Q(start_last__lt=day))
        & (Q(attested="") | Q(attested_last__lt=day))
    )


class PeriodQuerySet(RecordQuerySet):
    def on(self, day):
        """What held on `day`, known or presumed (see held_on)."""
        return self.filter(held_on(day))

    def with_certainty_on(self, day):
        """Annotate `held`: it held on `day`, as on() counts; and `presumed`: it held only
        as far as nothing says it ended, no source confirming it that day. What held
        and is not presumed is known."""
        return self.annotate(
            held=ExpressionWrapper(held_on(day), BooleanField()),
            presumed=ExpressionWrapper(held_on(day) & unconfirmed_on(day), BooleanField()),
        )


class Period(models.Model):
    """Something that held from a start to an end, either of which may be partial or unknown."""

    start = PartialDateField(blank=True)
    end = PartialDateField(blank=True, help_text="The day it ended. Blank: not ended, or unknown.")
    ended = models.BooleanField(
        "has ended (date unknown)",
        default=False,
        help_text="It is over, but the source does not say when: an unnamed predecessor's term.",
    )
    attested = PartialDateField(
        "attested on",
        blank=True,
        help_text="A date on which the source shows it held. "
        "When the start is unknown, it counts from here.",
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(start="") | Q(end="") | Q(end_last__gte=F("start_first")),
                name="%(app_label)s_%(class)s_end_after_start",
            ),
        ]

    @property
    def last_confirmed(self):
        """The latest date a source confirms this held (its start, or the date it is
        attested on, whichever ends later); None when neither is recorded."""
        dates = [date for date in (self.start, self.attested) if date]
        return max(dates, key=lambda date: date.last) if dates else None

    def certain_span(self):
        """The days on which this certainly held, as (from, until): until is exclusive."""
        if self.start:
            since = self.start.last
        elif self.attested:
            since = self.attested.last
        else:
            since = datetime.date.min
        if self.end:
            until = self.end.first
        elif self.ended:
            until = since  # over at some unknown day: no day is certain
        else:
            until = datetime.date.max
        return since, until

    def overlaps(self, other):
        """True when there is a day on which both certainly held, as on() counts them."""
        since, until = self.certain_span()
        other_since, other_until = other.certain_span()
        # A span with no certain day (ended on an unknown day, or a start known less
        # precisely than its end) shares no day with anything.
        return max(since, other_since) < min(until, other_until)

    def dates_are_valid(self):
        """False while a date is still text that clean_fields() has refused."""
        return all(isinstance(d, PartialDate | None) for d in (self.start, self.end, self.attested))

    def clean(self):
        super().clean()
        if not self.dates_are_valid():
            return
        if self.start and self.end and self.end.last < self.start.first:
            raise ValidationError({"end": "The end comes before the start."})
        if self.attested and self.end and self.end.last <= self.attested.first:
            raise ValidationError({"end": "The end comes before the date it is attested on."})

    @property
    def period_display(self):
        start = str(self.start) if self.start else "unknown start"
        if self.end:
            end = str(self.end)
        elif self.ended:
            end = "ended, date unknown"
        else:
            end = "…" if self.start else "no end known"
        if not self.start and not self.end and self.attested:
            return f"attested {self.attested}" + (", since ended" if self.ended else "")
        return f"{start} – {end}"


class MembershipStatus(models.TextChoices):
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"
    DIALOGUE_PARTNER = "dialogue_partner", "Dialogue partner"


class Membership(Cited, Period, Record):
    """A country's status in an organization over a period: member, observer…

    To add a status, add a choice to Status (and a migration): the pages count
    and draw every status there is.
    """

    Status = MembershipStatus

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(max_length=30, choices=Status)
    note = models.CharField(max_length=300, blank=True)

    objects = PeriodQuerySet.as_manager()
    natural_key_fields = ("organization__slug", "country__code", "status", "start")

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization", "status", "country__name"]
        constraints = [
            *Period.Meta.constraints,
            models.CheckConstraint(
                condition=Q(status__in=MembershipStatus.values), name="membership_status_valid"
            ),
            models.UniqueConstraint(
                fields=["organization", "country", "status", "start"],
                name="membership_unique_start",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="membership_status_idx")]

    def __str__(self):
        status = self.get_status_display().lower()
        return f"{self.country} — {status} of {self.organization.short_name}"


def first_overlap(memberships):
    """The first two memberships of one country in one organization whose periods overlap."""
    by_pair = defaultdict(list)
    for membership in memberships:
        by_pair[(membership.organization_id, membership.country_id)].append(membership)
    for group in by_pair.values():
        for one, other in combinations(group, 2):
            if one.overlaps(other):
                return one, other
    return None


def overlap_message(one, other):
    return (
        f"{one.country} cannot be {one.get_status_display().lower()} ({one.period_display}) "
        f"while it is also {other.get_status_display().lower()} ({other.period_display}) "
        f"of {one.organization.short_name}: give the earlier status an end date."
    )


class Person(Cited, Record):
    honorific = models.CharField(max_length=50, blank=True, help_text="H.E., Mr., Dr.…")
    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100, unique=True, blank=True, help_text="Made from the name when blank."
    )
    other_names = models.TextField(
        blank=True, help_text="Other spellings and forms of the name, one a line."
    )
    note = models.TextField(blank=True)

    natural_key_fields = ("slug",)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.display_name(self.honorific, self.name)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        super().save(*args, **kwargs)

    @staticmethod
    def display_name(honorific, name):
        return f"{honorific} {name}".strip()


class Position(Cited, Period, Record):
    """A post held in an organization over a period; the holder may be unknown."""

    title = models.CharField(max_length=300)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="positions"
    )
    holder = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        help_text="Leave blank when the source does not name the holder.",
    )
    note = models.CharField(max_length=300, blank=True)

    objects = PeriodQuerySet.as_manager()
    natural_key_fields = ("organization__slug", "title", "holder__slug", "attested")

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization", "title", "start_first", "attested_first"]
        constraints = [*Period.Meta.constraints]

    def __str__(self):
        return f"{self.title}, {self.organization.short_name}: {self.holder_display}"

    @property
    def holder_display(self):
        return str(self.holder) if self.holder else "holder not named"
