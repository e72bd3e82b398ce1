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
from django.db.models import BooleanField, ExpressionWrapper, F, Prefetch, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
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

    version = AutoIncVersionField(
        help_text=_("Goes up by one at each save."), verbose_name=_("version")
    )

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


def _partial_date_columns(name, date):
    """The values of a partial date's column and its bounds, for QuerySet.update()."""
    return {
        name: date.iso if date else "",
        f"{name}_first": date.first if date else None,
        f"{name}_last": date.last if date else None,
    }


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

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    date = PartialDateField(_("date"), blank=True)
    url = models.URLField(_("link"), blank=True)
    # Kept through the storage API: on a shared object store when settings say so.
    file = models.FileField(
        _("original file"),
        upload_to="sources/%Y/",
        max_length=255,
        blank=True,
        help_text=_(
            "The document as received: a .txt, .docx or .pdf file (a PDF with text, "
            "not a scan). Its text fills the text below, unless you type one."
        ),
    )
    text = models.TextField(
        _("text"), blank=True, help_text=_("The full text, so passages can be checked.")
    )

    natural_key_fields = ("slug",)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date_first", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title

    @property
    def file_name(self):
        """The original file's name, without the folder it is kept in ("" without one)."""
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""

    def contains_passage(self, passage):
        return _normalize_space(passage) in _normalize_space(self.text)

    def citations_lost_by(self, new_text):
        """The records citing a passage that occurs in this source's text and would not
        in `new_text`.

        With no text now, nothing could be checked, so every passage counts as occurring;
        an empty new text keeps none of them. A passage that already does not occur (a
        text replaced past the admin) is not this edit's doing.
        """
        old_text, new_text = _normalize_space(self.text), _normalize_space(new_text)
        lost = []
        quoting = self.citations.exclude(passage="").select_related(*CITED_RECORDS).order_by("pk")
        for citation in quoting:
            passage = _normalize_space(citation.passage)
            if (not old_text or passage in old_text) and passage not in new_text:
                lost.append(citation.cited_record)
        return lost


class Cited(models.Model):
    """A record that rests on sources: its `citations`, any number, each quoting one.

    A mixin before Record. Citation has a field for each kind of cited record, whose
    reverse is `citations` on the record.
    """

    class Meta:
        abstract = True

    def is_disputed(self):
        """Whether a source contradicts the record (reads its citations, or uses those
        prefetched with it)."""
        return any(citation.contradicts for citation in self.citations.all())


# The field of Citation that points to each kind of record that cites sources.
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


def _exactly_one_of(names):
    """A condition: exactly one of the fields `names` is set."""
    one_set = Q()
    for name in names:
        others_unset = Q(*(Q(**{f"{other}__isnull": True}) for other in names if other != name))
        one_set |= Q(**{f"{name}__isnull": False}) & others_unset
    return one_set


class CitationQuerySet(RecordQuerySet):
    def get_by_natural_key(self, cited_kind, cited_key, source_slug, passage):
        model = self.model._meta.get_field(cited_kind).related_model
        cited = model._default_manager.get_by_natural_key(*cited_key)
        return self.get(**{cited_kind: cited}, source__slug=source_slug, passage=passage)

    def supporting(self):
        return self.filter(contradicts=False)


def _cited_record(kind, verbose_name):
    """The field of Citation that points to the record of `kind` it cites (blank when it
    cites another kind)."""
    return models.ForeignKey(
        CITED_RECORDS[kind],
        models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=verbose_name,
    )


class Citation(Record):
    """What one source says about one record: the passage, quoted exactly, the date the
    source speaks of, and whether it supports the record or states something else.

    A record cites any number of sources; a citation points to exactly one record,
    through the field of its kind (CITED_RECORDS).
    """

    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        # Forms require it; only a citation moved from before there were citations, of a
        # record that gave a date it was attested on and no source, lacks one.
        null=True,
        related_name="citations",
        error_messages={"blank": _("Name the source this citation quotes.")},
        verbose_name=_("source"),
    )
    passage = models.TextField(
        _("passage"),
        blank=True,
        help_text=_("The words of the source about this record, quoted exactly."),
    )
    attests_on = PartialDateField(
        _("attests on"),
        blank=True,
        help_text=_(
            "The date the source speaks of. A status it shows holding that day is "
            "known up to that day."
        ),
    )
    contradicts = models.BooleanField(
        _("contradicts the record"),
        default=False,
        help_text=_("The source states something else than the record does."),
    )
    states_instead = models.CharField(
        _("states instead"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the source states instead, when it contradicts the record: “observer since 2005”."
        ),
    )

    organization = _cited_record("organization", _("organization"))
    organization_name = _cited_record("organization_name", _("organization name"))
    membership = _cited_record("membership", _("membership"))
    person = _cited_record("person", _("person"))
    position = _cited_record("position", _("position"))
    meeting = _cited_record("meeting", _("meeting"))
    participant = _cited_record("participant", _("participant"))
    outcome = _cited_record("outcome", _("outcome"))
    decision = _cited_record("decision", _("decision"))
    agreement = _cited_record("agreement", _("agreement"))
    party = _cited_record("party", _("party"))
    event = _cited_record("event", _("event"))
    follow_up = _cited_record("follow_up", _("follow up"))

    objects = CitationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]  # as entered: a record's first citation is the one it began with
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_of(list(CITED_RECORDS)), name="citation_cites_one_record"
            ),
        ]

    def __str__(self):
        return gettext("%(source)s, on %(record)s") % {
            "source": self.source or gettext("No source"),
            "record": self.cited_record,
        }

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(Citation)):
            super().save(*args, **kwargs)
            self.refresh_record()

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(Citation)):
            result = super().delete(*args, **kwargs)
            self.refresh_record()
        return result

    delete.alters_data = True

    @classmethod
    def field_for(cls, model):
        """The field that points to a record of `model` ("membership" for Membership)."""
        return next(
            name for name in CITED_RECORDS if cls._meta.get_field(name).related_model is model
        )

    @property
    def cited_kind(self):
        """The name of the field that points to the cited record ("membership")."""
        return next((name for name in CITED_RECORDS if getattr(self, f"{name}_id")), None)

    @property
    def cited_record(self):
        kind = self.cited_kind
        return getattr(self, kind) if kind else None

    def natural_key(self):
        return (
            self.cited_kind,
            list(self.cited_record.natural_key()),
            self.source.slug if self.source_id else None,
            self.passage,
        )

    natural_key.dependencies = [
        "cooperation.source",
        *(label.lower() for label in CITED_RECORDS.values()),
    ]

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
        """(source id, passage) as the database holds them for this citation."""
        if self._state.adding:
            return (None, "")
        if hasattr(self, "_stored_citation"):
            return self._stored_citation
        # Built rather than read: an earlier version being restored.
        stored = type(self)._base_manager.filter(pk=self.pk).values_list("source_id", "passage")
        return stored.first() or (None, "")

    def quotes_anew(self):
        """Whether the citation is new or its passage or source changed since it was saved."""
        source_id, passage = self.stored_citation()
        if self.source_id != source_id:
            return True
        return _normalize_space(self.passage) != _normalize_space(passage or "")

    def clean(self):
        super().clean()
        errors = {}
        # Only a passage quoted anew is checked: one already saved was checked then, and
        # if the source's text has changed since (in the shell, or before such edits were
        # refused) it must not block edits to the rest of the citation.
        if (
            self.passage
            and self.source_id
            and self.quotes_anew()
            and self.source.text
            and not self.source.contains_passage(self.passage)
        ):
            errors["passage"] = gettext(
                "These words do not occur in “%(source)s”. Quote it exactly."
            ) % {"source": self.source}
        if self.contradicts and not self.states_instead.strip():
            errors["states_instead"] = gettext("Say what the source states instead of the record.")
        if self.states_instead.strip() and not self.contradicts:
            errors["contradicts"] = gettext(
                "Mark the citation as contradicting the record, or leave out what it "
                "states instead."
            )
        if errors:
            raise ValidationError(errors)

    def refresh_record(self):
        """Bring up to date what the cited record derives from its citations: the dates
        a status is attested on."""
        record = self.cited_record
        if isinstance(record, Period):
            type(record).refresh_attestations([record.pk])

    @classmethod
    def refresh_derived(cls, pks):
        """Citations written past save() (loaded, restored): refresh the attestations of
        the statuses and posts they cite."""
        citations = cls._base_manager.filter(pk__in=pks)
        for kind in ("membership", "position"):
            model = cls._meta.get_field(kind).related_model
            model.refresh_attestations(citations.values_list(kind, flat=True))


def with_sources():
    """What a page reads with the records it cites: their citations, each with its
    source (one query for each kind of record)."""
    return Prefetch("citations", queryset=Citation.objects.select_related("source"))


def sources_named(record):
    """The titles of the sources that support `record`, once each, "; "-joined: an
    export's source column. Its citations come prefetched (with_sources)."""
    titles = [c.source.title for c in record.citations.all() if c.source_id and not c.contradicts]
    return "; ".join(dict.fromkeys(titles))


def citations_by_source(cited):
    """Group the citations of (what, record) pairs by source, then by passage.

    Gives [(source, [(passage, [(what, citation), ...])])]: the pages list each source
    once, each passage quoted from it once, with everything it speaks of and whether
    it supports it. The records come with their citations and sources prefetched.
    """
    by_source = {}
    for what, record in cited:
        for citation in record.citations.all():
            if citation.source_id:
                passages = by_source.setdefault(citation.source, {})
                passages.setdefault(citation.passage, []).append((what, citation))
    return [(source, list(passages.items())) for source, passages in by_source.items()]


class Country(Record):
    """An ISO 3166-1 country; the list comes from pycountry, through a migration."""

    code = models.CharField(_("ISO code"), max_length=2, unique=True)
    alpha_3 = models.CharField(_("alpha 3"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(_("official name"), max_length=200, blank=True)
    other_names = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("The names it also goes by in reports, one a line: Russia, U.S."),
    )

    natural_key_fields = ("code",)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name

    def usual_names(self):
        """The names it also goes by, besides its ISO and official names."""
        return [name.strip() for name in self.other_names.splitlines() if name.strip()]


class Topic(Record):
    """A subject shared by meetings and agreements: terrorism, drug trafficking…"""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("slug",)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


class OrganizationKind(models.TextChoices):
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organization")
    PERMANENT_BODY = "permanent_body", _("Permanent body of an organization")
    SECRETARIAT = "secretariat", _("Secretariat")
    NATIONAL_AGENCY = "national_agency", _("National agency")
    MINISTRY = "ministry", _("Ministry")
    GOVERNMENT = "government", _("Government")
    DIPLOMATIC_MISSION = "diplomatic_mission", _("Diplomatic mission")
    NON_GOVERNMENTAL = "non_governmental", _("Non-governmental organization")
    OTHER = "other", _("Other")


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

    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Made from the acronym when blank."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The organization this one belongs to: RATS-SCO belongs to SCO."),
        verbose_name=_("parent"),
    )
    home_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The country it belongs to, if it is national (an agency, a mission)."),
        verbose_name=_("home country"),
    )
    accredited_to = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a diplomatic mission: the country it is accredited to."),
        verbose_name=_("accredited to"),
    )
    seat = models.CharField(
        _("seat"), max_length=100, blank=True, help_text=_("The city it sits in.")
    )
    founded = PartialDateField(_("founded"), blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = OrganizationQuerySet.as_manager()
    natural_key_fields = ("slug",)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
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
                raise ValidationError(
                    {"parent": gettext("An organization cannot sit inside itself.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class OrganizationName(Cited, Record):
    """Another name an organization goes by: a full name, a translation, an old name."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="other_names",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=300)
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("Language, period or usage.")
    )

    natural_key_fields = ("organization__slug", "name")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization name")
        verbose_name_plural = _("organization names")
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
        & (Q(last_attested="") | Q(last_attested_last__lt=day))
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

    start = PartialDateField(_("start"), blank=True)
    end = PartialDateField(
        _("end"), blank=True, help_text=_("The day it ended. Blank: not ended, or unknown.")
    )
    ended = models.BooleanField(
        _("has ended (date unknown)"),
        default=False,
        help_text=_("It is over, but the source does not say when: an unnamed predecessor's term."),
    )
    # Both derived from the citations that support it (refresh_attestations): when the
    # start is unknown, it counts from the first; it is known up to the last.
    attested = PartialDateField(
        _("first attested on"),
        blank=True,
        editable=False,
        help_text=_("The earliest date a supporting citation attests."),
    )
    last_attested = PartialDateField(
        _("last attested on"),
        blank=True,
        editable=False,
        help_text=_("The latest date a supporting citation attests."),
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

    @classmethod
    def refresh_derived(cls, pks):
        """Rows written past save() (restored to an earlier version, loaded): their dates
        attested come from their citations as they are now."""
        super().refresh_derived(pks)
        cls.refresh_attestations(pks)

    @classmethod
    def refresh_attestations(cls, pks):
        """Write the first and last dates on which the supporting citations of the rows
        `pks` attest them (blank when none gives one)."""
        dated = (
            Citation._base_manager.filter(contradicts=False)
            .exclude(attests_on="")
            .filter(**{f"{cls._meta.model_name}__in": pks})
        )
        by_record = defaultdict(list)
        for record_pk, attests_on in dated.values_list(cls._meta.model_name, "attests_on"):
            by_record[record_pk].append(attests_on)
        for pk in set(pks):
            dates = by_record.get(pk, [])
            first = min(dates, key=lambda date: date.first) if dates else None
            last = max(dates, key=lambda date: date.last) if dates else None
            # Derived columns keep no history (the citations do): written past the
            # refusal of bulk updates that RecordQuerySet makes to keep every edit recorded.
            cls._base_manager.filter(pk=pk).update(
                **_partial_date_columns("attested", first),
                **_partial_date_columns("last_attested", last),
            )

    @property
    def last_confirmed(self):
        """The latest date a source confirms this held (its start, or the last date a
        citation attests it, whichever ends later); None when neither is recorded."""
        dates = [date for date in (self.start, self.last_attested) if date]
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
        dates = (self.start, self.end, self.attested, self.last_attested)
        return all(isinstance(d, PartialDate | None) for d in dates)

    def clean(self):
        super().clean()
        if not self.dates_are_valid():
            return
        if self.start and self.end and self.end.last < self.start.first:
            raise ValidationError({"end": gettext("The end comes before the start.")})
        if self.last_attested and self.end and self.end.last <= self.last_attested.first:
            raise ValidationError(
                {"end": gettext("The end comes before the last date a source attests it on.")}
            )

    @property
    def period_display(self):
        start = str(self.start) if self.start else gettext("unknown start")
        if self.end:
            end = str(self.end)
        elif self.ended:
            end = gettext("ended, date unknown")
        else:
            end = "…" if self.start else gettext("no end known")
        if not self.start and not self.end and self.attested:
            dates = {"first": self.attested, "last": self.last_attested}
            if self.last_attested and self.last_attested != self.attested:
                if self.ended:
                    return gettext("attested %(first)s to %(last)s, since ended") % dates
                return gettext("attested %(first)s to %(last)s") % dates
            if self.ended:
                return gettext("attested %(first)s, since ended") % dates
            return gettext("attested %(first)s") % dates
        return f"{start} – {end}"


class MembershipStatus(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    DIALOGUE_PARTNER = "dialogue_partner", _("Dialogue partner")


class Membership(Cited, Period, Record):
    """A country's status in an organization over a period: member, observer…

    To add a status, add a choice to Status (and a migration): the pages count
    and draw every status there is.
    """

    Status = MembershipStatus

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("country"),
    )
    status = models.CharField(_("status"), max_length=30, choices=Status)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = PeriodQuerySet.as_manager()
    natural_key_fields = ("organization__slug", "country__code", "status", "start")

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization", "status", "country__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
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
        return gettext("%(country)s — %(status)s of %(organization)s") % {
            "country": self.country,
            "status": status,
            "organization": self.organization.short_name,
        }

    @property
    def summary(self):
        """What the record states, as a disputed record's page puts it beside what its
        sources state: "Observer, 2005 – …"."""
        return f"{self.get_status_display()}, {self.period_display}"


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
    return gettext(
        "%(country)s cannot be %(status)s (%(period)s) while it is also %(other_status)s "
        "(%(other_period)s) of %(organization)s: give the earlier status an end date."
    ) % {
        "country": one.country,
        "status": one.get_status_display().lower(),
        "period": one.period_display,
        "other_status": other.get_status_display().lower(),
        "other_period": other.period_display,
        "organization": one.organization.short_name,
    }


class Person(Cited, Record):
    honorific = models.CharField(
        _("honorific"), max_length=50, blank=True, help_text=_("H.E., Mr., Dr.…")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Made from the name when blank."),
    )
    other_names = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("Other spellings and forms of the name, one a line."),
    )
    note = models.TextField(_("note"), blank=True)

    natural_key_fields = ("slug",)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.display_name(self.honorific, self.name)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cooperation:person_detail", args=[self.slug])

    @staticmethod
    def display_name(honorific, name):
        return f"{honorific} {name}".strip()


class Position(Cited, Period, Record):
    """A post held in an organization over a period; the holder may be unknown."""

    title = models.CharField(_("title"), max_length=300)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("organization"),
    )
    holder = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        help_text=_("Leave blank when the source does not name the holder."),
        verbose_name=_("holder"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = PeriodQuerySet.as_manager()
    natural_key_fields = ("organization__slug", "title", "holder__slug", "attested")

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization", "title", "start_first", "attested_first"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [*Period.Meta.constraints]

    def __str__(self):
        return f"{self.title}, {self.organization.short_name}: {self.holder_display}"

    @property
    def holder_display(self):
        return str(self.holder) if self.holder else gettext("holder not named")

    @property
    def summary(self):
        """What the record states, beside what its sources state (see Membership)."""
        return f"{self.holder_display}, {self.period_display}"
