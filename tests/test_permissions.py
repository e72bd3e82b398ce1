"""Who gets what: every URL pattern of the site, the admin's too, for every role and method.

The expected answers are written out below. A URL pattern that has no entry fails the
test, so a new page cannot ship without someone deciding who may open it.
"""

import pytest
from django.contrib.admin.sites import site
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agreements.models import Agreement
from cooperation.models import Organization, Source
from desk.models import Desk
from meetings.models import Meeting
from tests import factories

ROLES = ["anonymous", "analyst", "staff", "admin"]
LOGIN = "login"  # a redirect to a login page
DOMAIN_APPS = {"cooperation", "meetings", "agreements"}


def expect(anonymous, analyst, staff, admin):
    return dict(zip(ROLES, (anonymous, analyst, staff, admin), strict=True))


# The site's own pages: (GET, POST) for each role.
SITE = {
    "home": (expect(LOGIN, 302, 302, 302), expect(LOGIN, 405, 405, 405)),
    "healthz": (expect(200, 200, 200, 200), expect(405, 405, 405, 405)),
    # The language switch, for anyone: back to the page it was used on (here none: home).
    "set_language": (expect(302, 302, 302, 302), expect(302, 302, 302, 302)),
    "login": (expect(200, 302, 302, 302), expect(200, 302, 302, 302)),
    "logout": (expect(LOGIN, 405, 405, 405), expect(302, 302, 302, 302)),
    "agreements:agreement_list": (expect(LOGIN, 200, 200, 200), expect(LOGIN, 405, 405, 405)),
    "agreements:agreement_detail": (expect(LOGIN, 200, 200, 200), expect(LOGIN, 405, 405, 405)),
    "meetings:meeting_list": (expect(LOGIN, 200, 200, 200), expect(LOGIN, 405, 405, 405)),
    "meetings:meeting_detail": (expect(LOGIN, 200, 200, 200), expect(LOGIN, 405, 405, 405)),
    "cooperation:organization_list": (expect(LOGIN, 200, 200, 200), expect(LOGIN, 405, 405, 405)),
    "cooperation:organization_detail": (
        expect(LOGIN, 200, 200, 200),
        expect(LOGIN, 405, 405, 405),
    ),
    "cooperation:organization_members_csv": (
        expect(LOGIN, 200, 200, 200),
        expect(LOGIN, 405, 405, 405),
    ),
    "cooperation:organization_brief": (
        expect(LOGIN, 200, 200, 200),
        expect(LOGIN, 405, 405, 405),
    ),
    "cooperation:person_list": (expect(LOGIN, 200, 200, 200), expect(LOGIN, 405, 405, 405)),
    "cooperation:person_detail": (expect(LOGIN, 200, 200, 200), expect(LOGIN, 405, 405, 405)),
    # The Tashkent report has no file: not found, for every role that may ask.
    "source_file": (expect(LOGIN, 404, 404, 404), expect(LOGIN, 405, 405, 405)),
    "reading:source_reading": (expect(LOGIN, 403, 200, 200), expect(LOGIN, 403, 405, 405)),
    # Every account's own desk; its forms answer a POST (an empty one: 400), nothing else.
    "desk:my_desk": (expect(LOGIN, 200, 200, 200), expect(LOGIN, 405, 405, 405)),
    "desk:digest_setting": (expect(LOGIN, 405, 405, 405), expect(LOGIN, 400, 400, 400)),
    "desk:renew_calendar_secret": (expect(LOGIN, 405, 405, 405), expect(LOGIN, 302, 302, 302)),
    # The analyst's feed, to whoever holds its secret, signed in or not; read only.
    "desk:calendar_feed": (expect(200, 200, 200, 200), expect(405, 405, 405, 405)),
}

# The admin site's own views.
ADMIN_SITE = {
    "admin:index": (expect(LOGIN, 200, 200, 200), expect(LOGIN, 200, 200, 200)),
    # Logged in: the admin's login page sends you on; a wrong form is shown again.
    "admin:login": (expect(200, 302, 302, 302), expect(200, 200, 200, 200)),
    "admin:logout": (expect(LOGIN, 405, 405, 405), expect(LOGIN, 302, 302, 302)),
    "admin:password_change": (expect(LOGIN, 200, 200, 200), expect(LOGIN, 200, 200, 200)),
    "admin:password_change_done": (expect(LOGIN, 200, 200, 200), expect(LOGIN, 405, 405, 405)),
    "admin:autocomplete": (expect(LOGIN, 403, 403, 403), expect(LOGIN, 405, 405, 405)),
    "admin:jsi18n": (expect(LOGIN, 200, 200, 200), expect(LOGIN, 405, 405, 405)),
    "admin:view_on_site": (expect(LOGIN, 302, 302, 302), expect(LOGIN, 302, 302, 302)),
}


def model_admin_expectations(model, view):
    """What each role may do with one model's admin view.

    Domain records: analysts read, staff add and change, administrators also delete.
    Countries (the ISO list) and accounts: administrators only. django-axes' login
    records: administrators read and delete them; nobody adds or edits them.
    """
    label = model._meta.app_label
    domain = label in DOMAIN_APPS
    iso_list = model._meta.label == "cooperation.Country"
    axes_log = label == "axes"
    read = 200 if domain else 403
    write = 200 if domain and not iso_list else 403
    # An empty POST is never a change: a delete needs its confirmation, a form its fields.
    admin_delete = (200, 200)
    if view == "changelist":  # a POST is a bulk action with nothing chosen: the list again
        return expect(LOGIN, read, read, 200), expect(LOGIN, read, read, 200)
    if view == "add":
        admin_add = 403 if axes_log else 200
        return expect(LOGIN, 403, write, admin_add), expect(LOGIN, 403, write, admin_add)
    if view == "change":
        return expect(LOGIN, read, read, 200), expect(LOGIN, 403, write, 302 if axes_log else 200)
    if view == "delete":
        return expect(LOGIN, 403, 403, admin_delete[0]), expect(LOGIN, 403, 403, admin_delete[1])
    if view == "history":  # the list of changes: reading only, whatever the method
        return expect(LOGIN, read, read, 200), expect(LOGIN, read, read, 200)
    if view == "simple_history":  # one earlier version, which a POST restores
        return expect(LOGIN, read, read, 200), expect(LOGIN, 403, write, 200)
    if view == "deleted":  # the list of deleted records, to restore from
        return expect(LOGIN, 403, write, 200), expect(LOGIN, 403, 405 if write == 200 else 403, 405)
    if view == "restore":  # POST only; the record given is not deleted: nothing to restore
        return (
            expect(LOGIN, 403, 405 if write == 200 else 403, 405),
            expect(LOGIN, 403, 404 if write == 200 else 403, 404),
        )
    if view == "restore_deletion":  # POST only; the deletion given does not exist
        return (
            expect(LOGIN, 403, 405 if write == 200 else 403, 405),
            expect(LOGIN, 403, 404 if write == 200 else 403, 404),
        )
    if view == "password_change":  # auth.User's
        return expect(LOGIN, 403, 403, 200), expect(LOGIN, 403, 403, 200)
    raise KeyError(f"no expectation for {model._meta.label} {view}: add one")


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), space)
        elif isinstance(pattern, URLPattern):
            yield (
                prefix + str(pattern.pattern),
                f"{namespace}{pattern.name}" if pattern.name else None,
            )


def every_url_pattern():
    return list(walk(get_resolver().url_patterns))


def model_admin_view(name):
    """(model, view) for a ModelAdmin URL name such as admin:meetings_meeting_change."""
    if not name.startswith("admin:"):
        return None
    for model in site._registry:
        stem = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(stem):
            return model, name[len(stem) :]
    return None


def expectations(name):
    if name in SITE:
        return SITE[name]
    if name in ADMIN_SITE:
        return ADMIN_SITE[name]
    if name == "admin:app_list":
        return expect(LOGIN, 200, 200, 200), expect(LOGIN, 200, 200, 200)
    found = model_admin_view(name)
    if found:
        return model_admin_expectations(*found)
    raise KeyError(f"{name}: no entry in the permission matrix; decide who may open it")


@pytest.fixture
def world(tashkent):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.utils import timezone

    # One row in each of django-axes' tables, so that their pages have a record to show.
    AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="10.0.0.1", attempt_time=timezone.now())
    AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1", locked_out=False)
    # The Tashkent report states no decision: one, so that their pages have a record.
    factories.DecisionFactory()
    return {
        "agreement": Agreement.objects.first(),
        "meeting": Meeting.objects.first(),
        "organization": Organization.objects.get(slug="sco"),
        "source": Source.objects.get(slug="tashkent-2013-report"),
    }


def arguments(name, world, users):
    """The arguments that make a URL name point at a record that exists."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    site_arguments = {
        "agreements:agreement_detail": [world["agreement"].pk],
        "meetings:meeting_detail": [world["meeting"].pk],
        "cooperation:organization_detail": [world["organization"].slug],
        "cooperation:organization_members_csv": [world["organization"].slug],
        "cooperation:organization_brief": [world["organization"].slug],
        "cooperation:person_detail": ["zhang-xinfeng"],
        "source_file": [world["source"].pk],
        "reading:source_reading": [world["source"].pk],
        "admin:view_on_site": [
            ContentType.objects.get_for_model(Agreement).pk,
            world["agreement"].pk,
        ],
        "admin:app_list": ["agreements"],
        "desk:calendar_feed": [Desk.of(users["analyst"]).calendar_secret],
    }
    if name in site_arguments:
        return site_arguments[name]
    found = model_admin_view(name)
    if not found:
        return []
    model, view = found
    if model._meta.label == "auth.User":
        record = users["analyst"]
    elif model._meta.label == "auth.Group":
        record = Group.objects.first()
    else:
        record = model._base_manager.order_by("pk").first()
    if view in ("change", "delete", "history", "password_change"):
        return [record.pk]
    if view in ("simple_history", "restore") and not record.history.exists():
        record.save()  # countries come from a migration, with no history yet
    if view == "simple_history":
        return [record.pk, record.history.first().pk]
    if view == "restore":
        return [record.history.first().pk]  # a record that is not deleted
    if view == "restore_deletion":
        return [0]  # no deletion has this number
    return []


def test_every_url_pattern_has_an_entry():
    missing = []
    for _route, name in every_url_pattern():
        if name is None:
            continue  # static files, catch-all redirects
        try:
            expectations(name)
        except KeyError as error:
            missing.append(str(error))
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_matrix_says(client, world, role):
    users = {
        "analyst": factories.analyst(),
        "staff": factories.staff(),
        "admin": factories.administrator(),
    }
    if role != "anonymous":
        client.force_login(users[role])
    wrong = []
    for _route, name in every_url_pattern():
        if name is None:
            continue
        url = reverse(name, args=arguments(name, world, users))
        for method, expected in zip(("get", "post"), expectations(name), strict=True):
            want = expected[role]
            response = getattr(client, method)(url)
            got = response.status_code
            ok = got == 302 and "login" in response.url if want == LOGIN else got == want
            if not ok:
                wrong.append(f"{method.upper()} {url} ({name}) as {role}: {got}, expected {want}")
            if name in ("logout", "admin:logout") and method == "post" and role != "anonymous":
                client.force_login(users[role])
    assert not wrong, "\n".join(wrong)
