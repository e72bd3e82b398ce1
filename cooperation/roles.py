"""The roles, as Django groups that the project keeps in step with its models.

Analysts read everything and change nothing; embassy staff add and change every
domain record. Administrators are superusers. `migrate` brings the groups up to
date, so a new model gets its permissions without anyone editing a group by hand.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

ANALYSTS = "Analysts"
EMBASSY_STAFF = "Embassy staff"
DOMAIN_APPS = ("cooperation", "meetings", "agreements")
ACTIONS = {ANALYSTS: ("view",), EMBASSY_STAFF: ("view", "add", "change")}


def sync_roles(apps=global_apps, using="default", **kwargs):
    """Create or update the groups; `migrate` calls it after every run."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for label in DOMAIN_APPS:
        # Permissions of the later apps may not exist yet when this runs.
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    for name, actions in ACTIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        codenames = [
            f"{action}_{model._meta.model_name}"
            for label in DOMAIN_APPS
            for model in global_apps.get_app_config(label).get_models()
            for action in actions
        ]
        group.permissions.set(
            Permission.objects.using(using).filter(
                content_type__app_label__in=DOMAIN_APPS, codename__in=codenames
            )
        )


def may_use_site():
    """The condition on accounts that may use the site: active, and an administrator or
    in one of the roles. Read on a queryset of accounts; an account kept only because it
    still tracks records (a desk officer who left) fails it."""
    from django.contrib.auth.models import Group
    from django.db.models import Exists, OuterRef, Q

    in_a_role = Group.objects.filter(name__in=[ANALYSTS, EMBASSY_STAFF], user=OuterRef("pk"))
    return Q(is_active=True) & (Q(is_superuser=True) | Exists(in_a_role))
