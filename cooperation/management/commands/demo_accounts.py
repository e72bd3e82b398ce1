import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from cooperation.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD_FILE, kept_demo_password
from cooperation.roles import ANALYSTS, EMBASSY_STAFF

ACCOUNTS = [
    ("admin", "administrator: everything, accounts too", None),
    ("staff", "embassy staff: adds and changes records in the admin", EMBASSY_STAFF),
    ("analyst", "analyst: reads every page, view-only in the admin", ANALYSTS),
]


class Command(BaseCommand):
    help = (
        "Create the demo accounts admin, staff and analyst (development only), in the "
        f"group {DEMO_ACCOUNTS!r}: with production settings they cannot log in."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only (DJANGO_DEBUG=1).")
        password = self.demo_password()
        User = get_user_model()
        # The mark that keeps them out of a production site (cooperation.accounts).
        demo_group, _ = Group.objects.get_or_create(name=DEMO_ACCOUNTS)
        for username, role, group_name in ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = True
            user.is_superuser = group_name is None
            # Only when it changed: a new hash, even of the same password, would sign
            # the account out of every browser on each start of `make run`.
            if not user.check_password(password):
                user.set_password(password)
            user.save()
            roles = [Group.objects.get(name=group_name)] if group_name else []
            user.groups.set([demo_group, *roles])
            self.stdout.write(f"  {username:8} {role}")
        self.stdout.write(f"  password for all three: {password}")

    def demo_password(self):
        """DEMO_PASSWORD, else one generated once and kept in .demo-password."""
        password = kept_demo_password()
        if password is None:
            password = secrets.token_urlsafe(12)
            DEMO_PASSWORD_FILE.write_text(password + "\n")
            DEMO_PASSWORD_FILE.chmod(0o600)
        return password
