"""Words for a record's history page (templates/simple_history/object_history_list.html)."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()

# The change reasons of the history rows that no account wrote, and who, in words,
# wrote them: load_records ("Loaded from fixtures/tashkent_2013.json"), the citations
# migration (cooperation/migrations/0007) and the synthetic data of bench/seed
# ("Synthetic data (seed 1)").
WRITTEN_BY = {
    "Loaded from ": gettext_lazy("loaded from fixtures"),
    "Moved from the record's own source": gettext_lazy("a migration"),
    "Synthetic data": gettext_lazy("synthetic data, generated"),
}


@register.filter
def changed_by(entry):
    """Who made the change a history row records: the account, by its name and login
    ("Amina Rahman (amina)"), or, for a row that no account wrote, where it came from."""
    user = entry.history_user
    if user is not None:
        name = user.get_full_name()
        return f"{name} ({user.get_username()})" if name else user.get_username()
    reason = entry.history_change_reason or ""
    for start, words in WRITTEN_BY.items():
        if reason.startswith(start):
            return words
    # A data migration, or an account since deleted, whose rows the history keeps.
    return _("no account recorded")
