"""Certificates (证书): one per passed attempt, rendered to PNG and PDF with Pillow.

The CJK font is ``settings.MINGBAI_CJK_FONT`` or, failing that, Noto Sans CJK SC found with
fontconfig or at Debian's paths (package ``fonts-noto-cjk``)."""

from __future__ import annotations

import io
import os
import secrets
import shutil
import subprocess
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from exams.models import Attempt, AttemptState, Certificate

DEBIAN_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@lru_cache(maxsize=4)
def _find_font(configured: str) -> str:
    if configured:
        if not os.path.exists(configured):
            raise ImproperlyConfigured(f"MINGBAI_CJK_FONT 指定的字体文件不存在：{configured}")
        return configured
    if shutil.which("fc-match"):
        try:
            found = subprocess.run(
                ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"],
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found and "CJK" in found and os.path.exists(found):
            return found
    for path in DEBIAN_FONTS:
        if os.path.exists(path):
            return path
    raise ImproperlyConfigured(
        "找不到中文字体，无法生成证书：请安装 Debian 软件包 fonts-noto-cjk，或用 MINGBAI_CJK_FONT 指定字体文件。"
    )


def cjk_font_path() -> str:
    return _find_font(getattr(settings, "MINGBAI_CJK_FONT", "") or "")


def mask_name(name: str) -> str:
    """张三 → 张*，欧阳娜娜 → 欧**娜."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def verify_url(code: str) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return base + reverse("certificate_verify", args=[code])


def render_certificate(cert: Certificate) -> tuple[bytes, bytes]:
    """(PNG bytes, PDF bytes) of a certificate."""
    import qrcode
    from PIL import Image, ImageDraw, ImageFont

    font_path = cjk_font_path()
    # Noto CJK collections hold JP, KR, SC, TC, HK faces; index 2 is Simplified Chinese.
    index = 2 if os.path.basename(font_path).startswith(("NotoSansCJK", "NotoSerifCJK")) else 0

    def font(size):
        return ImageFont.truetype(font_path, size, index=index)

    width, height = 1600, 1130
    img = Image.new("RGB", (width, height), "#fffdf6")
    draw = ImageDraw.Draw(img)
    draw.rectangle([30, 30, width - 30, height - 30], outline="#b8860b", width=8)
    draw.rectangle([52, 52, width - 52, height - 52], outline="#c0392b", width=3)

    def centered(y, text, size, fill="#222"):
        f = font(size)
        w = draw.textlength(text, font=f)
        while w > width - 240 and size > 20:  # long exam titles shrink to fit
            size -= 2
            f = font(size)
            w = draw.textlength(text, font=f)
        draw.text(((width - w) / 2, y), text, font=f, fill=fill)

    centered(120, "合 格 证 书", 96, "#c0392b")
    centered(300, f"{cert.name}  同志：", 56)
    lines = [f"参加“{cert.exam_title}”", f"成绩等次：{cert.band}", "特发此证。"]
    for i, line in enumerate(lines):
        centered(420 + i * 90, line, 48)
    district = getattr(settings, "MINGBAI_DISTRICT_NAME", "")
    draw.text((180, 860), f"{district}司法局", font=font(40), fill="#222")
    draw.text((180, 920), f"{cert.issued_on:%Y年%m月%d日}", font=font(40), fill="#222")
    draw.text((180, 990), f"验证码：{cert.code}", font=font(34), fill="#555")
    qr = qrcode.QRCode(border=1, box_size=8)
    qr.add_data(verify_url(cert.code))
    qr.make(fit=True)
    qr_img = qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    qr_img = qr_img.resize((260, 260))
    img.paste(qr_img, (width - 360, height - 380))
    draw.text((width - 360, height - 110), "扫码验证证书", font=font(30), fill="#555")
    png, pdf = io.BytesIO(), io.BytesIO()
    img.save(png, "PNG", optimize=True)
    img.save(pdf, "PDF", resolution=150.0)
    return png.getvalue(), pdf.getvalue()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def certificate_issue(*, attempt: Attempt) -> Certificate | None:
    """The certificate of a passed attempt: created once, rendered once (safe to repeat)."""
    attempt = Attempt.objects.select_related("exam", "person", "user").get(pk=attempt.pk)
    if attempt.state != AttemptState.SUBMITTED or not attempt.passed:
        return None
    cert = Certificate.objects.filter(attempt=attempt).first()
    if cert is None:
        name = attempt.person.name if attempt.person_id else attempt.user.get_full_name()
        try:
            with transaction.atomic():
                cert = Certificate.objects.create(
                    attempt=attempt,
                    code=_new_code(),
                    name=name,
                    exam_title=attempt.exam.title,
                    band=attempt.band,
                    issued_on=timezone.localdate(attempt.finished_at),
                )
        except IntegrityError:
            cert = Certificate.objects.get(attempt=attempt)
    if not cert.image or not cert.pdf:
        png, pdf = render_certificate(cert)
        cert.image.save(f"{cert.code}.png", ContentFile(png), save=False)
        cert.pdf.save(f"{cert.code}.pdf", ContentFile(pdf), save=False)
        cert.save(update_fields=["image", "pdf"])
    return cert
