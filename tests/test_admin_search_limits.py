"""The admin's searches are bounded like the site's: a list's search box and every
autocomplete refuse a search of too many words or characters, before searching."""

from agreements.models import Agreement
from cooperation.forms import MAX_WORDS
from cooperation.models import Source
from tests.admin_forms import admin_url

TOO_MANY_WORDS = " ".join(["terrorism"] * (MAX_WORDS + 1))


def test_a_list_search_of_too_many_words_is_not_run_and_says_why(staff_client, tashkent):
    response = staff_client.get(admin_url(Source, "changelist"), {"q": TOO_MANY_WORDS})
    assert response.status_code == 200
    assert f"Not searched: Type at most {MAX_WORDS} words" in response.text
    assert list(response.context["cl"].result_list) == []


def test_a_list_search_within_the_limits_finds_as_before(staff_client, tashkent):
    response = staff_client.get(admin_url(Agreement, "changelist"), {"q": "BNPT"})
    assert "Not searched" not in response.text
    assert len(response.context["cl"].result_list) == 1


def test_an_autocomplete_term_of_too_many_words_finds_nothing_without_searching(
    staff_client, tashkent
):
    query = {
        # The source box of a citation, on every cited record's page.
        "app_label": "cooperation",
        "model_name": "citation",
        "field_name": "source",
        "term": " ".join(["Tashkent"] * (MAX_WORDS + 1)),  # each word would find the report
    }
    response = staff_client.get("/admin/autocomplete/", query)
    assert response.status_code == 200
    assert response.json()["results"] == []
    # No message waits for the next page: the box itself shows no results.
    page = staff_client.get(admin_url(Source, "changelist"))
    assert "Not searched" not in page.text
