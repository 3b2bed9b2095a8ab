"""Printable QR posters (二维码海报, 扫码能得) drawn with Pillow and qrcode.

The CJK font comes from settings.MINGBAI_CJK_FONT (a .ttf/.otf/.ttc path, optionally
"path#index" for a font collection) or from fontconfig (`fc-match :lang=zh-cn`, Debian's
fonts-noto-cjk). Without one, PosterFontMissing explains how to install it.
"""

import functools
import io
import shutil
import subprocess
from dataclasses import dataclass

import qrcode
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1240, 1754  # A4 at 150 dpi
RED, INK, MUTED, WHITE = (179, 38, 30), (31, 31, 31), (95, 99, 104), (255, 255, 255)


class PosterFontMissing(ImproperlyConfigured):
    pass


def poster_path(page_id: int) -> str:
    """Storage path of a page's poster; one file per page, overwritten on regeneration."""
    return f"campaigns/posters/page-{page_id}.png"


@dataclass(frozen=True)
class PosterContent:
    title: str
    lines: tuple[str, ...]
    url: str
    heading: str = "普法宣传"
    footer: str = ""


@functools.cache
def _fontconfig(pattern: str) -> tuple[str, int] | None:
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}|%{lang}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, rest = out.partition("|")
    index, _, langs = rest.partition("|")
    if not path or "zh-cn" not in langs.split("|"):
        return None
    return path, int(index or 0)


def cjk_font_source(bold: bool = False) -> tuple[str, int]:
    """(path, index) of a font with Chinese glyphs, or PosterFontMissing."""
    configured = getattr(settings, "MINGBAI_CJK_FONT", "")
    if configured:
        path, _, index = configured.partition("#")
        return path, int(index or 0)
    found = _fontconfig(":lang=zh-cn:weight=bold" if bold else ":lang=zh-cn")
    if found is None:
        raise PosterFontMissing(
            "找不到中文字体，无法生成海报：请安装 Debian 软件包 fonts-noto-cjk"
            "（apt-get install fonts-noto-cjk），或在环境变量 MINGBAI_CJK_FONT 中指定字体文件路径。"
        )
    return found


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return _load_font(*cjk_font_source(bold), size)


@functools.lru_cache(maxsize=32)
def _load_font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(path, size=size, index=index)
    except OSError as exc:
        raise PosterFontMissing(f"无法读取中文字体文件 {path}：{exc}") from exc


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Break text into lines that fit `width` (character by character: Chinese has no spaces)."""
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width and line:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def _qr_image(url: str, size: int) -> Image.Image:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    qr.add_data(url)
    qr.make(fit=True)
    image = qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    return image.resize((size, size), Image.Resampling.NEAREST)


def render_poster(content: PosterContent) -> bytes:
    """A printable PNG poster: heading band, title, dates/place lines, QR code, 扫码能得."""
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)
    margin = 90
    draw.rectangle([0, 0, WIDTH, 200], fill=RED)
    draw.text((margin, 60), content.heading, font=_font(64, bold=True), fill=WHITE)
    y = 280
    title_font = _font(96, bold=True)
    for line in _wrap(draw, content.title, title_font, WIDTH - 2 * margin)[:4]:
        draw.text((margin, y), line, font=title_font, fill=INK)
        y += 124
    y += 30
    line_font = _font(48)
    for text in content.lines:
        for line in _wrap(draw, text, line_font, WIDTH - 2 * margin)[:2]:
            draw.text((margin, y), line, font=line_font, fill=MUTED)
            y += 68
    qr_size = 620
    qr_top = max(y + 50, HEIGHT - qr_size - 330)
    image.paste(_qr_image(content.url, qr_size), ((WIDTH - qr_size) // 2, qr_top))
    caption_font = _font(60, bold=True)
    caption = "扫码能得 · 手机扫一扫查看详情"
    caption_width = draw.textlength(caption, font=caption_font)
    draw.text(
        ((WIDTH - caption_width) / 2, qr_top + qr_size + 40), caption, font=caption_font, fill=RED
    )
    if content.footer:
        footer_font = _font(40)
        footer_width = draw.textlength(content.footer, font=footer_font)
        draw.text(
            ((WIDTH - footer_width) / 2, HEIGHT - 110), content.footer, font=footer_font, fill=MUTED
        )
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()
