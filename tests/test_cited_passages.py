"""A cited passage must occur word for word in its source, whatever the spacing; one that
cannot be checked (its source has no text) is kept."""

import pytest
from django.core.exceptions import ValidationError

from cooperation.models import Citation
from tests.factories import AgreementEventFactory, AgreementFactory, SourceFactory
from tests.validation import assert_valid

pytestmark = pytest.mark.django_db


def cited_event(source, passage):
    """A citation, not yet saved, of an event: the passage it quotes from `source`."""
    event = AgreementEventFactory(agreement=AgreementFactory(), date="2013")
    return Citation(event=event, source=source, passage=passage)


def test_a_passage_that_is_not_in_its_source_is_refused():
    source = SourceFactory(title="Tashkent report")
    event = cited_event(source, "The parties signed the MOU.")
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert excinfo.value.message_dict == {
        "passage": ["These words do not occur in “Tashkent report”. Quote it exactly."]
    }


def test_a_passage_is_matched_whatever_the_spacing():
    source = SourceFactory(text="The parties met\nand agreed  to continue their cooperation.")
    assert_valid(cited_event(source, "  The parties met and agreed to continue "))
    assert_valid(cited_event(source, "met and\n\tagreed to"))


def test_a_passage_is_matched_word_for_word():
    source = SourceFactory(text="The parties met and agreed to continue their cooperation.")
    with pytest.raises(ValidationError):
        cited_event(source, "the parties met").full_clean()  # not the same letters
    with pytest.raises(ValidationError):
        cited_event(source, "The parties met and agreed to stop").full_clean()


def test_a_passage_without_a_source_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        cited_event(None, "The parties met.").full_clean()
    assert excinfo.value.message_dict == {"source": ["Name the source this citation quotes."]}


def test_a_passage_from_a_source_without_its_text_cannot_be_checked_and_is_kept():
    source = SourceFactory(text="")
    assert_valid(cited_event(source, "Anything at all."))


def test_a_source_may_be_cited_without_a_passage():
    assert_valid(cited_event(SourceFactory(), ""))
