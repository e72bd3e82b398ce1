from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")

    def ready(self):
        from agreements.briefing import open_agreements_part
        from agreements.organization_page import agreements_part
        from agreements.person_page import follow_ups_part
        from cooperation import briefing, organization_page, person_page

        organization_page.add_part(
            "organization_page/agreements.html", agreements_part, position=10
        )
        person_page.add_part("person_page/follow_ups.html", follow_ups_part, position=20)
        briefing.add_part("briefing/agreements.html", open_agreements_part, position=10)
