from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from cooperation import briefing, organization_page, person_page
        from meetings.briefing import last_meetings_part
        from meetings.organization_page import decided_at, meetings_part
        from meetings.person_page import attended_part

        organization_page.add_part("organization_page/meetings.html", meetings_part, position=20)
        organization_page.set_decided_at(decided_at)
        person_page.add_part("person_page/meetings.html", attended_part, position=10)
        briefing.add_part("briefing/meetings.html", last_meetings_part, position=20)
