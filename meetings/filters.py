import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cooperation.filters import (
    DayRangeWidget,
    FreeTextFilter,
    OnlyItselfFilter,
    OrganizationFilter,
    PersonFilter,
    RollUp,
)
from cooperation.models import Topic
from cooperation.sorting import NullsLastOrderingFilter
from meetings.models import Meeting, Participant

# The meetings list's columns, each of which sorts it: (sort parameter, column heading,
# what it sorts by: a column, or a key meeting_list's queryset annotates, see
# meetings.views.with_results). Participants and what came of it sort by how many.
SORT_COLUMNS = [
    ("date", _("Date"), "date_first"),
    ("title", _("Meeting"), "title"),
    ("place", _("Place"), "place_key"),
    ("participants", _("Participants"), "participant_count"),
    ("topics", _("Topics"), "first_topic"),
    ("outcomes", _("Outcomes"), "outcome_count"),
    ("agreements", _("Agreements moved"), "agreements_moved"),
    ("follow_ups", _("Follow-ups created"), "follow_ups_created"),
]
# Numbers, right-aligned and read as such.
NUMERIC_COLUMNS = {"outcomes", "agreements", "follow_ups"}


class MeetingFilter(django_filters.FilterSet):
    date = django_filters.DateFromToRangeFilter(
        label=_("Between"),
        method="between",
        widget=DayRangeWidget(names=(_("Between, from"), _("Between, until"))),
        help_text=_("Meetings that certainly fell between these days."),
    )
    place = FreeTextFilter(label=_("Place"), method="at_place", help_text=_("City or country."))
    organization = OrganizationFilter(label=_("Organization"), method="with_organization")
    only_itself = OnlyItselfFilter(label=_("Only that organization itself, not its bodies"))
    person = PersonFilter(label=_("Person"), method="with_person")
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        field_name="topics",
        empty_label=_("Any topic"),
    )
    sort = NullsLastOrderingFilter(
        fields=[(key, parameter) for parameter, _heading, key in SORT_COLUMNS],
        field_labels={key: heading for _parameter, heading, key in SORT_COLUMNS},
        # The latest first unless asked otherwise.
        default=["-date_first", "-date_last", "title"],
    )

    class Meta:
        model = Meeting
        fields = []

    # The organization asked for and the bodies the list includes or leaves out, once
    # the list is filtered by an organization: the page says which.
    roll_up = None

    def between(self, queryset, name, value):
        if value.start:
            queryset = queryset.filter(date_first__gte=value.start)
        if value.stop:
            queryset = queryset.filter(date_last__lte=value.stop)
        return queryset

    def at_place(self, queryset, name, value):
        return queryset.filter(
            Q(city__icontains=value)
            | Q(country__name__icontains=value)
            | Q(country__code__iexact=value)
        )

    def with_organization(self, queryset, name, organization):
        """Meetings the organization, or unless "only itself" is ticked any of its bodies,
        took part in."""
        self.roll_up = RollUp.of(organization, self.form.cleaned_data.get("only_itself"))
        participants = Participant.objects.filter(
            meeting=OuterRef("pk"), organization__in=self.roll_up.organizations
        )
        return queryset.filter(Exists(participants))

    def with_person(self, queryset, name, person):
        return queryset.filter(
            Exists(
                Participant.objects.filter(meeting=OuterRef("pk")).filter(
                    Q(person=person) | Q(position__holder=person)
                )
            )
        )
