"""The environment of a test run, set before pytest-django reads the settings.

Loaded as a plugin (`-p tests.environment` in pyproject.toml) because conftest
files load too late for that.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
# Playwright's sync API runs an event loop in the test thread; the ORM beside it is safe
# here because the tests are the only client of their database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
