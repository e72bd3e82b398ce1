"""Mark the demo accounts made before demo accounts were marked.

A development database whose demo accounts predate the "Demo accounts" group would
still let them in with production settings. An account is marked only when it has a
demo username *and* the demo password this checkout keeps (DEMO_PASSWORD or
.demo-password): a real account named "admin" has a password of its own, and a
production checkout keeps no demo password, so there nothing is marked.
"""

from django.contrib.auth.hashers import check_password
from django.db import migrations

from cooperation.accounts import DEMO_ACCOUNTS, DEMO_USERNAMES, kept_demo_password


def mark_demo_accounts(apps, schema_editor):
    password = kept_demo_password()
    if password is None:
        return
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    users = User.objects.using(schema_editor.connection.alias).filter(username__in=DEMO_USERNAMES)
    demo = [user for user in users if check_password(password, user.password)]
    if demo:
        group, _ = Group.objects.using(schema_editor.connection.alias).get_or_create(
            name=DEMO_ACCOUNTS
        )
        group.user_set.add(*demo)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("cooperation", "0004_deletions"),
    ]

    operations = [migrations.RunPython(mark_demo_accounts, migrations.RunPython.noop)]
