"""System checks of the project's own, registered in CooperationConfig.ready()."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.checks import Warning
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from cooperation.accounts import demo_accounts


def demo_accounts_exist(app_configs, **kwargs):
    """`check --deploy`: name the demo accounts in the database production will use.

    It runs before `migrate` too (on a fresh clone, in CI), so a database that does
    not exist yet, has no tables yet or cannot be reached holds no demo account to
    report: `migrate` and the site itself say loudly enough that it is missing.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if no_database_yet(connection):
        return []
    try:
        if get_user_model()._meta.db_table not in connection.introspection.table_names():
            return []
        usernames = list(demo_accounts().order_by("username").values_list("username", flat=True))
    except DatabaseError:
        return []
    if not usernames:
        return []
    return [
        Warning(
            f"Demo accounts exist in this database: {', '.join(usernames)}.",
            hint=(
                "They come from `make run` and their password is no secret. With "
                "production settings they cannot log in; delete them in the admin "
                "(Users) so that no one can turn them back on."
            ),
            id="cooperation.W001",
        )
    ]


def no_database_yet(connection):
    """An SQLite file that does not exist yet: connecting would create it."""
    return (
        connection.vendor == "sqlite"
        and not connection.is_in_memory_db()
        and not Path(connection.settings_dict["NAME"]).exists()
    )
