"""The site in English and Bahasa Indonesia.

The language is the one chosen with the switch on every page (remembered in a cookie),
else the browser's. Records are shown as written; the site's own words, dates, admin
labels and export headers follow the language. The catalogues must translate every
message of ours, and compile with no GNU gettext.
"""

import csv
import gettext as python_gettext
import io
import shutil

import openpyxl
import pytest
from django.utils import translation

from cooperation import translations
from cooperation.partial_dates import PartialDate

INDONESIAN = "id-ID,id;q=0.9,en;q=0.8"


def indonesian(message, context=None):
    with translation.override("id"):
        return translation.pgettext(context, message) if context else translation.gettext(message)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


# The catalogues


def test_every_message_of_ours_has_an_indonesian_translation():
    missing = translations.untranslated("id")
    assert not missing, "No Indonesian translation for:\n" + "\n".join(
        f"  {path}: {message!r}" + (f" (context {context!r})" if context else "")
        for path, context, message in missing
    )


def test_the_check_names_a_message_nobody_translated(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "{% load i18n %}\n<h1>{% translate 'Agreements' %}</h1>\n"
        "    {% if shown %}\n"  # indented as markup is, which Python's tokenizer refuses
        "  <p>{% blocktranslate trimmed %}\n    A sentence added\n"
        "      without its translation{% endblocktranslate %}</p>\n"
        "    {% endif %}\n"
    )
    view = tmp_path / "view.py"
    view.write_text(
        "from django.utils.translation import gettext as _\n"
        "MESSAGE = _('Another sentence nobody translated')\n"
    )
    missing = translations.untranslated("id", sources=[page, view])
    assert [message for _path, _context, message in missing] == [
        "A sentence added without its translation",
        "Another sentence nobody translated",
    ]


def test_each_translation_keeps_the_placeholders_of_its_message():
    for path in translations.catalogue_files("id"):
        problems = [
            (message.id, [str(error) for error in errors])
            for message, errors in translations.read_catalogue(path).check()
        ]
        assert not problems, path


def test_the_catalogues_compile_where_gnu_gettext_is_missing(tmp_path, monkeypatch):
    catalogue = tmp_path / "id" / "LC_MESSAGES" / "django.po"
    catalogue.parent.mkdir(parents=True)
    shutil.copy(translations.catalogue_files("id")[0], catalogue)
    monkeypatch.setattr(translations, "CATALOGUE_DIRS", (tmp_path,))
    monkeypatch.setenv("PATH", str(tmp_path))  # no msgfmt to be found

    assert translations.compile_catalogues() == [catalogue.with_suffix(".mo")]
    with catalogue.with_suffix(".mo").open("rb") as compiled:
        read_back = python_gettext.GNUTranslations(compiled)
    first = next(m for m in translations.read_catalogue(catalogue) if m.id and m.string)
    message = first.id[0] if isinstance(first.id, tuple) else first.id
    expected = first.string[0] if isinstance(first.string, tuple) else first.string
    key = f"{first.context}\x04{message}" if first.context else message
    assert read_back.gettext(key) == expected
    # Compiled once: a second run leaves an unchanged catalogue alone.
    assert translations.compile_catalogues() == []


# Choosing the language


@pytest.mark.django_db
def test_anonymous_users_get_the_login_page_in_their_browsers_language(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=INDONESIAN).content.decode()
    assert '<html lang="id">' in page
    assert indonesian("Log in") != "Log in"
    assert indonesian("Log in") in page
    english = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="en-gb">' in english.content.decode()


@pytest.mark.parametrize("role", ["analyst", "staff"])
@pytest.mark.parametrize("path", ["/agreements/", "/meetings/", "/organizations/", "/people/"])
def test_signed_in_users_read_the_pages_in_indonesian(client, tashkent, role, path, request):
    client.force_login(request.getfixturevalue(role))
    page = client.get(path, HTTP_ACCEPT_LANGUAGE=INDONESIAN).content.decode()
    assert '<html lang="id">' in page
    for english in ("Agreements", "Meetings", "Organizations", "People", "Language"):
        assert indonesian(english) != english
        assert indonesian(english) in page
    assert ">Agreements<" not in page


def test_the_switch_remembers_the_choice_on_every_page(analyst_client, tashkent):
    page = analyst_client.get("/meetings/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert '<input type="hidden" name="next" value="/meetings/">' in page

    response = analyst_client.post("/i18n/setlang/", {"language": "id", "next": "/meetings/"})
    assert response.status_code == 302
    assert response["Location"] == "/meetings/"
    assert response.cookies["django_language"].value == "id"
    # Remembered, whatever the browser asks for, on each page.
    for path in ("/meetings/", "/agreements/", "/organizations/sco/", "/people/"):
        page = analyst_client.get(path, HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
        assert '<html lang="id">' in page, path

    analyst_client.post("/i18n/setlang/", {"language": "en-gb", "next": "/meetings/"})
    assert '<html lang="en-gb">' in analyst_client.get("/meetings/").content.decode()


@pytest.mark.django_db
def test_the_switch_refuses_a_language_it_does_not_have_and_a_foreign_next(client):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "django_language" not in response.cookies
    response = client.post("/i18n/setlang/", {"language": "id", "next": "https://example.com/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_switch_is_on_the_admin_pages(staff_client, tashkent):
    staff_client.cookies["django_language"] = "id"
    page = staff_client.get("/admin/agreements/agreement/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert '<html lang="id"' in page


# What follows the language


def test_dates_read_in_the_language_and_records_as_written(analyst_client, tashkent):
    assert str(PartialDate(2013, 8, 20)) == "20 August 2013"
    with translation.override("id"):
        assert str(PartialDate(2013, 8, 20)) == "20 Agustus 2013"
        assert str(PartialDate(2013, 8)) == "Agustus 2013"
        assert str(PartialDate(2011)) == "2011"

    analyst_client.cookies["django_language"] = "id"
    page = analyst_client.get("/organizations/sco/").content.decode()
    assert "Agustus 2013" in page
    # Records are not translated: the organization keeps its name as recorded.
    assert "Shanghai Cooperation Organization" in page


def read_csv(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("path", ["/agreements/", "/meetings/", "/organizations/sco/countries.csv"])
def test_export_headers_follow_the_language(analyst_client, tashkent, path):
    url = path if path.endswith(".csv") else path + "?format=csv"
    english = read_csv(analyst_client.get(url))
    analyst_client.cookies["django_language"] = "id"
    indonesian_rows = read_csv(analyst_client.get(url))

    assert indonesian_rows[0] == [indonesian(header) for header in english[0]]
    assert sum(a != b for a, b in zip(english[0], indonesian_rows[0], strict=True)) >= 3
    assert len(indonesian_rows) == len(english)


def test_the_workbook_headers_follow_the_language(analyst_client, tashkent):
    analyst_client.cookies["django_language"] = "id"
    response = analyst_client.get("/agreements/?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    headers = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert indonesian("Agreement") in headers
    assert indonesian("Parties") in headers
    assert "Agreement" not in headers


def test_the_admin_speaks_indonesian(staff_client, tashkent):
    staff_client.cookies["django_language"] = "id"
    page = staff_client.get("/admin/agreements/agreement/add/").content.decode()
    # Django's own admin words, and ours: the model's name and a field's help text.
    assert indonesian("Save") in page
    with translation.override("id"):
        from agreements.models import Agreement

        name = str(Agreement._meta.verbose_name)
        help_texts = [str(f.help_text) for f in Agreement._meta.fields if f.help_text]
    assert name != "agreement"
    assert name.lower() in page.lower()
    assert help_texts and all(text in page for text in help_texts[:1])


def test_a_page_costs_no_more_queries_in_indonesian(
    analyst_client, tashkent, django_assert_max_num_queries
):
    analyst_client.get("/agreements/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as english:
        analyst_client.get("/agreements/")
    analyst_client.cookies["django_language"] = "id"
    with django_assert_max_num_queries(len(english.captured_queries)):
        analyst_client.get("/agreements/")


def test_a_csv_file_keeps_its_language_to_the_last_row(analyst_client, tashkent):
    analyst_client.cookies["django_language"] = "id"
    response = analyst_client.get("/agreements/?format=csv")
    translation.activate("en-gb")  # as another request on this thread would, while it streams
    rows = read_csv(response)
    status = rows[0].index(indonesian("Status"))
    assert {row[status] for row in rows[1:]} == {indonesian("Follow-up requested")}
