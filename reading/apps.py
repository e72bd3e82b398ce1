from django.apps import AppConfig


class ReadingConfig(AppConfig):
    """Reading a source to record it: names and dates recognized in its text, what is
    already cited, and admin forms started from a passage. Above every other app: it
    offers to record meetings, statuses and agreement events alike."""

    name = "reading"
    verbose_name = "Reading sources"
