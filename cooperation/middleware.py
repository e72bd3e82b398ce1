import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login


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
                    request, "Your session has ended after 12 hours. Please log in again."
                )
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
