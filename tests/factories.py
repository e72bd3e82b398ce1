"""Test data built in code: one factory a model, with plain, readable defaults."""

from importlib import import_module

import factory
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from agreements.models import Agreement, AgreementEvent, AgreementParty, FollowUp
from cooperation.models import (
    Citation,
    Country,
    Membership,
    Organization,
    OrganizationName,
    Person,
    Position,
    Source,
    Topic,
)
from cooperation.roles import ANALYSTS, EMBASSY_STAFF
from meetings.models import Decision, Meeting, Outcome, Participant


def country(code):
    """Countries come from the ISO migration; tests look them up rather than make them."""
    ensure_countries()
    return Country.objects.get(code=code)


def ensure_countries():
    """Put the ISO countries back if a transactional test flushed them with the rest."""
    if not Country.objects.exists():
        migration = import_module("cooperation.migrations.0002_countries")
        migration.load_countries(django_apps, schema_editor=None)
        usual_names = import_module("cooperation.migrations.0009_country_other_names")
        usual_names.add_usual_names(django_apps, schema_editor=None)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")
    is_staff = True

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(Group.objects.get(name=extracted))


def analyst(**kwargs):
    return UserFactory(username="analyst", role=ANALYSTS, **kwargs)


def staff(**kwargs):
    return UserFactory(username="staff", role=EMBASSY_STAFF, **kwargs)


def administrator(**kwargs):
    return UserFactory(username="admin", is_superuser=True, **kwargs)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Report {n}")
    slug = factory.Sequence(lambda n: f"report-{n}")
    publisher = "Embassy"
    text = "The parties met and agreed to continue their cooperation."


class CitedFactory(factory.django.DjangoModelFactory):
    """A record that cites sources. `source=`, `passage=` and `attested=` (the date the
    source speaks of) make its first citation; `attested=` alone cites a new report."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, source=None, passage="", attested="", **kwargs):
        record = super()._create(model_class, *args, **kwargs)
        if source or passage or attested:
            cite(record, source=source or SourceFactory(), passage=passage, attests_on=attested)
            if hasattr(record, "last_attested"):
                # Derived from the citation: read back what it wrote.
                record.refresh_from_db(fields=["attested", "last_attested"])
        return record

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        if {"source", "passage"} & set(kwargs):
            raise TypeError("An unsaved record cites nothing: build a Citation instead.")
        if "attested" in kwargs:
            # An unsaved status or post, as one citation dated `attested` would leave it.
            kwargs.setdefault("last_attested", kwargs["attested"])
        return super()._build(model_class, *args, **kwargs)


def cite(record, *, source=None, passage="", attests_on="", **kwargs):
    """Add a citation of `source` to `record`, checked as a form would; returns it."""
    citation = Citation(
        **{Citation.field_for(type(record)): record},
        source=source if source is not None else SourceFactory(),
        passage=passage,
        attests_on=attests_on,
        **kwargs,
    )
    citation.full_clean()
    citation.save()
    return citation


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class OrganizationFactory(CitedFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = Organization.Kind.INTERGOVERNMENTAL


class OrganizationNameFactory(CitedFactory):
    class Meta:
        model = OrganizationName

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Other name {n}")


class MembershipFactory(CitedFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    country = factory.LazyFunction(lambda: country("UZ"))
    status = Membership.Status.MEMBER


class PersonFactory(CitedFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class PositionFactory(CitedFactory):
    class Meta:
        model = Position

    title = "Director"
    organization = factory.SubFactory(OrganizationFactory)
    holder = factory.SubFactory(PersonFactory)


class MeetingFactory(CitedFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Meeting {n}")
    date = "2013-08-20"
    city = "Tashkent"
    country = factory.LazyFunction(lambda: country("UZ"))


class ParticipantFactory(CitedFactory):
    class Meta:
        model = Participant

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)


class OutcomeFactory(CitedFactory):
    class Meta:
        model = Outcome

    meeting = factory.SubFactory(MeetingFactory)
    description = "Both sides agreed to meet again."


class DecisionFactory(CitedFactory):
    """A summit that admitted a member on the day it met."""

    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory, date="2017-06-09")
    position = None
    # A membership, unless a post is given: a decision names one of them.
    membership = factory.Maybe(
        "position",
        yes_declaration=None,
        no_declaration=factory.SubFactory(MembershipFactory, start="2017-06-09"),
    )
    change = Decision.Change.START


class AgreementFactory(CitedFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"MOU {n}")
    kind = Agreement.Kind.MOU


class AgreementPartyFactory(CitedFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    organization = factory.SubFactory(OrganizationFactory)


class AgreementEventFactory(CitedFactory):
    class Meta:
        model = AgreementEvent

    agreement = factory.SubFactory(AgreementFactory)
    kind = AgreementEvent.Kind.DRAFT_AGREED
    date = "2011"


class FollowUpFactory(CitedFactory):
    class Meta:
        model = FollowUp

    action = factory.Sequence(lambda n: f"Send the draft back, step {n}")
    agreement = factory.SubFactory(AgreementFactory)
    responsible_organization = factory.SubFactory(OrganizationFactory)
