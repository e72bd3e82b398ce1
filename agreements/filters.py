"""The filters of the MOU follow-up status page; each state of the form is a URL."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef

from agreements.models import Agreement, AgreementParty, EventKind, FollowUp
from cooperation.filters import FreeTextFilter, OrganizationFilter
from cooperation.forms import MAX_WORDS
from cooperation.models import Country, Topic

DEFAULT_STALLED_DAYS = 365


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Rows with nothing to sort by (no events, no due date) go last, whichever the direction.

    `keys` maps a sort field that is not a column to the queryset method that
    annotates it, called (with the filterset's `as_of`) only when the list is sorted by it.
    """

    def __init__(self, *args, keys=None, **kwargs):
        self.keys = keys or {}
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        for param in value or []:
            field = self.param_map.get(param.lstrip("-"))
            if field in self.keys:
                qs = getattr(qs, self.keys[field])(as_of=self.parent.as_of)
        return super().filter(qs, value)

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map[param.lstrip("-")])
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)


class AgreementFilter(django_filters.FilterSet):
    q = FreeTextFilter(
        label="Search",
        max_words=MAX_WORDS,
        method="search",
        help_text="Words in the title or summary, any party's name, or who owes a follow-up.",
    )
    # No DISTINCT: the status is a column of each row, not a join that could repeat it.
    status = django_filters.MultipleChoiceFilter(
        choices=EventKind.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    kind = django_filters.ChoiceFilter(choices=Agreement.Kind.choices, empty_label="Any kind")
    party = OrganizationFilter(label="Party", method="with_party")
    country = django_filters.ModelChoiceFilter(
        label="Party's country",
        # Only countries some party is from: a choice of every country would find nothing
        # for most, and weigh on every page (a select of 249 options).
        queryset=Country.objects.filter(
            Exists(AgreementParty.objects.filter(organization__home_country=OuterRef("pk")))
        ),
        to_field_name="code",
        method="with_party_from",
        empty_label="Any country",
    )
    topic = django_filters.ModelChoiceFilter(
        label="Topic",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        field_name="topics",
        empty_label="Any topic",
    )
    responsible = OrganizationFilter(label="Next step owed by", method="owed_by")
    stalled = django_filters.NumberFilter(
        label="Stalled for more than (days)",
        method="stalled_for",
        min_value=0,
        max_value=36500,
        help_text=f"No activity for more than this many days; {DEFAULT_STALLED_DAYS} marks a row.",
    )
    overdue = django_filters.BooleanFilter(
        label="Has overdue follow-ups",
        method="with_overdue",
        widget=forms.CheckboxInput,
    )
    last_activity = django_filters.DateFromToRangeFilter(
        label="Last activity between",
        field_name="last_activity",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    sort = NullsLastOrderingFilter(
        fields=[
            ("title", "title"),
            ("first_party", "parties"),
            ("status_rank", "status"),
            ("last_activity", "last_activity"),
            ("next_due", "follow_ups"),
        ],
        field_labels={"last_activity": "Last activity", "follow_ups": "Next follow-up due"},
        keys={
            "first_party": "with_first_party",
            "status_rank": "with_status_rank",
            "next_due": "with_next_due",
        },
    )

    class Meta:
        model = Agreement
        fields = []

    def __init__(self, *args, as_of=None, **kwargs):
        self.as_of = as_of
        super().__init__(*args, **kwargs)

    @property
    def today(self):
        return self.as_of or datetime.date.today()

    def search(self, queryset, name, value):
        return queryset.matching(value)

    def with_party(self, queryset, name, organization):
        return queryset.filter(
            Exists(
                AgreementParty.objects.filter(agreement=OuterRef("pk"), organization=organization)
            )
        )

    def with_party_from(self, queryset, name, country):
        return queryset.filter(
            Exists(
                AgreementParty.objects.filter(
                    agreement=OuterRef("pk"), organization__home_country=country
                )
            )
        )

    def owed_by(self, queryset, name, organization):
        owed = FollowUp.objects.open(as_of=self.as_of).owed_by(organization)
        return queryset.filter(Exists(owed.filter(agreement=OuterRef("pk"))))

    def stalled_for(self, queryset, name, days):
        return queryset.stalled(days=int(days), today=self.today)

    def with_overdue(self, queryset, name, value):
        # A checkbox: ticked narrows to agreements with overdue follow-ups, unticked does nothing.
        if not value:
            return queryset
        overdue = FollowUp.objects.overdue(today=self.as_of).filter(agreement=OuterRef("pk"))
        owed_by = self.form.cleaned_data.get("responsible")
        if owed_by:
            # With "Next step owed by": overdue follow-ups owed by that organization.
            overdue = overdue.owed_by(owed_by)
        return queryset.filter(Exists(overdue))
