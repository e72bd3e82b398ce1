from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadingConfig(AppConfig):
    """Reading a source to record it: names and dates recognized in its text, what is
    already cited, and admin forms started from a passage. Above every other app: it
    offers to record meetings, statuses and agreement events alike."""

    name = "reading"
    verbose_name = _("Reading sources")
