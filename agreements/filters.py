"""The filters of the MOU follow-up status page; each state of the form is a URL."""

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Trim
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementParty, EventKind, FollowUp
from cooperation.accounts import name_of
from cooperation.filters import (
    DayRangeWidget,
    FreeTextFilter,
    OnlyItselfFilter,
    OrganizationFilter,
    RollUp,
)
from cooperation.forms import AS_OF_FIELD, MAX_WORDS
from cooperation.models import Country, Topic
from cooperation.roles import may_use_site
from cooperation.sorting import NullsLastOrderingFilter

DEFAULT_STALLED_DAYS = 365
# The status page's columns, each of which sorts the list: (sort parameter, column
# heading, what it sorts by: a column, or a key AgreementFilter.filter_queryset annotates).
SORT_COLUMNS = [
    ("title", _("Agreement"), "title"),
    ("parties", _("Parties"), "first_party"),
    ("status", _("Status"), "status_rank"),
    ("last_activity", _("Last activity (days ago)"), "last_activity"),
    ("follow_ups", _("Open follow-ups, who owes them, when due"), "next_due"),
    ("desk_officer", _("Desk officer"), "desk_officer_name"),
]
# `?desk_officer=me`: the account asking; `?desk_officer=none`: no desk officer yet.
MINE, NOBODY = "me", "none"


def account_name(prefix=""):
    """An account's name as pages show it (its full name, else its username), lower case:
    what a list of accounts, or of records by their account at `prefix`, is sorted by."""
    full_name = Trim(Concat(f"{prefix}first_name", Value(" "), f"{prefix}last_name"))
    return Lower(Coalesce(NullIf(full_name, Value("")), f"{prefix}username"))


def desk_officers():
    """The accounts a record's desk officer is chosen from, by name: those that may use the
    site (active analysts, embassy staff, administrators: `may_use_site`), and any that is
    a desk officer now though it no longer may, so that its records can still be found and
    their forms keep it until someone takes over."""
    may_use = may_use_site()
    tracking = Exists(Agreement.objects.filter(desk_officer=OuterRef("pk"))) | Exists(
        FollowUp.objects.filter(desk_officer=OuterRef("pk"))
    )
    return (
        get_user_model()
        .objects.filter(may_use | tracking)
        .annotate(may_use_site=ExpressionWrapper(may_use, output_field=BooleanField()))
        .order_by(account_name(), "pk")
    )


def account_label(account):
    """An account as a choice names it: by its full name, else its username, and said
    when it may no longer use the site."""
    name = name_of(account)
    if getattr(account, "may_use_site", True):
        return name
    return gettext("%(name)s (may no longer use the site)") % {"name": name}


def stalled_help():
    return gettext("No activity for more than this many days; %(days)d marks a row.") % {
        "days": DEFAULT_STALLED_DAYS
    }


class AsOfFilter(django_filters.DateFilter):
    """`?as_of=`: narrows nothing itself; the whole list is read as of that day."""

    def filter(self, qs, value):
        return qs


class AgreementFilter(django_filters.FilterSet):
    q = FreeTextFilter(
        label=_("Search"),
        max_words=MAX_WORDS,
        method="search",
        help_text=_("Words in the title or summary, any party's name, or who owes a follow-up."),
    )
    # No DISTINCT: the status is a column of each row, not a join that could repeat it.
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=EventKind.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Agreement.Kind.choices, empty_label=_("Any kind")
    )
    party = OrganizationFilter(label=_("Party"), method="with_party")
    only_itself = OnlyItselfFilter(label=_("Only that party itself, not its bodies"))
    country = django_filters.ModelChoiceFilter(
        label=_("Party's country"),
        # Only countries some party is from: a choice of every country would find nothing
        # for most, and weigh on every page (a select of 249 options).
        queryset=Country.objects.filter(
            Exists(AgreementParty.objects.filter(organization__home_country=OuterRef("pk")))
        ),
        to_field_name="code",
        method="with_party_from",
        empty_label=_("Any country"),
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        field_name="topics",
        empty_label=_("Any topic"),
    )
    responsible = OrganizationFilter(label=_("Next step owed by"), method="owed_by")
    stalled = django_filters.NumberFilter(
        label=_("Stalled for more than (days)"),
        method="stalled_for",
        min_value=0,
        max_value=36500,
        help_text=lazy(stalled_help, str)(),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Has overdue follow-ups"),
        method="with_overdue",
        widget=forms.CheckboxInput,
    )
    # Its choices are read once the form needs them (AgreementFilter.desk_officer_choices):
    # not for an export that does not filter by it.
    desk_officer = django_filters.ChoiceFilter(
        label=_("Desk officer"),
        method="on_the_desk_of",
        empty_label=_("Anyone or no one"),
        help_text=_("Agreements the account tracks, or with an open follow-up it tracks."),
    )
    last_activity = django_filters.DateFromToRangeFilter(
        label=_("Last activity between"),
        field_name="last_activity",
        widget=DayRangeWidget(names=(_("Last activity from"), _("Last activity until"))),
    )
    sort = NullsLastOrderingFilter(
        fields=[(key, parameter) for parameter, _, key in SORT_COLUMNS],
        field_labels={key: heading for _, heading, key in SORT_COLUMNS},
        default=["title"],
    )
    as_of = AsOfFilter(**AS_OF_FIELD)

    class Meta:
        model = Agreement
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # A function, which the form's copies of the field share (a bound method would be
        # copied with this filter set, and its request).
        self.filters["desk_officer"].extra["choices"] = lambda: self.desk_officer_choices()

    @cached_property
    def desk_officer_accounts(self):
        return {str(account.pk): account for account in desk_officers()}

    def desk_officer_choices(self):
        """Mine, nobody's, then each account that may be a desk officer: one query, read
        when the form is drawn or asked about an account, not otherwise."""
        return [
            (MINE, _("Mine")),
            (NOBODY, _("No desk officer")),
            *((pk, account_label(account)) for pk, account in self.desk_officer_accounts.items()),
        ]

    # The party asked for and the bodies the list includes or leaves out, once the list
    # is filtered by a party: the page says which.
    roll_up = None

    # Read once the form is valid: the day the list is read as of (None: now), the
    # day "days ago", stalled and overdue count from, and the days that mark a row stalled.

    @property
    def as_of_day(self):
        return self.form.cleaned_data["as_of"]

    @cached_property
    def today(self):
        return self.as_of_day or datetime.date.today()

    @property
    def stalled_days(self):
        return int(self.form.cleaned_data.get("stalled") or DEFAULT_STALLED_DAYS)

    def filter_queryset(self, queryset):
        """The list as of one day, filtered, with the key it is sorted by if not a column."""
        queryset = queryset.with_status(self.as_of_day)
        sorted_by = {parameter.lstrip("-") for parameter in self.form.cleaned_data["sort"] or []}
        if "parties" in sorted_by:
            queryset = queryset.with_first_party()
        if "status" in sorted_by:
            queryset = queryset.with_status_rank()
        if "follow_ups" in sorted_by:
            queryset = queryset.with_next_due(as_of=self.as_of_day)
        if "desk_officer" in sorted_by:
            queryset = queryset.alias(desk_officer_name=account_name("desk_officer__"))
        return super().filter_queryset(queryset)

    def search(self, queryset, name, value):
        return queryset.matching(value)

    def with_party(self, queryset, name, organization):
        """Agreements of the party, or of any of its bodies unless "only itself" is ticked."""
        self.roll_up = RollUp.of(organization, self.form.cleaned_data.get("only_itself"))
        parties = AgreementParty.objects.filter(
            agreement=OuterRef("pk"), organization__in=self.roll_up.organizations
        )
        return queryset.filter(Exists(parties))

    def with_party_from(self, queryset, name, country):
        return queryset.filter(
            Exists(
                AgreementParty.objects.filter(
                    agreement=OuterRef("pk"), organization__home_country=country
                )
            )
        )

    def owed_by(self, queryset, name, organization):
        owed = FollowUp.objects.open(as_of=self.as_of_day).owed_by(organization)
        return queryset.filter(Exists(owed.filter(agreement=OuterRef("pk"))))

    def stalled_for(self, queryset, name, days):
        return queryset.stalled(days=int(days), today=self.today)

    def with_overdue(self, queryset, name, value):
        # A checkbox: ticked narrows to agreements with overdue follow-ups, unticked does nothing.
        if not value:
            return queryset
        overdue = FollowUp.objects.overdue(today=self.as_of_day).filter(agreement=OuterRef("pk"))
        owed_by = self.form.cleaned_data.get("responsible")
        if owed_by:
            # With "Next step owed by": overdue follow-ups owed by that organization.
            overdue = overdue.owed_by(owed_by)
        return queryset.filter(Exists(overdue))

    def on_the_desk_of(self, queryset, name, value):
        """Agreements the desk officer tracks, or with an open follow-up they track (as on
        their desk); `none`: agreements no one tracks, though a follow-up may be tracked."""
        if value == NOBODY:
            return queryset.filter(desk_officer=None)
        if value == MINE:
            account = getattr(self.request, "user", None)
            if account is None or not account.is_authenticated:
                return queryset.none()
        else:
            account = self.desk_officer_accounts[value]
        tracked = FollowUp.objects.open(as_of=self.as_of_day).filter(
            agreement=OuterRef("pk"), desk_officer=account
        )
        return queryset.filter(Q(desk_officer=account) | Exists(tracked))
