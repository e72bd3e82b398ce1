import copy

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.urls import reverse
from django.utils.html import format_html

from cooperation.admin_base import (
    CitationInline,
    CitedInline,
    EntryForms,
    LookupsThatFit,
    RecordAdmin,
    RecordForm,
)
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

# The lists of other apps' records (accounts, groups, login attempts) refuse the same
# filters the database could not run as the records' lists do (LookupsThatFit).
for model, model_admin in list(admin.site._registry.items()):
    if not isinstance(model_admin, LookupsThatFit):
        admin.site.unregister(model)
        admin.site.register(
            model, type(type(model_admin).__name__, (LookupsThatFit, type(model_admin)), {})
        )

admin.site.site_header = "Cooperation Tracker"
admin.site.site_title = "Cooperation Tracker"
admin.site.index_title = "Records"
# The pages are forms with wide rows of participants and memberships: they need the room
# more than a second list of the models, which the breadcrumbs and the home page give.
admin.site.enable_nav_sidebar = False


@admin.register(Country)
class CountryAdmin(EntryForms, RecordAdmin):
    list_display = ["name", "code", "alpha_3", "official_name"]
    search_fields = ["name", "code", "alpha_3", "official_name", "other_names"]
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
    autocomplete_fields = ["country"]
    fields = [
        "country",
        "status",
        "start",
        "end",
        "ended",
        "note",
        "source",
        "passage",
        "attests_on",
    ]
    ordering = ["status", "country__name"]


@admin.register(Organization)
class OrganizationAdmin(EntryForms, RecordAdmin):
    list_display = ["name", "acronym", "kind", "parent", "home_country", "seat", "founded"]
    list_filter = ["kind"]
    list_select_related = ["parent", "home_country"]
    search_fields = ["name", "acronym", "other_names__name"]
    autocomplete_fields = ["parent", "home_country", "accredited_to"]
    prepopulated_fields = {"slug": ["acronym"]}
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "kind", "parent"]}),
        ("Where", {"fields": ["home_country", "accredited_to", "seat", "founded"]}),
        (None, {"fields": ["description"]}),
    ]
    inlines = [CitationInline, OrganizationNameInline, MembershipInline]


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
            "note",
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


@admin.register(OrganizationName)
class OrganizationNameAdmin(EntryForms, RecordAdmin):
    """Another name, on its own page: there it cites as many sources as it has (a row on
    the organization's page edits its first)."""

    list_display = ["name", "organization", "note"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name", "organization__acronym"]
    autocomplete_fields = ["organization"]
    ordering = ["organization__name", "name"]
    inlines = [CitationInline]


@admin.register(Membership)
class MembershipAdmin(EntryForms, RecordAdmin):
    form = MembershipForm
    list_display = ["country", "status", "organization", "start", "end", "attested"]
    # By the organization's kind, not the organization: the list of those grows long;
    # the search box finds one organization's memberships.
    list_filter = ["status", "organization__kind"]
    list_select_related = ["country", "organization"]
    search_fields = ["country__name", "organization__name", "organization__acronym"]
    autocomplete_fields = ["organization", "country"]
    ordering = ["organization__name", "status", "country__name"]
    fieldsets = [
        (None, {"fields": ["organization", "country", "status"]}),
        ("When", {"fields": ["start", "end", "ended", "note", ("attested", "last_attested")]}),
    ]
    readonly_fields = ["attested", "last_attested"]
    inlines = [CitationInline]


class PositionInline(CitedInline, admin.TabularInline):
    model = Position
    fk_name = "holder"
    extra = 1
    autocomplete_fields = ["organization"]
    fields = [
        "title",
        "organization",
        "start",
        "end",
        "ended",
        "note",
        "source",
        "passage",
        "attests_on",
    ]


@admin.register(Person)
class PersonAdmin(EntryForms, RecordAdmin):
    list_display = ["name", "honorific", "other_names"]
    search_fields = ["name", "other_names", "positions__title"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["honorific", "name", "slug", "other_names", "note"]}),
    ]
    inlines = [CitationInline, PositionInline]


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
    autocomplete_fields = ["organization", "holder"]
    ordering = ["organization__name", "title", "start_first"]
    fieldsets = [
        (None, {"fields": ["title", "organization", "holder"]}),
        ("When", {"fields": ["start", "end", "ended", "note", ("attested", "last_attested")]}),
    ]
    readonly_fields = ["attested", "last_attested"]
    inlines = [CitationInline]

    def get_queryset(self, request):
        # Also what the search box of a participant's post lists, naming each post's holder.
        return super().get_queryset(request).select_related("organization", "holder")

    @admin.display(description="holder", ordering="holder__name")
    def holder_display(self, position):
        return position.holder_display
