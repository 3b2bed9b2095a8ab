"""Logging that masks ID card and mobile numbers in every log record.

Two layers, so nothing personal reaches any handler:

* ``MaskPersonalData``, a filter on the handlers configured in settings.LOGGING;
* a log-record factory installed by ``configure`` (settings.LOGGING_CONFIG), which masks every
  record when it is created, so handlers that others add later (Celery's worker hijacks the
  root logger, Django's mail_admins, pytest's caplog) only ever see masked text. Exception
  tracebacks are formatted and masked too (PostgreSQL puts key values in its error messages).
"""

import logging
import logging.config
import re

ID_NUMBER_RE = re.compile(r"(?<![0-9])([1-9][0-9]{3})[0-9]{10}([0-9]{3}[0-9Xx])(?![0-9])")
MOBILE_RE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")
_FORMATTER = logging.Formatter()


def mask_text(text: str) -> str:
    """Replace anything that looks like an ID card or mobile number with its masked form."""
    text = ID_NUMBER_RE.sub(lambda m: f"{m.group(1)}**********{m.group(2)}", text)
    return MOBILE_RE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: leave it to the handler to report
        return record
    masked = mask_text(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        record.exc_text = mask_text(_FORMATTER.formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = mask_text(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_text(record.stack_info)
    return record


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


def install_record_factory() -> None:
    """Mask every log record at creation (idempotent; process-wide)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "mingbai_masking", False):
        return

    def factory(*args, **kwargs):
        return mask_record(previous(*args, **kwargs))

    factory.mingbai_masking = True
    logging.setLogRecordFactory(factory)


def configure(logging_settings: dict) -> None:
    """settings.LOGGING_CONFIG: dictConfig, then the masking record factory."""
    if logging_settings:
        logging.config.dictConfig(logging_settings)
    install_record_factory()
