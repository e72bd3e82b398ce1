from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Organizations, countries and people")

    def ready(self):
        from cooperation.checks import demo_accounts_exist
        from cooperation.roles import sync_roles

        post_migrate.connect(sync_roles, sender=self)
        checks.register(demo_accounts_exist, checks.Tags.security, deploy=True)
