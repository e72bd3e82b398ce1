import django_filters
from django.db.models import Exists, OuterRef, Q

from cooperation.filters import (
    DayRangeWidget,
    FreeTextFilter,
    OnlyItselfFilter,
    OrganizationFilter,
    PersonFilter,
    RollUp,
)
from cooperation.models import Topic
from meetings.models import Meeting, Participant


class MeetingFilter(django_filters.FilterSet):
    date = django_filters.DateFromToRangeFilter(
        label="Between",
        method="between",
        widget=DayRangeWidget(names=("Between, from", "Between, until")),
        help_text="Meetings that certainly fell between these days.",
    )
    place = FreeTextFilter(label="Place", method="at_place", help_text="City or country.")
    organization = OrganizationFilter(label="Organization", method="with_organization")
    only_itself = OnlyItselfFilter(label="Only that organization itself, not its bodies")
    person = PersonFilter(label="Person", method="with_person")
    topic = django_filters.ModelChoiceFilter(
        label="Topic",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        field_name="topics",
        empty_label="Any topic",
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
