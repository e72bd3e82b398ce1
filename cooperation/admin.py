import copy

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin, AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import InlineForeignKeyField, construct_instance
from django.urls import reverse
from django.utils.html import format_html

from cooperation.admin_base import RecordAdmin, RecordForm, RecordInline
from cooperation.models import (
    Country,
    Membership,
    Organization,
    OrganizationName,
    Person,
    Position,
    Source,
    Topic,
    first_overlap,
    overlap_message,
)
from cooperation.partial_dates import PartialDateField

admin.site.site_header = "Cooperation Tracker"
admin.site.site_title = "Cooperation Tracker"
admin.site.index_title = "Records"
# The pages are forms with wide rows of participants and memberships: they need the room
# more than a second list of the models, which the breadcrumbs and the home page give.
admin.site.enable_nav_sidebar = False

CITATION = ("Source", {"fields": ["source", "passage"]})

# A partial date is ten characters at most: the admin would give it a 20em box, like any
# text, and drop the placeholder that shows the format.
DATE_INPUT = forms.TextInput(attrs={"size": 10, "placeholder": "YYYY-MM-DD"})
# Titles and names run to a line of text: a box as wide as the form shows them whole.
WIDE_INPUT = forms.TextInput(attrs={"class": "vLargeTextField"})


class EntryForms:
    """What the form of every record shares: partial dates typed in short boxes, long
    titles in wide ones. A mixin, before the ModelAdmin base."""

    formfield_overrides = {
        PartialDateField: {"widget": DATE_INPUT},
        # A link typed without its scheme is taken as https, as Django 6 will.
        models.URLField: {"assume_scheme": "https"},
    }
    wide_fields = ["title", "name", "action"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.wide_fields:
            kwargs.setdefault("widget", WIDE_INPUT)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class RowSearchBox(AutocompleteSelect):
    """A row's search box, which names the record the saved row holds without asking
    the database for it again.

    Django's box looks its choice up each time it is drawn: on the page of a meeting,
    four queries for each participant. The row's form hands the box the record its row
    already read (`chosen`; CitedInline reads them with the rows), and while that is
    still the choice the box names it from there.
    """

    chosen = None

    def optgroups(self, name, value, attr=None):
        chosen = self.chosen
        key = None if chosen is None else getattr(chosen, self.field.target_field.attname)
        if [str(v) for v in value if v not in self.choices.field.empty_values] != [str(key)]:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(chosen)
        options.append(self.create_option(name, key, label, True, len(options)))
        return [(None, options, 0)]


class CitedRowForm(RecordForm):
    """A row on a record's page that quotes, by default, the source the record cites.

    A report is entered on one page: the meeting cites it, and so do most of its rows.
    A row with a passage and no source of its own quotes the page's source.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            box = getattr(field.widget, "widget", field.widget)  # inside the +/edit links
            if isinstance(box, RowSearchBox):
                box.chosen = getattr(self.instance, name)

    def page_record(self):
        """The record whose page this row is on, saved or not."""
        for field in self.fields.values():
            if isinstance(field, InlineForeignKeyField):
                return field.parent_instance
        return None

    def clean(self):
        cleaned = super().clean()
        if "source" in self.fields and cleaned.get("passage") and not cleaned.get("source"):
            record = self.page_record()
            if record is not None and getattr(record, "source", None) is not None:
                cleaned["source"] = record.source
        return cleaned


class CitedInline(RecordInline):
    """Inline rows that cite a source: the source is picked by search, the passage kept short."""

    form = CitedRowForm
    autocomplete_fields = ["source"]
    # Text boxes as wide as the form, and search boxes wider than the others: two MOUs
    # between the same parties differ only at the end of their titles.
    wide_fields = []
    search_box_widths = {}
    # A passage is a sentence or two; a full-height textarea on every row buries the form.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})},
        PartialDateField: {"widget": DATE_INPUT},
    }
    # Read with the rows, besides the records their search boxes name and the record
    # whose page they are on: what those records' names need (a post is named with its
    # organization and holder).
    rows_select_related = []

    def get_queryset(self, request):
        to_page = [
            field.name
            for field in self.model._meta.concrete_fields
            if field.related_model is self.parent_model and self.fk_name in (None, field.name)
        ]
        boxes = [
            name
            for name in self.get_autocomplete_fields(request)
            if self.model._meta.get_field(name).many_to_one
        ]
        related = [*boxes, *to_page, *self.rows_select_related]
        return super().get_queryset(request).select_related(*related)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.wide_fields:
            kwargs.setdefault("widget", WIDE_INPUT)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source":
            kwargs["help_text"] = "Blank, with a passage: the source of the record above."
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = RowSearchBox(db_field, self.admin_site, using=kwargs.get("using"))
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if isinstance(formfield.widget, AutocompleteMixin):
            # Select2 boxes are 20em wide; six of them in a row run off the screen.
            width = "14em" if isinstance(self, admin.TabularInline) else None
            width = self.search_box_widths.get(db_field.name, width)
            if width:
                formfield.widget.attrs["data-width"] = width
        return formfield


@admin.register(Country)
class CountryAdmin(EntryForms, RecordAdmin):
    list_display = ["name", "code", "alpha_3", "official_name"]
    search_fields = ["name", "code", "alpha_3", "official_name"]
    ordering = ["name"]

    def has_add_permission(self, request):
        # The ISO 3166-1 list comes from pycountry through a migration.
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Topic)
class TopicAdmin(EntryForms, RecordAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class SourceForm(RecordForm):
    """A source's form: refuses a new text that would leave out passages that records quote."""

    def clean_text(self):
        text = self.cleaned_data["text"]
        if self.instance.pk is None:
            return text  # a new source: nothing quotes it yet
        # Compared with the text as stored, not as this form's record holds it: restoring
        # an earlier version starts from that version's text.
        stored = Source._base_manager.filter(pk=self.instance.pk).first()
        if stored is not None and stored.text != text:
            lost = stored.citations_lost_by(text)
            if lost:
                raise ValidationError(
                    [
                        "With this text, the passages that these records quote would no "
                        "longer occur in it:",
                        *(record_link(record) for record in lost),
                        "Keep their words in the text, or change their passages first.",
                    ]
                )
        return text


def record_link(record):
    """A record named, with the page it is a row of, and linked to where it is edited."""
    name = f"{record._meta.verbose_name} “{record}”"
    page = page_of(record)
    if page is not None:
        name += f" of {page._meta.verbose_name} “{page}”"
    edited_on = record if admin.site.is_registered(type(record)) else page
    if edited_on is None:
        return name
    opts = edited_on._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[edited_on.pk])
    return format_html('<a href="{}">{}</a>', url, name)


def page_of(record):
    """The record on whose admin page `record` is one of the rows (an inline), if any."""
    for field in record._meta.concrete_fields:
        if field.many_to_one and admin.site.is_registered(field.related_model):
            inlines = admin.site.get_model_admin(field.related_model).inlines
            if any(
                inline.model is type(record) and inline.fk_name in (None, field.name)
                for inline in inlines
            ):
                page = getattr(record, field.name)
                if page is not None:
                    return page
    return None


@admin.register(Source)
class SourceAdmin(EntryForms, RecordAdmin):
    form = SourceForm
    list_display = ["title", "publisher", "date"]
    search_fields = ["title", "publisher", "text"]
    ordering = ["-date_first", "title"]
    prepopulated_fields = {"slug": ["title"]}


class OrganizationNameInline(CitedInline, admin.TabularInline):
    model = OrganizationName
    extra = 1


class MembershipFormSet(forms.BaseInlineFormSet):
    """Checks that no country holds two statuses at once, across the rows being saved."""

    def clean(self):
        super().clean()
        kept = [
            form.instance
            for form in self.forms
            if form.is_valid()
            and (form.instance.pk or form.has_changed())
            and not self._should_delete_form(form)
            and form.instance.country_id
            and form.instance.dates_are_valid()
        ]
        overlap = first_overlap(kept)
        if overlap:
            raise ValidationError(overlap_message(*overlap))


class MembershipInline(CitedInline, admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 1
    autocomplete_fields = ["country", "source"]
    fields = ["country", "status", "start", "end", "ended", "attested", "note", "source", "passage"]
    ordering = ["status", "country__name"]


@admin.register(Organization)
class OrganizationAdmin(EntryForms, RecordAdmin):
    list_display = ["name", "acronym", "kind", "parent", "home_country", "seat", "founded"]
    list_filter = ["kind"]
    list_select_related = ["parent", "home_country"]
    search_fields = ["name", "acronym", "other_names__name"]
    autocomplete_fields = ["parent", "home_country", "accredited_to", "source"]
    prepopulated_fields = {"slug": ["acronym"]}
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "kind", "parent"]}),
        ("Where", {"fields": ["home_country", "accredited_to", "seat", "founded"]}),
        (None, {"fields": ["description"]}),
        CITATION,
    ]
    inlines = [OrganizationNameInline, MembershipInline]


class MembershipForm(RecordForm):
    class Meta:
        model = Membership
        fields = [
            "organization",
            "country",
            "status",
            "start",
            "end",
            "ended",
            "attested",
            "note",
            "source",
            "passage",
            "version",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # The membership as it would be saved, without touching the instance yet.
        proposed = construct_instance(self, copy.copy(self.instance))
        recorded = Membership.objects.filter(
            organization=proposed.organization, country=proposed.country
        ).exclude(pk=self.instance.pk)
        overlap = first_overlap([proposed, *recorded])
        if overlap:
            raise ValidationError(overlap_message(*overlap))
        return cleaned


@admin.register(Membership)
class MembershipAdmin(EntryForms, RecordAdmin):
    form = MembershipForm
    list_display = ["country", "status", "organization", "start", "end", "attested"]
    # By the organization's kind, not the organization: the list of those grows long;
    # the search box finds one organization's memberships.
    list_filter = ["status", "organization__kind"]
    list_select_related = ["country", "organization"]
    search_fields = ["country__name", "organization__name", "organization__acronym"]
    autocomplete_fields = ["organization", "country", "source"]
    ordering = ["organization__name", "status", "country__name"]
    fieldsets = [
        (None, {"fields": ["organization", "country", "status"]}),
        ("When", {"fields": ["start", "end", "ended", "attested", "note"]}),
        CITATION,
    ]


class PositionInline(CitedInline, admin.TabularInline):
    model = Position
    fk_name = "holder"
    extra = 1
    autocomplete_fields = ["organization", "source"]
    fields = [
        "title",
        "organization",
        "start",
        "end",
        "ended",
        "attested",
        "note",
        "source",
        "passage",
    ]


@admin.register(Person)
class PersonAdmin(EntryForms, RecordAdmin):
    list_display = ["name", "honorific", "other_names"]
    search_fields = ["name", "other_names", "positions__title"]
    autocomplete_fields = ["source"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["honorific", "name", "slug", "other_names", "note"]}),
        CITATION,
    ]
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(EntryForms, RecordAdmin):
    list_display = ["title", "organization", "holder_display", "start", "end", "attested"]
    list_select_related = ["organization", "holder"]
    list_filter = ["organization__kind"]
    search_fields = [
        "title",
        "holder__name",
        "holder__other_names",
        "organization__name",
        "organization__acronym",
    ]
    autocomplete_fields = ["organization", "holder", "source"]
    ordering = ["organization__name", "title", "start_first"]
    fieldsets = [
        (None, {"fields": ["title", "organization", "holder"]}),
        ("When", {"fields": ["start", "end", "ended", "attested", "note"]}),
        CITATION,
    ]

    def get_queryset(self, request):
        # Also what the search box of a participant's post lists, naming each post's holder.
        return super().get_queryset(request).select_related("organization", "holder")

    @admin.display(description="holder", ordering="holder__name")
    def holder_display(self, position):
        return position.holder_display
