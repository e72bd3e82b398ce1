"""Whatever is typed into an admin URL, the answer is a page, a redirect or a clear 4xx, never
a 5xx: every list's query string, every autocomplete, every URL that carries an id."""

from functools import cache
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, URLPattern, URLResolver, reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.test_bad_input import hostile

ROLES = ["analyst", "staff"]
# The admin's own answers to what it cannot read: a list redirects to `?e=1`, a change
# page of a record that does not exist to the index; a role without the right gets 403.
EXPECTED = {200, 302, 400, 403, 404, 405}
# Parameters every admin list reads besides its filters, and some it does not know.
LIST_PARAMETERS = ["q", "o", "p", "e", "all", "_popup", "_to_field", "pk", "id__in", "unknown"]
# Where a URL carries ids: placeholders that any converter accepts, swapped for hostile text.
OBJECT, VERSION = "424242", "434343"

hostile_id = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "1",
            "2",
            "0",
            "-1",
            "abc",
            "1.5",
            "1e3",
            " 1",
            "1_5F",
            "99999999999999999999",
            "9223372036854775808",
            "%00",
            "\x00",
            "../1",
            "☃",
        ]
    ),
)

# One value in five with a null character, which PostgreSQL refuses anywhere: an example
# puts several values in each of the lists, so that every example has some.
hostile_value = st.tuples(hostile, st.integers(0, 4)).map(
    lambda drawn: f"{drawn[0]}\x00" if drawn[1] == 0 else drawn[0]
)

# Modest: each example requests every list, every search box or every URL with an id.
SETTINGS = settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(params=ROLES)
def role_client(request, client, tashkent):
    client.force_login(getattr(factories, request.param)())
    return client


@cache
def list_parameters():
    """{admin list URL: the parameters it reads}: those of its filters, as the admin itself
    builds them, the names of its model's fields (a list filters on any of them), and
    those of every list."""
    request = RequestFactory().get("/")
    request.user = factories.administrator()
    parameters = {}
    for model, model_admin in admin.site._registry.items():
        changelist = model_admin.get_changelist_instance(request)
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        filters = [name for spec in changelist.filter_specs for name in spec.expected_parameters()]
        fields = [field.name for field in model._meta.concrete_fields]
        parameters[url] = filters + fields + LIST_PARAMETERS
    return parameters


def autocomplete_endpoints():
    """(app_label, model_name, field_name) of every search box of every admin page and row."""
    endpoints = set()
    for model_admin in admin.site._registry.values():
        for admin_class in [model_admin, *model_admin.inlines]:
            model = admin_class.model
            for field in admin_class.autocomplete_fields:
                endpoints.add((model._meta.app_label, model._meta.model_name, field))
    return sorted(endpoints)


def urls_with_ids(patterns=None, namespace="admin"):
    """Every named admin URL that carries an id, with OBJECT and VERSION in their places."""
    if patterns is None:
        patterns = admin.site.get_urls()
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += urls_with_ids(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            ids = [OBJECT, VERSION][: pattern.pattern.regex.groups]
            if ids:
                try:
                    found.append(reverse(f"{namespace}:{pattern.name}", args=ids))
                except NoReverseMatch:  # it takes a name, not an id (an app's label)
                    continue
    return sorted(set(found))


def assert_answers_clearly(response, what):
    assert response.status_code < 500, what
    assert response.status_code in EXPECTED, (response.status_code, what)


def test_every_registered_admin_is_covered(db):
    """The lists below are built from the admin site itself, so a new admin is tested too."""
    factories.ensure_countries()
    assert len(list_parameters()) == len(admin.site._registry)
    assert ("agreements", "agreementparty", "organization") in autocomplete_endpoints()
    assert f"/admin/agreements/agreement/{OBJECT}/history/{VERSION}/" in urls_with_ids()
    assert f"/admin/agreements/agreement/deleted/{OBJECT}/restore/" in urls_with_ids()


@SETTINGS
@given(data=st.data())
def test_no_query_string_makes_an_admin_list_fail(role_client, data):
    for url, parameters in list_parameters().items():
        names = data.draw(st.lists(st.sampled_from(parameters) | st.text(max_size=8), max_size=4))
        query = {name: data.draw(st.lists(hostile_value, min_size=1, max_size=2)) for name in names}
        response = role_client.get(url, query)
        assert_answers_clearly(response, (url, query))


@SETTINGS
@given(term=hostile_value, page=st.none() | hostile_value)
@example(term="\x00", page=None)
@example(term="x" * 1000, page="99999999999999999999")
def test_no_term_makes_an_autocomplete_fail(role_client, term, page):
    for app_label, model_name, field_name in autocomplete_endpoints():
        query = {
            "app_label": app_label,
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        }
        if page is not None:
            query["page"] = page
        response = role_client.get("/admin/autocomplete/", query)
        assert_answers_clearly(response, query)


@SETTINGS
@given(object_id=hostile_id, version_id=hostile_id, method=st.sampled_from(["get", "post"]))
@example(object_id="1", version_id="abc", method="get")
@example(object_id="abc", version_id="1", method="post")
def test_no_id_makes_an_admin_url_fail(role_client, object_id, version_id, method):
    for template in urls_with_ids():
        url = template.replace(OBJECT, quote(object_id, safe="")).replace(
            VERSION, quote(version_id, safe="")
        )
        response = getattr(role_client, method)(url)
        assert_answers_clearly(response, (method, url))


def add_page_parameters():
    """{add page URL: the names of its model's fields}: an add page takes initial values
    from its address (?meeting=3)."""
    return {
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"): [
            field.name for field in model._meta.get_fields() if not field.auto_created
        ]
        for model in admin.site._registry
    }


@SETTINGS
@given(data=st.data())
def test_no_query_string_makes_an_admin_add_page_fail(staff_client, tashkent, data):
    for url, fields in add_page_parameters().items():
        names = data.draw(st.lists(st.sampled_from(fields) | st.text(max_size=8), max_size=4))
        query = {name: data.draw(hostile_value) for name in names}
        response = staff_client.get(url, query)
        assert_answers_clearly(response, (url, query))


# What was found by hand, each answered clearly whatever the database.
@pytest.mark.usefixtures("tashkent")
@pytest.mark.parametrize(
    "url, status, message",
    [
        ("/admin/agreements/agreement/?kind__exact=%00", 400, "null character"),
        ("/admin/agreements/agreement/?%00=1", 400, "null character"),
        (
            "/admin/autocomplete/?app_label=agreements&model_name=agreement"
            "&field_name=topics&term=%00",
            400,
            "null character",
        ),
        ("/admin/agreements/agreementevent/?version=", 400, ""),
        ("/admin/cooperation/source/?version__gt=abc", 400, ""),
        ("/admin/agreements/agreement/?id=99999999999999999999", 400, ""),
        ("/admin/agreements/agreementevent/?agreement__id__in=1,99999999999999999999", 400, ""),
        ("/admin/agreements/agreement/?id=1", 200, ""),
        ("/admin/agreements/agreement/1/history/abc/", 404, ""),
        ("/admin/agreements/agreement/abc/history/", 404, ""),
        ("/admin/agreements/agreement/abc/history/1/", 404, ""),
        ("/admin/agreements/agreement/%00/change/", 400, "null character"),
        ("/admin/agreements/agreement/add/?topics=abc", 200, ""),
        ("/admin/agreements/agreement/add/?topics=99999999999999999999", 200, ""),
        ("/admin/agreements/agreement/add/?source=abc", 200, ""),
        ("/admin/agreements/agreementevent/add/?meeting=abc", 200, ""),
        ("/admin/cooperation/organization/add/?parent=1,2", 200, ""),
    ],
)
def test_what_was_found_is_answered_clearly(staff_client, url, status, message):
    response = staff_client.get(url)
    assert response.status_code == status
    assert message in response.text


@pytest.mark.parametrize(
    "url",
    ["/admin/auth/user/?id__gte=99999999999999999999", "/admin/axes/accessattempt/?id=-1e30"],
)
def test_other_apps_lists_refuse_a_number_out_of_range_too(admin_client, url):
    assert admin_client.get(url).status_code == 400


@pytest.mark.usefixtures("tashkent")
def test_form_data_with_a_null_character_is_refused_before_any_query(
    staff_client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = staff_client.post("/admin/cooperation/topic/add/", {"name": "Trade\x00"})
    assert response.status_code == 400
    assert "null character" in response.text


def test_a_cookie_with_a_null_character_is_refused_before_the_session_is_read(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/agreements/", headers={"Cookie": "sessionid=abcdefgh\x00ijkl"})
    assert response.status_code == 400
    assert "null character" in response.text
