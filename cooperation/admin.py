import copy

from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import construct_instance
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperation import source_files
from cooperation.admin_base import (
    CitationInline,
    CitedInline,
    EntryForms,
    LookupsThatFit,
    RecordAdmin,
    RecordForm,
    RowsFormSet,
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
admin.site.index_title = _("Records")
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
                        gettext(
                            "With this text, the passages that these records quote would no "
                            "longer occur in it:"
                        ),
                        *(record_link(record) for record in lost),
                        gettext("Keep their words in the text, or change their passages first."),
                    ]
                )
        return text


def record_link(record):
    """A record named, with the page it is a row of, and linked to where it is edited."""
    page = page_of(record)
    if page is None:
        # Translators: a record named: its kind, then its name ("meeting “Astana summit”").
        name = gettext("%(kind)s “%(record)s”") % {
            "kind": record._meta.verbose_name,
            "record": record,
        }
    else:
        # Translators: a row named with the record whose page it is on.
        name = gettext("%(kind)s “%(record)s” of %(page_kind)s “%(page)s”") % {
            "kind": record._meta.verbose_name,
            "record": record,
            "page_kind": page._meta.verbose_name,
            "page": page,
        }
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


class DownloadLink:
    """A file kept, as a file box names it: its name, and the address that downloads it."""

    def __init__(self, url, name):
        self.url, self.name = url, name

    def __str__(self):
        return self.name


class KeptFileInput(AdminFileWidget):
    """A source's file box. It links the file kept to the site's download of it
    (views.source_file), which checks who asks, and not to the storage's own address."""

    download_url = None  # set by the form of a source already saved

    def is_initial(self, value):
        return bool(value) and self.download_url is not None

    def format_value(self, value):
        if not self.is_initial(value):
            return None
        return DownloadLink(self.download_url, value.name.rsplit("/", 1)[-1])


class SourceWithFileForm(SourceForm):
    """A source's form with its original file. The text is taken from a file uploaded,
    unless the person typed a text in the same save; either way, a text that would leave
    out a quoted passage is refused (SourceForm.clean_text)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.text_from_file = None
        if "file" in self.fields:
            at_most = gettext("At most %(size)s.") % {"size": filesizeformat(source_files.MAX_SIZE)}
            self.fields["file"].help_text = f"{self.fields['file'].help_text} {at_most}"
            widget = self.fields["file"].widget
            if isinstance(widget, KeptFileInput) and self.instance.pk is not None:
                widget.download_url = reverse("source_file", args=[self.instance.pk])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if isinstance(upload, UploadedFile):  # not the file kept, nor a cleared box
            self.text_from_file = source_files.text_of(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.text_from_file is not None and "text" in cleaned and not self.text_typed():
            cleaned["text"] = self.text_from_file
            try:
                self.clean_text()  # as for a text typed in
            except ValidationError as refusal:
                self.add_error("file", [gettext("The text of this file was not taken."), *refusal])
        return cleaned

    def text_typed(self):
        """Whether the person changed the text box in this save. Compared word for word:
        a browser sends line breaks as CRLF, which a text loaded from a fixture has not."""
        sent, shown = self["text"].data or "", self["text"].initial or ""
        return sent.split() != shown.split()


@admin.register(Source)
class SourceAdmin(EntryForms, RecordAdmin):
    form = SourceWithFileForm
    list_display = ["title", "publisher", "date"]
    search_fields = ["title", "publisher", "text"]
    ordering = ["-date_first", "title"]
    prepopulated_fields = {"slug": ["title"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "file":
            kwargs["widget"] = KeptFileInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name != "original_file"]
        if self.reads_only(request, obj):
            # Read only (analysts): the file as a link to the site's download of it.
            return ["original_file" if name == "file" else name for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "original_file"] if self.reads_only(request, obj) else readonly

    def reads_only(self, request, obj):
        return obj is not None and not self.has_change_permission(request, obj)

    def get_list_display(self, request):
        # Staff record what a source says from its reading page; analysts may not open it.
        if self.has_change_permission(request):
            return [*self.list_display, "reading_link"]
        return self.list_display

    @admin.display(description=_("read and record"))
    def reading_link(self, source):
        url = reverse("reading:source_reading", args=[source.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Read"))

    @admin.display(description=_("original file"))
    def original_file(self, source):
        if not source.file:
            return self.get_empty_value_display()
        url = reverse("source_file", args=[source.pk])
        return format_html('<a href="{}">{}</a>', url, source.file_name)


class OrganizationNameInline(CitedInline, admin.TabularInline):
    model = OrganizationName
    extra = 1


class MembershipFormSet(RowsFormSet):
    """Checks that no country holds two statuses at once, across the rows being saved,
    and says so on both rows."""

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.is_valid()
            and (form.instance.pk or form.has_changed())
            and not self._should_delete_form(form)
            and form.instance.country_id
            and form.instance.dates_are_valid()
        ]
        overlap = first_overlap([form.instance for form in kept])
        if overlap:
            both = [form for form in kept if form.instance in overlap]
            self.refuse_rows(both, overlap_message(*overlap))


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
        (_("Where"), {"fields": ["home_country", "accredited_to", "seat", "founded"]}),
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
        (_("When"), {"fields": ["start", "end", "ended", "note", ("attested", "last_attested")]}),
    ]
    readonly_fields = ["attested", "last_attested"]
    inlines = [CitationInline]

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" not in request.POST or response.status_code != 302:
            return response
        # The next membership is most often of the same organization, read in the same
        # report: the add page that follows starts with both (its citations read
        # `source` from the address). Keys are numbers: nothing to escape.
        keep = {"organization": obj.organization_id}
        first = obj.citations.first()
        if first is not None and first.source_id is not None:
            keep["source"] = first.source_id
        query = "&".join(f"{name}={key}" for name, key in keep.items())
        location = response["Location"]
        response["Location"] = f"{location}{'&' if '?' in location else '?'}{query}"
        return response


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
        (_("When"), {"fields": ["start", "end", "ended", "note", ("attested", "last_attested")]}),
    ]
    readonly_fields = ["attested", "last_attested"]
    inlines = [CitationInline]

    def get_queryset(self, request):
        # Also what the search box of a participant's post lists, naming each post's holder.
        return super().get_queryset(request).select_related("organization", "holder")

    @admin.display(description=_("holder"), ordering="holder__name")
    def holder_display(self, position):
        return position.holder_display
