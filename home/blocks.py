"""StreamField blocks for general pages (通用内容块)."""

from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class CalloutBlock(blocks.StructBlock):
    """A highlighted box, e.g. the 12348 hotline or a reminder."""

    title = blocks.CharBlock(label="标题", max_length=60)
    text = blocks.RichTextBlock(label="内容", features=["bold", "link"])

    class Meta:
        icon = "help"
        label = "提示框"
        template = "components/blocks/callout.html"


class GeneralStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label="小标题",
        form_classname="title",
        icon="title",
        template="components/blocks/heading.html",
    )
    paragraph = blocks.RichTextBlock(
        label="正文", features=["bold", "italic", "link", "ol", "ul", "h3", "h4", "document-link"]
    )
    image = ImageBlock(label="图片")
    callout = CalloutBlock()
