"""A printed list says which filters, and which day, produced it."""

import re

import pytest

pytestmark = pytest.mark.django_db


def said_in_print(response):
    html = response.content.decode()
    (paragraph,) = re.findall(r'<p class="print-only filters-applied">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", paragraph)


def test_the_printed_status_page_names_its_filters_and_its_day(analyst_client, tashkent):
    response = analyst_client.get(
        "/agreements/",
        {"party": "SCO", "status": ["draft_agreed"], "topic": "terrorism", "as_of": "2014-06-01"},
    )
    assert response.status_code == 200
    said = said_in_print(response)
    assert "Status: Draft agreed" in said
    assert "Party: SCO" in said
    assert "Topic: Terrorism" in said
    assert "1 June 2014" in said


def test_an_unfiltered_printed_list_says_so(analyst_client, tashkent):
    for url in ("/agreements/", "/meetings/"):
        assert said_in_print(analyst_client.get(url)).startswith("Not filtered: every record.")


def test_the_printed_meetings_list_names_its_filters(staff_client, tashkent):
    said = said_in_print(staff_client.get("/meetings/", {"place": "Tashkent"}))
    assert said.startswith("Filtered by Place: Tashkent.")
