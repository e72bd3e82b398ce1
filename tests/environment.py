"""The environment of a test run, set before pytest-django reads the settings.

Loaded as a plugin (`-p tests.environment` in pyproject.toml) because conftest
files load too late for that.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
# Playwright's sync API runs an event loop in the test thread; the ORM beside it is safe
# here because the tests are the only client of their database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The translation catalogues, compiled as `make setup` compiles them: a run never reads
# a stale .mo (cheap: only catalogues changed since they were last compiled).
from cooperation.translations import compile_catalogues  # noqa: E402

compile_catalogues()
