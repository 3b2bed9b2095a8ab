"""The logging filter masks ID card and mobile numbers."""

import logging

from core.logging_filters import MaskPersonalData, mask_text


def test_mask_text_masks_id_and_mobile():
    text = "导入 511102199001011234 手机 13812345678 完成"
    assert mask_text(text) == "导入 5111**********1234 手机 138****5678 完成"


def test_filter_rewrites_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "电话 %s", ("13912345678",), None)
    MaskPersonalData().filter(record)
    assert record.getMessage() == "电话 139****5678"
