"""Load everything a lesson body shows in a fixed number of queries (课时正文预取).

Wagtail converts a StreamField lazily, one bulk query per block *type* and per chooser inside
a StructBlock (images of image blocks, posters of videos, posters of audios, documents of
videos, documents of audios ...), and every ``{% srcset_image %}`` looks its renditions up
separately. Here all images of the body are fetched at once with their renditions
(2 queries) and all documents at once (1 query), then the media blocks are bound from them.
"""

from __future__ import annotations

from wagtail.blocks import StreamValue
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

MEDIA_BLOCKS = {
    # block type: (image fields, document fields)
    "image": (("image",), ()),
    "video": (("poster",), ("video",)),
    "audio": (("poster",), ("audio",)),
}


def prefetch_lesson_body(page) -> None:
    body = page.body
    if not isinstance(body, StreamValue) or not getattr(body, "is_lazy", False):
        return  # a preview or a freshly edited page: nothing stored to batch
    raw_items = [(i, body._raw_data[i]) for i in range(len(body._raw_data))]
    media = [
        (i, item)
        for i, item in raw_items
        if item and item.get("type") in MEDIA_BLOCKS and body._bound_blocks[i] is None
    ]
    if not media:
        return
    image_ids, document_ids = set(), set()
    for _, item in media:
        image_fields, document_fields = MEDIA_BLOCKS[item["type"]]
        value = item.get("value") or {}
        image_ids.update(value.get(name) for name in image_fields if value.get(name))
        document_ids.update(value.get(name) for name in document_fields if value.get(name))
    images = (
        get_image_model().objects.prefetch_related("renditions").in_bulk(image_ids)
        if image_ids
        else {}
    )
    documents = get_document_model().objects.in_bulk(document_ids) if document_ids else {}
    stream_block = body.stream_block
    for i, item in media:
        block = stream_block.child_blocks[item["type"]]
        image_fields, document_fields = MEDIA_BLOCKS[item["type"]]
        raw = item.get("value") or {}
        values = []
        for name, child in block.child_blocks.items():
            if name not in raw:
                values.append((name, child.get_default()))
            elif name in image_fields:
                values.append((name, images.get(raw[name])))
            elif name in document_fields:
                values.append((name, documents.get(raw[name])))
            else:
                values.append((name, child.to_python(raw[name])))
        body._bound_blocks[i] = StreamValue.StreamChild(
            block, block._to_struct_value(values), id=item.get("id")
        )
