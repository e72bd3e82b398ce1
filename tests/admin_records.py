"""What the admin tests share about records: which kind of record each model in the admin
holds (who may touch it is decided by kind), and the report staff enter."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from agreements.models import Agreement, AgreementEvent, AgreementParty, FollowUp
from cooperation.models import (
    Country,
    Membership,
    Organization,
    OrganizationName,
    Person,
    Position,
    Source,
    Topic,
)
from meetings.models import Decision, Meeting, Outcome, Participant
from tests import factories

# Who may do what, by kind of record. A model registered in the admin but missing here
# fails test_every_model_in_the_admin_has_known_access_rules.
KINDS = {
    # What staff enter and analysts read.
    "domain": {
        Topic,
        Source,
        Organization,
        OrganizationName,
        Membership,
        Person,
        Position,
        Meeting,
        Participant,
        Outcome,
        Decision,
        Agreement,
        AgreementParty,
        AgreementEvent,
        FollowUp,
    },
    # From ISO 3166 through a migration: everyone reads them, administrators correct them.
    "reference": {Country},
    # Accounts and roles are the administrators' business.
    "accounts": {get_user_model(), Group},
    # Written by the login (django-axes); administrators read them, no one writes them.
    "login records": {AccessAttempt, AccessLog, AccessFailureLog},
}


KIND = {model: kind for kind, models in KINDS.items() for model in models}


DOMAIN = KINDS["domain"]


REPORT = "tashkent-2013-report"


def label(model):
    return model._meta.label


def tashkent_report():
    """The report's first lines, as a source staff can quote."""
    return factories.SourceFactory(
        slug=REPORT,
        text="Ambassador Asruchin met the Director of RATS-SCO on August 20th, 2013 in "
        "Tashkent. His predecessor had visited Jakarta in 2011 and agreed on a draft MOU.",
    )
