"""Settings for the test run, set before Django reads them."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
# Playwright's sync API runs an event loop in the test thread; the ORM beside it is safe
# here because the tests are the only client of their database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
