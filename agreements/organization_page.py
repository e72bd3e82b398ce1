"""The agreements part of an organization's page (cooperation/organization_page.py)."""

from django.db.models import F

from agreements.rows import party_names

LATEST = 50  # agreements listed on an organization's page


def agreements_part(organization, as_of):
    # The latest few; the status page has them all, by link.
    agreements = organization.agreements.with_status(as_of=as_of)
    latest = list(agreements.order_by(F("last_activity").desc(nulls_last=True), "title")[:LATEST])
    # The other parties' names, not their records: 50 agreements have about 100.
    other_parties = party_names([a.pk for a in latest], leaving_out=organization)
    for agreement in latest:
        agreement.other_parties = other_parties.get(agreement.pk, [])
    return {
        "agreements": latest,
        # One row a party, as many as its agreements: counted without reading them.
        "count": organization.agreement_links.count(),
    }
