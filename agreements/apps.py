from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"

    def ready(self):
        from agreements.organization_page import agreements_part
        from cooperation import organization_page

        organization_page.add_part(
            "organization_page/agreements.html", agreements_part, position=10
        )
