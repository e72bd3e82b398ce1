"""The status that agreements store (latest event, its kind, last activity) never goes stale.

It repeats what the events say, so that lists filter and count on indexed columns;
whatever changes an event (recording, editing, moving, deleting, restoring, loading)
through Agreement.events_changing() or a generic writer that calls refresh_derived()
must leave it equal to the status read from the events themselves.
"""

import datetime
import threading

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import connection, models, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.models import Agreement, AgreementEvent
from cooperation.history import HistoryBypassError
from cooperation.models import Deletion
from tests import factories
from tests.admin_forms import admin_url, form_values

Kind = AgreementEvent.Kind

pytestmark = pytest.mark.django_db


def stored(agreement):
    agreement.refresh_from_db()
    return (agreement.latest_event, agreement.latest_kind, agreement.latest_activity)


def read_from_events(agreement):
    """The status as the events themselves give it: the latest, its kind and last day."""
    latest = agreement.events.latest_first().first()
    if latest is None:
        return (None, None, None)
    return (latest, latest.kind, latest.date.last)


def test_recording_an_event_stores_the_new_status():
    mou = factories.AgreementFactory()
    assert stored(mou) == (None, None, None)
    draft = mou.record_event(Kind.DRAFT_AGREED, "2011")
    assert stored(mou) == (draft, Kind.DRAFT_AGREED, datetime.date(2011, 12, 31))
    requested = mou.record_event(Kind.FOLLOW_UP_REQUESTED, "2013-08-20")
    assert stored(mou) == (requested, Kind.FOLLOW_UP_REQUESTED, datetime.date(2013, 8, 20))


def test_an_earlier_event_filled_in_afterwards_does_not_change_the_status():
    mou = factories.AgreementFactory()
    signed = mou.record_event(Kind.SIGNED, "2014-03-01")
    mou.record_event(Kind.PROPOSED, "2009")
    assert stored(mou) == (signed, Kind.SIGNED, datetime.date(2014, 3, 1))


def test_correcting_an_events_date_or_kind_restores_the_right_status():
    mou = factories.AgreementFactory()
    draft = mou.record_event(Kind.DRAFT_AGREED, "2011")
    signed = mou.record_event(Kind.SIGNED, "2014")
    signed.date = "2010"  # it was signed before the draft? a typo, corrected here
    with Agreement.events_changing(signed):
        signed.save()
    assert stored(mou) == (draft, Kind.DRAFT_AGREED, datetime.date(2011, 12, 31))
    draft.kind = Kind.UNDER_NEGOTIATION
    with Agreement.events_changing(draft):
        draft.save()
    assert stored(mou)[1] == Kind.UNDER_NEGOTIATION


def test_deleting_the_latest_event_falls_back_to_the_one_before():
    mou = factories.AgreementFactory()
    draft = mou.record_event(Kind.DRAFT_AGREED, "2011")
    requested = mou.record_event(Kind.FOLLOW_UP_REQUESTED, "2013-08-20")
    with Agreement.events_changing(requested):
        requested.delete()
    assert stored(mou) == (draft, Kind.DRAFT_AGREED, datetime.date(2011, 12, 31))
    with Agreement.events_changing(draft):
        draft.delete()
    assert stored(mou) == (None, None, None)


def test_deleting_events_in_bulk_refreshes_every_agreement_they_were_part_of(client):
    first, second = factories.AgreementFactory(), factories.AgreementFactory()
    kept = first.record_event(Kind.PROPOSED, "2010")
    first.record_event(Kind.SIGNED, "2012")
    second.record_event(Kind.SIGNED, "2012")
    signed = AgreementEvent.objects.filter(kind=Kind.SIGNED)
    client.force_login(factories.administrator())  # who may delete
    response = client.post(
        admin_url(AgreementEvent, "changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            # Each row with the version it was shown at (django-concurrency).
            "_selected_action": [f"{event.pk},{event.version}" for event in signed],
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert not AgreementEvent.objects.filter(kind=Kind.SIGNED).exists()
    assert stored(first)[:2] == (kept, Kind.PROPOSED)
    assert stored(second) == (None, None, None)


def test_moving_an_event_to_another_agreement_refreshes_both():
    right, wrong = factories.AgreementFactory(), factories.AgreementFactory()
    right.record_event(Kind.PROPOSED, "2010")
    misfiled = wrong.record_event(Kind.SIGNED, "2012")
    misfiled = AgreementEvent.objects.get(pk=misfiled.pk)  # as an edit form loads it
    misfiled.agreement = right
    with Agreement.events_changing(misfiled):
        misfiled.save()
    assert stored(right)[:2] == (misfiled, Kind.SIGNED)
    assert stored(wrong) == (None, None, None)


def test_an_event_deleted_and_restored_counts_again(staff_client):
    mou = factories.AgreementFactory()
    mou.record_event(Kind.DRAFT_AGREED, "2011")
    signed = mou.record_event(Kind.SIGNED, "2014")
    pk = signed.pk
    with Agreement.events_changing(signed):
        signed.delete()
    assert stored(mou)[1] == Kind.DRAFT_AGREED
    deletion = Deletion.objects.get(model="agreements.agreementevent", object_id=pk)
    deletion.restore(factories.staff())
    assert stored(mou)[:2] == (AgreementEvent.objects.get(pk=pk), Kind.SIGNED)


def test_an_event_restored_from_its_history_counts_again(staff_client):
    """Deleted before deletions were kept: its history alone brings it back."""
    mou = factories.AgreementFactory()
    mou.record_event(Kind.DRAFT_AGREED, "2011")
    signed = mou.record_event(Kind.SIGNED, "2014")
    pk = signed.pk
    with Agreement.events_changing(signed):
        models.Model.delete(signed)  # as every delete did before: only its history is left
    assert stored(mou)[1] == Kind.DRAFT_AGREED
    deleted = AgreementEvent.history.get(id=pk, history_type="-")
    url = reverse("admin:agreements_agreementevent_restore", args=[deleted.history_id])
    assert staff_client.post(url).status_code == 302
    assert stored(mou)[:2] == (AgreementEvent.objects.get(pk=pk), Kind.SIGNED)


def test_recording_an_event_is_not_an_edit_of_the_agreement():
    """Its version and history stay as they were: whoever is editing the agreement's
    own fields meanwhile meets no conflict, and its history lists only real edits."""
    mou = factories.AgreementFactory()
    version, history = mou.version, mou.history.count()
    mou.record_event(Kind.SIGNED, "2014")
    mou.refresh_from_db()
    assert (mou.version, mou.history.count()) == (version, history)
    assert not hasattr(mou.history.first(), "latest_kind")  # not kept in history


def test_staff_recording_an_event_at_a_meeting_change_the_status_page(staff_client):
    mou = factories.AgreementFactory(title="MOU RATS-SCO and BNPT")
    mou.record_event(Kind.DRAFT_AGREED, "2011")
    event = mou.record_event(Kind.UNDER_NEGOTIATION, "2012")
    url = admin_url(AgreementEvent, "change", event.pk)
    data = form_values(staff_client.get(url))
    data.update(kind=Kind.SIGNED, date="2013-08-20")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    staff_client.force_login(factories.analyst())
    page = staff_client.get("/agreements/?status=signed")
    assert [row.title for row in page.context["rows"]] == ["MOU RATS-SCO and BNPT"]
    assert (
        page.context["rows"][0].days_since
        == (datetime.date.today() - datetime.date(2013, 8, 20)).days
    )


def test_loading_the_fixtures_stores_each_agreements_status(tashkent):
    for agreement in Agreement.objects.all():
        assert stored(agreement) == read_from_events(agreement)
    assert Agreement.objects.filter(latest_kind=Kind.FOLLOW_UP_REQUESTED).count() == 2


def test_no_column_may_be_updated_in_bulk_but_the_status_is_refreshed():
    mou = factories.AgreementFactory()
    signed = mou.record_event(Kind.SIGNED, "2014")
    Agreement._base_manager.filter(pk=mou.pk).update(latest_event=None, latest_kind=None)
    Agreement.objects.filter(pk=mou.pk).refresh_status()
    assert stored(mou)[:2] == (signed, Kind.SIGNED)
    with pytest.raises(HistoryBypassError):
        Agreement.objects.filter(pk=mou.pk).update(title="Renamed without history")
    with pytest.raises(HistoryBypassError):
        Agreement.objects.filter(pk=mou.pk).update(latest_kind=None, summary="")


DATES = st.sampled_from(["2010", "2011", "2011-06", "2011-06-30", "2012-01-01", "2012"])
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("record"), st.integers(0, 2), st.sampled_from(Kind.values), DATES),
        st.tuples(st.just("redate"), st.integers(0, 20), DATES),
        st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 2)),
        st.tuples(st.just("delete"), st.integers(0, 20)),
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=STEPS)
def test_whatever_happens_to_events_the_stored_status_is_the_one_events_give(steps):
    AgreementEvent.objects.all().delete()
    Agreement.objects.all().delete()
    agreements = [factories.AgreementFactory() for _ in range(3)]
    for step in steps:
        events = list(AgreementEvent.objects.order_by("pk"))
        if step[0] == "record":
            _, which, kind, date = step
            if not agreements[which].events.filter(kind=kind, date=date).exists():
                agreements[which].record_event(kind, date)
        elif events and step[0] == "redate":
            event = events[step[1] % len(events)]
            if not event.agreement.events.filter(kind=event.kind, date=step[2]).exists():
                event.date = step[2]
                with Agreement.events_changing(event):
                    event.save()
        elif events and step[0] == "move":
            event = events[step[1] % len(events)]
            target = agreements[step[2]]
            if not target.events.filter(kind=event.kind, date=event.date).exists():
                event.agreement = target
                with Agreement.events_changing(event):
                    event.save()
        elif events and step[0] == "delete":
            event = events[step[1] % len(events)]
            with Agreement.events_changing(event):
                event.delete()
    for agreement in agreements:
        assert stored(agreement) == read_from_events(agreement)


def test_saving_an_agreement_read_before_an_event_was_recorded_keeps_the_new_status():
    """Staff edit the summary on a form read before a colleague recorded an event."""
    mou = factories.AgreementFactory()
    mou.record_event(Kind.DRAFT_AGREED, "2011")
    read_earlier = Agreement.objects.get(pk=mou.pk)
    signed = mou.record_event(Kind.SIGNED, "2014")
    read_earlier.summary = "Signed at last."
    read_earlier.save()
    assert stored(mou)[:2] == (signed, Kind.SIGNED)
    assert mou.summary == "Signed at last."


def test_an_agreement_loaded_again_from_a_fixture_keeps_the_status_its_events_give(tmp_path):
    mou = factories.AgreementFactory()
    signed = mou.record_event(Kind.SIGNED, "2014")
    fixture = tmp_path / "mou.json"
    # Without the status columns, as a fixture written by hand has it.
    fixture.write_text(serializers.serialize("json", [mou], fields=["title", "kind", "summary"]))
    call_command("load_records", str(fixture), verbosity=0)
    assert stored(mou)[:2] == (signed, Kind.SIGNED)


def test_an_event_loaded_onto_another_agreement_leaves_the_first_its_earlier_status(tmp_path):
    right, wrong = factories.AgreementFactory(), factories.AgreementFactory()
    proposed = wrong.record_event(Kind.PROPOSED, "2010")
    misfiled = wrong.record_event(Kind.SIGNED, "2012")
    fixture = tmp_path / "event.json"
    misfiled.agreement = right  # in the fixture only
    fixture.write_text(serializers.serialize("json", [misfiled]))
    call_command("load_records", str(fixture), verbosity=0)
    assert stored(right)[:2] == (misfiled, Kind.SIGNED)
    assert stored(wrong)[:2] == (proposed, Kind.PROPOSED)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_events_recorded_at_once_each_count_in_the_stored_status():
    """A records the later event and holds its transaction open; B records an earlier
    one meanwhile. B waits for A's lock on the agreement and then sees A's event, so the
    status is A's. (Without the lock, B's refresh would read the events as they stood
    before A committed and store B's event as the latest.)"""
    mou = factories.AgreementFactory()
    mou.record_event(Kind.PROPOSED, "2010")
    a_recorded, b_done = threading.Event(), threading.Event()

    def record(kind, date, then=None):
        try:
            with transaction.atomic():
                Agreement.objects.get(pk=mou.pk).record_event(kind, date)
                if then:
                    then()
        finally:
            connection.close()

    def a_holds_its_transaction():
        a_recorded.set()
        b_done.wait(timeout=2)  # B is blocked on the lock: this times out, then A commits

    a = threading.Thread(
        target=record, args=(Kind.SIGNED, "2014"), kwargs={"then": a_holds_its_transaction}
    )
    a.start()
    assert a_recorded.wait(timeout=10)
    b = threading.Thread(target=lambda: (record(Kind.UNDER_NEGOTIATION, "2012"), b_done.set()))
    b.start()
    a.join(timeout=20)
    b.join(timeout=20)
    assert stored(mou)[1] == Kind.SIGNED
    assert read_from_events(mou)[1] == Kind.SIGNED
