import os
import shutil

import pytest
from django.core.management import call_command
from django.utils import translation

from tests import factories

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def analyst(db):
    return factories.analyst()


@pytest.fixture
def staff(db):
    return factories.staff()


@pytest.fixture
def administrator(db):
    return factories.administrator()


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def tashkent(db):
    """The Tashkent 2013 records, loaded as `make run` loads them."""
    factories.ensure_countries()
    call_command("load_records", "fixtures/tashkent_2013.json", verbosity=0)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium to run browser tests")
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def english_after_each_test():
    """Each test starts in the default language: a request in Indonesian leaves its
    language active in the thread (LocaleMiddleware sets it for each request it serves)."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
