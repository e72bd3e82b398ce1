"""Logging in: Django's accounts, less the demo accounts on a production site.

`make run` creates the demo accounts admin, staff and analyst with a password it
prints and keeps in .demo-password, and puts them in the group "Demo accounts".
A development database served with production settings must not let them in.
"""

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

DEMO_ACCOUNTS = "Demo accounts"
DEMO_USERNAMES = ("admin", "staff", "analyst")  # as the demo_accounts command makes them
DEMO_PASSWORD_FILE = Path(settings.BASE_DIR) / ".demo-password"


def kept_demo_password():
    """The demo accounts' password: DEMO_PASSWORD, else the one kept in .demo-password;
    None when this checkout has made none."""
    if os.environ.get("DEMO_PASSWORD"):
        return os.environ["DEMO_PASSWORD"]
    if DEMO_PASSWORD_FILE.exists():
        return DEMO_PASSWORD_FILE.read_text().strip()
    return None


def demo_accounts():
    return get_user_model()._default_manager.filter(groups__name=DEMO_ACCOUNTS)


class AccountBackend(ModelBackend):
    """ModelBackend, refusing the demo accounts unless the site runs in development.

    Refused at login like a wrong password, and on every later request too, so a
    session opened before the switch to production ends.
    """

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        return settings.DEBUG or not self.is_demo_account(user)

    def is_demo_account(self, user):
        marked = getattr(user, "is_demo_account", None)  # read with the user by get_user
        if marked is None:
            marked = user.groups.filter(name=DEMO_ACCOUNTS).exists()
        return marked

    def get_user(self, user_id):
        # Every request asks: the mark comes in the one query that reads the user, so
        # no page makes one more query for it.
        in_demo_group = Group.objects.filter(name=DEMO_ACCOUNTS, user=OuterRef("pk"))
        user = (
            get_user_model()
            ._default_manager.annotate(is_demo_account=Exists(in_demo_group))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None


def name_of(account):
    """An account as pages and mails name it: its full name, else its username."""
    return account.get_full_name() or account.get_username()
