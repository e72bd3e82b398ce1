from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = "Organizations, countries and people"

    def ready(self):
        from cooperation.roles import sync_roles

        post_migrate.connect(sync_roles, sender=self)
