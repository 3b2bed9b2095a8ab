"""StreamField blocks of campaign and event pages (宣传内容块).

The general blocks mirror the home app's (campaigns may not import home: layers point down);
the law library's article quote (法条引用) and the study part's key points and case study join them.
"""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from learning.laws.blocks import ArticleQuoteBlock
from learning.study.blocks import CaseStudyBlock, KeyPointsBlock


class CalloutBlock(blocks.StructBlock):
    """A highlighted box (提示框)."""

    title = blocks.CharBlock(label="标题", max_length=60)
    text = blocks.RichTextBlock(label="内容", features=["bold", "link"])

    class Meta:
        icon = "help"
        label = "提示框"
        template = "components/blocks/callout.html"


class CampaignStreamBlock(blocks.StreamBlock):
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
    article_quote = ArticleQuoteBlock()
    key_points = KeyPointsBlock()
    case_study = CaseStudyBlock()

    class Meta:
        label = "正文"


class DownloadBlock(blocks.StructBlock):
    """A downloadable file (下载资料: 宣传册, PPT, 音视频) with an optional display name."""

    document = DocumentChooserBlock(label="文件")
    title = blocks.CharBlock(label="显示名称", max_length=80, required=False)

    class Meta:
        icon = "doc-full"
        label = "下载资料"
