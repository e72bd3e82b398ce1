import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from cooperation.views import healthz


class SessionLifetimeMiddleware:
    """Ends a session 12 hours (SESSION_MAX_LIFETIME) after login, however active it was.

    The idle limit is the cookie's age, renewed on every request; this is the other
    limit, which no activity extends.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault("started_at", time.time())
            if time.time() - started > settings.SESSION_MAX_LIFETIME.total_seconds():
                logout(request)
                messages.info(
                    request, _("Your session has ended after 12 hours. Please log in again.")
                )
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class HealthProbeMiddleware:
    """Answers the load balancer's probe, /healthz, before anything reads the session.

    During an outage a signed-in browser's session cannot be read: were the probe
    served after the session and login middleware, it would get the outage page rather
    than its JSON. Placed after the security and CSP middleware, whose headers it keeps.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == reverse("healthz"):
            return healthz(request)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Every response to a signed-in person says `Cache-Control: private, no-store`.

    Pages, exports and the admin show ongoing negotiations: no shared proxy may keep
    them, nor the back-button cache of a shared computer once its user has logged out.
    Static files are served before this (whitenoise) and stay cacheable: they are the
    same for everyone. The login page is not stored either (Django's login view says so).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


def signed_in(request):
    user = getattr(request, "user", None)  # None: answered before the login middleware ran
    try:
        return user is not None and user.is_authenticated
    except DatabaseError:
        # The database is down and the session unread: who asks is unknown, so the
        # answer is kept out of caches as if they were signed in.
        return True


NULL_CHARACTER = "\x00"


class RefuseNullCharactersMiddleware:
    """Answers 400 to a request with a null character (%00) in its address, headers
    (cookies too), form data or query string, saying so.

    PostgreSQL refuses text that holds one, so any such value that reached a query (an
    admin list's filters, a search box's term, a session key) would end in a 500. In
    settings.MIDDLEWARE before the session middleware, so that it answers before
    anything reads the database. A page whose filter form reads its whole query string
    (@form_reads_query) says itself which filter holds one, beside the others' errors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        headers = [value for name, value in request.META.items() if name.startswith("HTTP_")]
        if holds_null_character([request.path_info, *headers, *texts_of(request.POST)]):
            return null_character_refused(request)
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if getattr(view, "form_reads_query", False):
            return None
        if holds_null_character(texts_of(request.GET)):
            return null_character_refused(request)
        return None


def form_reads_query(view):
    """Marks a view whose form reads every parameter of its query string and answers 400
    with the form when one holds a null character (as Django's CharField does)."""
    view.form_reads_query = True
    return view


def texts_of(data):
    return [text for name, values in data.lists() for text in (name, *values)]


def holds_null_character(texts):
    return any(NULL_CHARACTER in text for text in texts if isinstance(text, str))


def null_character_refused(request):
    # Answered before LocaleMiddleware has chosen the language: chosen here the same way
    # (the language switch's cookie, else the browser's), reading no session.
    with translation.override(translation.get_language_from_request(request)):
        message = _(
            "This request holds a null character (%00), which no address, search or form "
            "field here can hold. Remove it and try again."
        )
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
