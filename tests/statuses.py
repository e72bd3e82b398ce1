"""Reading agreements' statuses in tests, as the pages read them."""

from agreements.models import Agreement


def status_of(agreement, as_of=None):
    return Agreement.objects.with_status(as_of=as_of).get(pk=agreement.pk)


def with_status_in(statuses, as_of=None):
    """The agreements whose status on `as_of` is one of `statuses`, as the status page filters."""
    return Agreement.objects.with_status(as_of).filter(status__in=statuses)
