import os

from django.conf import settings
from django.core.asgi import get_asgi_application

from cooperation.database import limit_statement_time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation.settings")

application = get_asgi_application()

# Here, not in settings: only the web process limits its statements; commands run to
# their end (cooperation/database.py).
limit_statement_time(settings.STATEMENT_TIMEOUT)
