"""For tests whose point is that a record is accepted: they say so, and fail with the reasons."""

import pytest
from django.core.exceptions import ValidationError


def assert_valid(record):
    """Fail, with Django's messages, unless `record.full_clean()` accepts the record."""
    try:
        record.full_clean()
    except ValidationError as error:
        pytest.fail(f"{record._meta.label} {record} was refused: {error.messages}")
