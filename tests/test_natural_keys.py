"""Every record is found again by its natural key, so the fixtures load again without duplicates."""

import pytest
from django.apps import apps
from django.core import serializers

from cooperation.models import Membership, Position, Record
from meetings.models import Participant
from tests.factories import (
    AgreementEventFactory,
    AgreementFactory,
    AgreementPartyFactory,
    DecisionFactory,
    FollowUpFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    OrganizationNameFactory,
    OutcomeFactory,
    ParticipantFactory,
    PersonFactory,
    PositionFactory,
    SourceFactory,
    TopicFactory,
    country,
)

pytestmark = pytest.mark.django_db


def membership_with_unknown_start():
    membership = MembershipFactory(start="", attested="2013-08-20")
    dated = MembershipFactory(
        organization=membership.organization, country=membership.country, start="2001"
    )
    return membership, dated


def position_with_no_holder():
    post = PositionFactory(holder=None, attested="2011", ended=True)
    held = PositionFactory(organization=post.organization, attested="2011")
    return post, held


def position_with_no_attested_date():
    post = PositionFactory(attested="")
    later = PositionFactory(organization=post.organization, holder=post.holder, attested="2013")
    return post, later


def follow_up_with_no_agreement():
    follow_up = FollowUpFactory(agreement=None, action="Encourage further cooperation")
    on_an_agreement = FollowUpFactory(action="Encourage further cooperation")
    return follow_up, on_an_agreement


def participant_without_person():
    unnamed = ParticipantFactory(person=None, position=PositionFactory(holder=None))
    named = ParticipantFactory(meeting=unnamed.meeting, organization=unnamed.organization)
    return unnamed, named


def participant_with_person():
    named, unnamed = participant_without_person()[::-1]
    return named, unnamed


def event_on_a_partial_date():
    event = AgreementEventFactory(date="2013-08")
    same_day = AgreementEventFactory(agreement=event.agreement, date="2013-08-20")
    return event, same_day


def meeting_on_a_partial_date():
    meeting = MeetingFactory(date="2011", title="Visit")
    return meeting, MeetingFactory(date="2011-05", title="Visit")


def decision_of_a_membership():
    decision = DecisionFactory()
    other_country = MembershipFactory(
        organization=decision.membership.organization, country=country("KZ"), start="2017-06-09"
    )
    return decision, DecisionFactory(meeting=decision.meeting, membership=other_country)


def decision_of_a_post():
    post = PositionFactory(start="2017-06-09", holder=None)
    decision = DecisionFactory(membership=None, position=post)
    return decision, DecisionFactory(meeting=decision.meeting)


def pair(factory):
    def build():
        return factory(), factory()

    return build


NATURAL_KEY_CASES = {
    "source": pair(SourceFactory),
    "country": lambda: (country("UZ"), country("KZ")),
    "topic": pair(TopicFactory),
    "organization": pair(OrganizationFactory),
    "organization name": pair(OrganizationNameFactory),
    "membership with unknown start": membership_with_unknown_start,
    "membership with known start": lambda: membership_with_unknown_start()[::-1],
    "person": pair(PersonFactory),
    "position with no holder": position_with_no_holder,
    "position with a holder": lambda: position_with_no_holder()[::-1],
    "position with no attested date": position_with_no_attested_date,
    "meeting": meeting_on_a_partial_date,
    "participant without person": participant_without_person,
    "participant with person": participant_with_person,
    "outcome": pair(OutcomeFactory),
    "agreement": pair(AgreementFactory),
    "agreement party": pair(AgreementPartyFactory),
    "agreement event": event_on_a_partial_date,
    "follow-up with no agreement": follow_up_with_no_agreement,
    "follow-up on an agreement": lambda: follow_up_with_no_agreement()[::-1],
    "decision of a membership": decision_of_a_membership,
    "decision of a post": decision_of_a_post,
}


@pytest.mark.parametrize("case", NATURAL_KEY_CASES)
def test_a_record_is_found_again_by_its_natural_key(case):
    record, look_alike = NATURAL_KEY_CASES[case]()
    assert record.natural_key() != look_alike.natural_key()
    manager = type(record).objects
    assert manager.get_by_natural_key(*record.natural_key()) == record
    assert manager.get_by_natural_key(*look_alike.natural_key()) == look_alike


def test_every_model_with_a_natural_key_is_checked():
    with_keys = {
        model._meta.label
        for model in apps.get_models()
        if issubclass(model, Record) and model.natural_key_fields
    }
    checked = set()
    for build in NATURAL_KEY_CASES.values():
        checked |= {type(record)._meta.label for record in build()}
    assert with_keys <= checked, with_keys - checked


@pytest.mark.parametrize(
    "build",
    [
        lambda: MembershipFactory(start="", attested="2013-08-20"),
        lambda: PositionFactory(holder=None, attested="2011", ended=True),
        lambda: FollowUpFactory(agreement=None),
        lambda: ParticipantFactory(person=None, position=PositionFactory(holder=None)),
    ],
    ids=["membership", "position", "follow-up", "participant"],
)
def test_loading_a_record_by_natural_key_again_updates_it_rather_than_adding_one(build):
    record = build()
    model = type(record)
    dumped = serializers.serialize(
        "json", [record], use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    assert '"pk"' not in dumped
    for deserialized in serializers.deserialize("json", dumped):
        assert deserialized.object.pk == record.pk
        deserialized.save()
    assert model.objects.count() == 1


def test_natural_keys_write_an_unknown_date_as_nothing_and_a_partial_date_as_text():
    membership = MembershipFactory(start="", attested="2013-08-20", country=country("CN"))
    assert membership.natural_key()[1:] == ("CN", Membership.Status.MEMBER, None)
    post = PositionFactory(holder=None, attested="2011")
    assert post.natural_key()[1:] == ("Director", None, "2011")
    assert Position.objects.get_by_natural_key(*post.natural_key()) == post
    participant = ParticipantFactory(person=None, position=post)
    assert participant.natural_key()[:2] == ("2013-08-20", participant.meeting.title)
    assert Participant.objects.get_by_natural_key(*participant.natural_key()) == participant
