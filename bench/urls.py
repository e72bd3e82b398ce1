"""The site's URLs, plus /bench/floor: the cheapest page behind the same middleware."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from cooperation.urls import handler500
from cooperation.urls import urlpatterns as site_urlpatterns


@require_safe
def floor(request):
    """What every page costs at least: session, user, middleware; no query of its own.

    Behind the login like every page (LoginRequiredMiddleware), so it reads the session
    and the user and saves the session, as they do.
    """
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor", floor, name="bench_floor"), *site_urlpatterns]

__all__ = ["handler500", "urlpatterns"]
