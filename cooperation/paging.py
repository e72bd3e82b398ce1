from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.translation import gettext


def page_or_404(objects, request, size):
    """The page `?page=` asks for; a page that does not exist is a 404 that says so."""
    paginator = Paginator(objects, size)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        raise Http404(
            gettext("There is no such page: the list has %(count)d page(s).")
            % {"count": paginator.num_pages}
        ) from None
