"""Uploads: documents sniffed against their extension, images checked by Pillow, no SVG;
served documents cannot run in the site's origin."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


def upload_document(client, name, content):
    return client.post(
        "/admin/documents/add/",
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def png_bytes():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("通知.pdf", b"<html><script>alert(1)</script></html>"),
        ("名单.xlsx", b"%PDF-1.4 not a zip"),
        ("说明.txt", b"hello <script>alert(document.cookie)</script>"),
        ("数据.csv", b"a,b\n<svg onload=alert(1)>"),
        ("音频.mp3", b"<html></html>"),
        ("图.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("脚本.html", b"<html></html>"),
    ],
)
def test_disguised_documents_are_refused(client, admin_user, name, content):
    client.force_login(admin_user)
    response = upload_document(client, name, content)
    assert response.status_code == 200  # the form again, with an error
    assert get_document_model().objects.count() == 0


def test_genuine_documents_are_accepted(client, admin_user):
    client.force_login(admin_user)
    for name, content in (("通知.pdf", b"%PDF-1.4\n%test\n"), ("说明.txt", "普法".encode())):
        response = upload_document(client, name, content)
        assert response.status_code == 302, response.content.decode()[:2000]
    assert get_document_model().objects.count() == 2


def test_served_documents_cannot_run_in_our_origin(client, admin_user):
    client.force_login(admin_user)
    upload_document(client, "通知.pdf", b"%PDF-1.4\n%test\n")
    document = get_document_model().objects.get()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_images_are_checked_by_pillow_and_svg_refused(client, admin_user):
    client.force_login(admin_user)
    for name, content in (
        ("假图.png", b"<html><script>alert(1)</script></html>"),
        ("矢量.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
    ):
        client.post(
            "/admin/images/add/",
            {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1},
        )
    assert get_image_model().objects.count() == 0
    response = client.post(
        "/admin/images/add/",
        {"title": "真图", "file": SimpleUploadedFile("真图.png", png_bytes()), "collection": 1},
    )
    assert response.status_code == 302
    assert get_image_model().objects.count() == 1


def test_upload_size_limits_are_set(settings):
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE <= 10 * 1024 * 1024
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE <= 50 * 1024 * 1024
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS
    assert "svg" not in settings.WAGTAILDOCS_EXTENSIONS
    assert "html" not in settings.WAGTAILDOCS_EXTENSIONS
