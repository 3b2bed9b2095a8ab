"""Logging filter that masks ID card and mobile numbers in every log record."""

import logging
import re

ID_NUMBER_RE = re.compile(r"(?<![0-9])([1-9][0-9]{3})[0-9]{10}([0-9]{3}[0-9Xx])(?![0-9])")
MOBILE_RE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")


def mask_text(text: str) -> str:
    """Replace anything that looks like an ID card or mobile number with its masked form."""
    text = ID_NUMBER_RE.sub(lambda m: f"{m.group(1)}**********{m.group(2)}", text)
    return MOBILE_RE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
