from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self):
        from cooperation import organization_page
        from meetings.organization_page import decided_at, meetings_part

        organization_page.add_part("organization_page/meetings.html", meetings_part, position=20)
        organization_page.set_decided_at(decided_at)
