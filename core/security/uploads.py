"""Upload checks (上传文件检查): a document must be what its extension says.

Wagtail checks a document's extension (WAGTAILDOCS_EXTENSIONS) and size
(WAGTAILDOCS_MAX_UPLOAD_SIZE), and opens every image with Pillow (WAGTAILIMAGES_EXTENSIONS, no
SVG). This form (WAGTAILDOCS_DOCUMENT_FORM_BASE) also sniffs the first bytes of a document, so
an HTML page or script renamed to .pdf/.txt/.docx is refused; served documents are downloads
with "X-Content-Type-Options: nosniff" and Wagtail's "Content-Security-Policy: default-src
'none'", so nothing uploaded runs in the site's origin.
"""

from __future__ import annotations

import re

from django import forms
from wagtail.documents.forms import BaseDocumentForm

ZIP = (b"PK\x03\x04",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "odt": ZIP,
}
TEXT_EXTENSIONS = {"txt", "csv"}
ACTIVE_CONTENT = re.compile(
    rb"<\s*(html|script|svg|iframe|object|embed|body|meta|!doctype)\b", re.IGNORECASE
)


def _is_mp4(head: bytes) -> bool:
    return head[4:8] == b"ftyp"


def _is_mp3(head: bytes) -> bool:
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def sniff_error(extension: str, head: bytes) -> str | None:
    """A Chinese reason if ``head`` (the first KBs) does not match ``extension``, else None."""
    ext = extension.lower()
    if ext in SIGNATURES:
        if not head.startswith(SIGNATURES[ext]):
            return f"文件内容不是 .{ext} 格式，请检查文件是否被改了扩展名。"
        return None
    if ext in ("mp4", "m4a"):
        return None if _is_mp4(head) else f"文件内容不是 .{ext} 音视频格式。"
    if ext == "mp3":
        return None if _is_mp3(head) else "文件内容不是 .mp3 音频格式。"
    if ext in TEXT_EXTENSIONS:
        if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "文本文件中含有二进制内容。"
        if ACTIVE_CONTENT.search(head):
            return "文本文件中含有网页或脚本代码，不能上传。"
        return None
    return None


class SniffedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "read") and "file" in self.changed_data:
            name = getattr(upload, "name", "") or ""
            extension = name.rsplit(".", 1)[-1] if "." in name else ""
            position = upload.tell() if hasattr(upload, "tell") else 0
            upload.seek(0)
            head = upload.read(8192)
            upload.seek(position)
            error = sniff_error(extension, head)
            if error:
                raise forms.ValidationError(error)
        return upload
