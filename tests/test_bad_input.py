"""Whatever is typed into a URL, the answer is a page or a clear 4xx, never a 5xx."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Every parameter that any analysts' page reads.
PARAMETERS = {
    "/agreements/": [
        "q",
        "status",
        "kind",
        "party",
        "country",
        "topic",
        "responsible",
        "stalled",
        "overdue",
        "last_activity_after",
        "last_activity_before",
        "as_of",
        "sort",
        "page",
        "format",
    ],
    "/meetings/": ["date_after", "date_before", "place", "organization", "person", "topic", "page"],
    "/organizations/": ["page"],
    "/organizations/sco/": ["as_of"],
}

hostile = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "1e309",
            "NaN",
            "2013-02-30",
            "2013-13-01",
            "0000-00-00",
            "9999-12-31",
            "20/08/2013",
            "'; DROP TABLE x; --",
            "<script>",
            "%00",
            "\x00",
            "csv",
            "json",
            "-title",
            "--title",
            "title,-title",
            "on",
            "off",
            "true",
            "☃",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        ]
    ),
)


@pytest.mark.usefixtures("tashkent")
@pytest.mark.parametrize("path", list(PARAMETERS))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_parameter_value_makes_a_page_fail(analyst_client, path, data):
    names = PARAMETERS[path]
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=4))
    query = {name: data.draw(st.lists(hostile, min_size=1, max_size=2)) for name in chosen}
    response = analyst_client.get(path, query)
    assert response.status_code < 500, (path, query)
    if response.status_code >= 400:
        assert response.status_code in (400, 404), (path, query)
