"""Where the code leans on another library, it leans on a hook that library supports;
where none exists, a test here fails as soon as the library changes what is relied on."""

import inspect

import pytest
from concurrency.forms import ConcurrentForm
from django.conf import settings
from django.contrib.admin.widgets import AutocompleteMixin
from django.db.models import Model

from agreements.filters import AgreementFilter
from agreements.models import Agreement
from cooperation.admin_base import RecordForm, RowSearchBox
from cooperation.history import history_not_recorded
from cooperation.models import Cited
from tests import factories


def test_a_records_form_runs_every_parents_clean():
    """django-concurrency's form checks the version without the row lock and with a bare
    "Record Modified"; RecordForm checks it itself, so it must not inherit that check
    only to skip it."""
    assert not issubclass(RecordForm, ConcurrentForm)


def test_djangos_search_box_still_draws_its_choice_through_optgroups():
    """RowSearchBox overrides this undocumented method (Django has no other way to name
    the choice without a query): if it is renamed or takes other arguments, the override
    is silently skipped or breaks."""
    assert "optgroups" in vars(AutocompleteMixin)
    parameters = list(inspect.signature(AutocompleteMixin.optgroups).parameters)
    assert parameters == ["self", "name", "value", "attr"]
    ours = list(inspect.signature(RowSearchBox.optgroups).parameters)
    assert ours == parameters


def test_a_cited_record_remembers_what_it_was_loaded_with_through_djangos_hook():
    """Model.from_db is Django's documented hook for keeping the values a record was
    loaded with ("Customizing model loading"); Cited relies on its signature."""
    parameters = list(inspect.signature(Model.from_db.__func__).parameters)
    assert parameters == ["cls", "db", "field_names", "values"]
    assert list(inspect.signature(Cited.from_db.__func__).parameters) == parameters


@pytest.mark.django_db
def test_the_status_pages_filter_orders_by_title_then_by_row_whatever_the_sort():
    """The filter, not the view, owns the order: the title by default, and the row last,
    so that a page of the list always holds the same rows."""
    for title in ("B", "C", "A"):
        factories.AgreementFactory(title=title)
    unsorted = AgreementFilter({}, queryset=Agreement.objects.all())
    assert unsorted.is_valid()
    assert unsorted.qs.query.order_by[-1] == "pk"
    assert list(unsorted.qs.values_list("title", flat=True)) == ["A", "B", "C"]

    by_status = AgreementFilter({"sort": "-status"}, queryset=Agreement.objects.all())
    assert by_status.is_valid()
    assert by_status.qs.query.order_by[-1] == "pk"


@pytest.mark.django_db
def test_django_simple_history_reads_its_enabled_setting_at_each_write():
    """history_not_recorded() switches the library's global setting off for a block, as
    it has no switch of its own for one: if the setting stops being read at each write
    (or is renamed), a block like load_records' would record rows it must not."""
    agreement = factories.AgreementFactory()
    topic = factories.TopicFactory()
    before = agreement.history.count()
    with history_not_recorded():
        agreement.topics.add(topic)  # loaddata sets many-to-many links like this
        agreement.save()
    assert agreement.history.count() == before
    assert not hasattr(settings, "SIMPLE_HISTORY_ENABLED")  # put back as it was
    agreement.topics.remove(topic)
    assert agreement.history.count() == before + 1
