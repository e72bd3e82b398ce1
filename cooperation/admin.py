from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

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

admin.site.site_header = "Cooperation Tracker"
admin.site.site_title = "Cooperation Tracker"
admin.site.index_title = "Records"

CITATION = ("Source", {"fields": ["source", "passage"]})


class CitedInline:
    """Inline rows that cite a source: the source is picked by search, the passage kept short."""

    autocomplete_fields = ["source"]
    # A passage is a sentence or two; a full-height textarea on every row buries the form.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}
    }


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "alpha_3", "official_name"]
    search_fields = ["name", "code", "alpha_3", "official_name"]
    ordering = ["name"]

    def has_add_permission(self, request):
        # The ISO 3166-1 list comes from pycountry through a migration.
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
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
class OrganizationAdmin(admin.ModelAdmin):
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


class MembershipForm(forms.ModelForm):
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
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        proposed = Membership(
            pk=self.instance.pk,
            **{
                name: cleaned.get(name)
                for name in (
                    "organization",
                    "country",
                    "status",
                    "start",
                    "end",
                    "ended",
                    "attested",
                )
            },
        )
        recorded = Membership.objects.filter(
            organization=proposed.organization, country=proposed.country
        ).exclude(pk=self.instance.pk)
        overlap = first_overlap([proposed, *recorded])
        if overlap:
            raise ValidationError(overlap_message(*overlap))
        return cleaned


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["country", "status", "organization", "start", "end", "attested"]
    list_filter = ["status", "organization"]
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
class PersonAdmin(admin.ModelAdmin):
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
class PositionAdmin(admin.ModelAdmin):
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

    @admin.display(description="holder", ordering="holder__name")
    def holder_display(self, position):
        return position.holder_display
