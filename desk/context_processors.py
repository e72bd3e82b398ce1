"""The navigation's count of the overdue follow-ups on the signed-in account's desk."""

from django.utils.functional import SimpleLazyObject

from desk.items import overdue_count


def overdue_on_the_desk(request):
    """`desk_overdue_count`, read only when a page shows it: the admin, whose pages do
    not, pays no query for it, and a page that does pays one (the desk page itself
    passes the number it already has). Not even the account is read before then."""

    def count():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return overdue_count(user)

    return {"desk_overdue_count": SimpleLazyObject(count)}
