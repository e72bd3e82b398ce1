from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache


def home(request):
    return redirect("admin:index")


@login_not_required
@never_cache
def healthz(request):
    """Liveness and database readiness, for a load balancer; it tells nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"alive": True, "database": "unavailable"}, status=503)
    return JsonResponse({"alive": True, "database": "ready"})
