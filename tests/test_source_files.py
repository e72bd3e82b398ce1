"""A source's original file: uploaded in the admin as .txt, .docx or a PDF with text, its
text taken into the source (unless staff type one), every bad file refused with a
message, and the file kept and downloaded by those who may read sources."""

import codecs
import io
import zipfile

import docx
import pypdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperation import source_files
from cooperation.models import Source
from tests import factories
from tests.admin_forms import admin_url, errors_on_page, form_values

# Quoted by records of the Tashkent report (tests/test_source_text_edits.py).
REQUEST = (
    "He therefore, requested the good offices and assistance from Ambassador Asruchin "
    "to facilitate the follow-up of the said MOUs."
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files the tests upload go to a folder of their own, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_kept(media_root):
    return sorted(path.name for path in media_root.rglob("*") if path.is_file())


def pdf_with_text(*pages):
    """A PDF with one page for each of `pages`, its lines drawn as text, as a word
    processor writes one (pypdf reads text but does not lay it out)."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    kids = []
    for number, text in enumerate(pages, start=2):
        page, content = 2 * number, 2 * number + 1
        lines = [line.encode().replace(b"(", rb"\(").replace(b")", rb"\)") for line in text]
        drawn = b" T* ".join(b"(" + line + b") Tj" for line in lines)
        stream = b"BT /F1 12 Tf 14 TL 72 720 Td " + drawn + b" ET"
        objects[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content
        )
        objects[content] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        kids.append(b"%d 0 R" % page)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number in range(1, max(objects) + 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1,
        xref,
    )
    return bytes(pdf)


def scanned_pdf():
    """A PDF whose page holds no text, as a scanner makes one."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(user_password):
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf_with_text(["Minutes of the meeting."])))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def word_document(*paragraphs, table=None, merged=False):
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in enumerate(table):
            for column, text in enumerate(cells):
                grid.cell(row, column).text = text
        if merged:
            grid.cell(0, 0).merge(grid.cell(0, 1))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_of(**members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def add_source(client, upload=None, **fields):
    """Save the admin's add-source form with `upload` as the file."""
    url = admin_url(Source, "add")
    data = form_values(client.get(url))
    data.update(title="Minutes of the Tashkent meeting", slug="tashkent-minutes")
    if upload is not None:
        data["file"] = upload
    data.update(fields)
    return client.post(url, data)


def change_source(client, source, upload, **fields):
    url = admin_url(Source, "change", source.pk)
    data = form_values(client.get(url))
    data["file"] = upload
    data.update(fields)
    return client.post(url, data)


def saved_source():
    return Source.objects.get(slug="tashkent-minutes")


@pytest.mark.parametrize(
    "content",
    [
        "Minutes of the meeting.\nThe café was closed.".encode(),
        codecs.BOM_UTF8 + "Minutes of the meeting.\nThe café was closed.".encode(),
        "Minutes of the meeting.\r\nThe café was closed.".encode("cp1252"),
        "Minutes of the meeting.\nThe café was closed.".encode("utf-16"),
    ],
    ids=["UTF-8", "UTF-8 with a byte order mark", "Windows-1252", "UTF-16"],
)
def test_a_text_file_fills_the_text(staff_client, media_root, content):
    response = add_source(staff_client, SimpleUploadedFile("minutes.txt", content))
    assert response.status_code == 302, errors_on_page(response)
    source = saved_source()
    assert source.text == "Minutes of the meeting.\nThe café was closed."
    assert source.file_name == "minutes.txt"
    assert files_kept(media_root) == ["minutes.txt"]
    with source.file.open("rb") as kept:
        assert kept.read() == content


def test_a_word_document_fills_the_text_with_its_paragraphs_and_tables(staff_client):
    content = word_document(
        "Minutes of the meeting.",
        "The parties agreed on two drafts:",
        table=[["MOU", "Parties"], ["Draft 1", "RATS-SCO and BNPT"]],
    )
    response = add_source(staff_client, SimpleUploadedFile("minutes.docx", content))
    assert response.status_code == 302, errors_on_page(response)
    assert saved_source().text == (
        "Minutes of the meeting.\nThe parties agreed on two drafts:\n"
        "MOU\nParties\nDraft 1\nRATS-SCO and BNPT"
    )


def test_a_merged_table_cell_is_read_once(staff_client):
    content = word_document(table=[["Heading", ""], ["Left", "Right"]], merged=True)
    response = add_source(staff_client, SimpleUploadedFile("minutes.docx", content))
    assert response.status_code == 302, errors_on_page(response)
    assert saved_source().text == "Heading\nLeft\nRight"


def test_a_pdf_fills_the_text_page_by_page(staff_client, media_root):
    content = pdf_with_text(
        ["Minutes of the meeting.", "Held in Tashkent."], ["The parties met again."]
    )
    assert "Held in Tashkent." in pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
    response = add_source(staff_client, SimpleUploadedFile("minutes.pdf", content))
    assert response.status_code == 302, errors_on_page(response)
    assert saved_source().text == (
        "Minutes of the meeting.\nHeld in Tashkent.\n\nThe parties met again."
    )
    assert files_kept(media_root) == ["minutes.pdf"]


def test_a_pdf_that_only_restricts_printing_needs_no_password_and_is_read(staff_client):
    content = encrypted_pdf(user_password="")
    response = add_source(staff_client, SimpleUploadedFile("minutes.pdf", content))
    assert response.status_code == 302, errors_on_page(response)
    assert saved_source().text == "Minutes of the meeting."


def test_a_text_typed_in_the_same_save_is_kept(staff_client, media_root):
    upload = SimpleUploadedFile("minutes.txt", b"The text of the file.")
    response = add_source(staff_client, upload, text="The text staff typed.")
    assert response.status_code == 302, errors_on_page(response)
    source = saved_source()
    assert source.text == "The text staff typed."
    assert source.file_name == "minutes.txt"


def test_a_file_uploaded_on_a_change_page_replaces_the_text_unless_staff_typed_one(
    staff_client, media_root
):
    source = factories.SourceFactory(text="The first text.")
    upload = SimpleUploadedFile("second.txt", b"The second text.")
    response = change_source(staff_client, source, upload)
    assert response.status_code == 302, errors_on_page(response)
    source.refresh_from_db()
    assert (source.text, source.file_name) == ("The second text.", "second.txt")

    upload = SimpleUploadedFile("third.txt", b"The third text.")
    response = change_source(staff_client, source, upload, text="Typed over.")
    assert response.status_code == 302, errors_on_page(response)
    source.refresh_from_db()
    assert (source.text, source.file_name) == ("Typed over.", "third.txt")


def test_a_text_sent_back_with_a_browsers_line_breaks_counts_as_untouched(staff_client):
    source = factories.SourceFactory(text="The first line.\nThe second line.")
    upload = SimpleUploadedFile("new.txt", b"A new text.")
    response = change_source(
        staff_client, source, upload, text="The first line.\r\nThe second line."
    )
    assert response.status_code == 302, errors_on_page(response)
    source.refresh_from_db()
    assert source.text == "A new text."


BAD_FILES = {
    "another kind": ("minutes.rtf", b"{\\rtf1 Minutes}", "is not a .txt, .docx or .pdf file"),
    "a program": ("minutes.exe", b"MZ\x90\x00", "is not a .txt, .docx or .pdf file"),
    "a scan": ("scan.pdf", scanned_pdf(), "it may be a scanned image"),
    "a damaged PDF": (
        "minutes.pdf",
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\n%%garbage",
        "could not be read as a PDF",
    ),
    "a PDF cut short": (
        "minutes.pdf",
        pdf_with_text(["Minutes of the meeting."])[:40],
        "could not be read as a PDF",
    ),
    "a PDF with a password": (
        "minutes.pdf",
        encrypted_pdf(user_password="secret"),
        "is encrypted or protected by a password",
    ),
    "text named .pdf": ("minutes.pdf", b"Minutes of the meeting.", "is not a PDF file"),
    "text named .docx": (
        "minutes.docx",
        b"Minutes of the meeting.",
        "could not be read as a Word document",
    ),
    "an old Word file named .docx": (
        "minutes.docx",
        bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 100,
        "is an older Word (.doc) file",
    ),
    "a zip that is not a Word document": (
        "minutes.docx",
        zip_of(**{"notes.txt": "Minutes of the meeting."}),
        "could not be read as a Word document",
    ),
    "a damaged zip": (
        "minutes.docx",
        zip_of(**{"word/document.xml": "<w:document/>" * 50})[:60],
        "could not be read as a Word document",
    ),
    "a Word document without text": ("minutes.docx", word_document(), "has no text in it"),
    "a PDF named .txt": (
        "minutes.txt",
        pdf_with_text(["Minutes of the meeting."]),
        "is a PDF file, not plain text",
    ),
    "binary data named .txt": ("minutes.txt", b"GIF89a\x01\x00\x00\x00", "is not plain text"),
    "text in no known encoding": ("minutes.txt", b"Minutes \x81\x8d\x90", "not readable text"),
    "a text of blanks": ("minutes.txt", b"  \n\t\n", "has no text in it"),
}


@pytest.mark.parametrize("name, content, message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_saying_why_and_nothing_is_saved(
    staff_client, media_root, name, content, message
):
    response = add_source(staff_client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    errors = " ".join(errors_on_page(response))
    assert message in errors
    assert name in errors
    assert not Source.objects.exists()
    assert files_kept(media_root) == []


def test_a_file_over_the_size_limit_is_refused(staff_client, media_root):
    content = b"Minutes. " * (source_files.MAX_SIZE // 9 + 1)
    response = add_source(staff_client, SimpleUploadedFile("minutes.txt", content))
    assert response.status_code == 200
    assert "a file can be 20.0\xa0MB at most" in " ".join(errors_on_page(response))
    assert not Source.objects.exists()
    assert files_kept(media_root) == []


def test_a_word_document_that_unpacks_to_too_much_is_refused(staff_client, monkeypatch):
    monkeypatch.setattr(source_files, "MAX_UNPACKED_SIZE", 1000)
    content = word_document("Minutes of the meeting. " * 100)
    response = add_source(staff_client, SimpleUploadedFile("minutes.docx", content))
    assert response.status_code == 200
    assert "more than a document holds" in " ".join(errors_on_page(response))
    assert not Source.objects.exists()


@pytest.fixture
def report(tashkent):
    return Source.objects.get(slug="tashkent-2013-report")


def test_a_file_whose_text_leaves_out_a_quoted_passage_is_refused(staff_client, media_root, report):
    stored = Source.objects.values("text", "file", "version").get(pk=report.pk)
    upload = SimpleUploadedFile("report.txt", report.text.replace(REQUEST, "").encode())
    response = change_source(staff_client, report, upload)
    assert response.status_code == 200
    errors = " ".join(errors_on_page(response))
    assert "The text of this file was not taken." in errors
    assert "would no longer occur" in errors
    follow_up = report.citations.filter(passage=REQUEST, follow_up__isnull=False).first()
    assert f'href="{admin_url(type(follow_up.follow_up), "change", follow_up.follow_up.pk)}"' in (
        response.text
    )
    assert Source.objects.values("text", "file", "version").get(pk=report.pk) == stored
    assert files_kept(media_root) == []


def test_a_file_that_keeps_every_quoted_passage_replaces_the_text(staff_client, report):
    new_text = report.text + "\n\nA note added later by the Embassy."
    upload = SimpleUploadedFile("report.txt", new_text.encode())
    response = change_source(staff_client, report, upload)
    assert response.status_code == 302, errors_on_page(response)
    report.refresh_from_db()
    assert report.text == new_text.strip()
    assert report.file_name == "report.txt"


def source_with_file(name="minutes.pdf", content=None):
    content = content or pdf_with_text(["Minutes of the meeting."])
    return factories.SourceFactory(file=ContentFile(content, name=name))


def test_the_change_page_links_to_the_download(staff_client):
    source = source_with_file()
    response = staff_client.get(admin_url(Source, "change", source.pk))
    download = reverse("source_file", args=[source.pk])
    assert f'<a href="{download}">minutes.pdf</a>' in response.text


def test_the_view_only_page_links_to_the_download_too(analyst_client):
    source = source_with_file()
    response = analyst_client.get(admin_url(Source, "change", source.pk))
    assert response.status_code == 200
    download = reverse("source_file", args=[source.pk])
    assert f'<a href="{download}">minutes.pdf</a>' in response.text


@pytest.mark.parametrize("signed_in", ["analyst_client", "staff_client"])
def test_analysts_and_staff_download_the_original_file(request, signed_in):
    client = request.getfixturevalue(signed_in)
    content = pdf_with_text(["Minutes of the meeting."])
    source = source_with_file("minutes.pdf", content)
    response = client.get(reverse("source_file", args=[source.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
    assert response["Content-Type"] == "application/pdf"


def test_a_source_without_a_file_has_nothing_to_download(analyst_client):
    source = factories.SourceFactory()
    assert analyst_client.get(reverse("source_file", args=[source.pk])).status_code == 404
    assert analyst_client.get(reverse("source_file", args=[source.pk + 1])).status_code == 404


def test_a_file_missing_from_the_storage_is_not_found(analyst_client):
    source = source_with_file()
    source.file.storage.delete(source.file.name)
    assert analyst_client.get(reverse("source_file", args=[source.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    source = source_with_file()
    response = client.get(reverse("source_file", args=[source.pk]))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_an_account_without_a_role_may_not_download(client, db):
    client.force_login(factories.UserFactory(username="visitor", is_staff=False))
    source = source_with_file()
    assert client.get(reverse("source_file", args=[source.pk])).status_code == 403


def test_analysts_see_a_source_with_its_file_as_a_download_link(analyst_client, db):
    source = factories.SourceFactory(text="")
    source.file.save("report.txt", ContentFile(b"The delegations met."), save=False)
    source.save()
    response = analyst_client.get(f"/admin/cooperation/source/{source.pk}/change/")
    assert response.status_code == 200
    assert f'href="/sources/{source.pk}/file/"' in response.content.decode()
    assert 'type="file"' not in response.content.decode()
