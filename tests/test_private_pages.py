"""What a signed-in person reads stays out of shared caches and the back-button cache.

Pages, exports and the admin hold data about ongoing negotiations: on a shared computer
or behind a shared proxy, none of it may be kept.
"""

from agreements.models import Agreement
from tests import factories
from tests.test_health_probe import database_unreachable
from tests.test_security import every_page


def cache_directives(response):
    return {
        directive.strip().split("=")[0].lower()
        for directive in response.get("Cache-Control", "").split(",")
        if directive.strip()
    }


def signed_in_responses(client):
    agreement = Agreement.objects.first()
    urls = [url for url in every_page() if url not in {"/accounts/login/", "/healthz"}]
    urls += [
        "/agreements/?format=json",
        "/agreements/?as_of=2014-06-01&format=csv",
        f"/admin/agreements/agreement/{agreement.pk}/history/",
        "/admin/agreements/agreement/deleted/",
        # Error pages too: they can name what was asked for.
        "/agreements/?as_of=not-a-day",
        "/agreements/999999/",
        "/no-such-page/",
    ]
    return {url: client.get(url) for url in urls}


def test_every_response_to_a_signed_in_person_is_private_and_not_stored(staff_client, tashkent):
    for url, response in signed_in_responses(staff_client).items():
        assert response.status_code in (200, 400, 404), url
        directives = cache_directives(response)
        assert {"private", "no-store"} <= directives, (url, response.get("Cache-Control"))
        assert "public" not in directives, url


def test_an_analysts_pages_and_exports_are_private_and_not_stored(analyst_client, tashkent):
    for url in ["/agreements/", "/agreements/?format=csv", "/organizations/sco/"]:
        response = analyst_client.get(url)
        assert {"private", "no-store"} <= cache_directives(response), url


def test_during_an_outage_a_signed_in_browsers_page_is_not_stored(client, db):
    # Who asks cannot be read from the session then: the page is kept private anyway.
    client.raise_request_exception = False
    client.force_login(factories.analyst())
    with database_unreachable():
        response = client.get("/agreements/")
    assert response.status_code == 503
    assert {"private", "no-store"} <= cache_directives(response)


def test_the_login_page_is_not_stored_either(client, db):
    # Django's login view already says so: it carries a CSRF token for one browser.
    assert "no-store" in cache_directives(client.get("/accounts/login/"))


def test_static_files_stay_cacheable_for_a_signed_in_person(analyst_client):
    # The stylesheet is the same for everyone and holds no records.
    response = analyst_client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "no-store" not in cache_directives(response)
    assert "private" not in cache_directives(response)
