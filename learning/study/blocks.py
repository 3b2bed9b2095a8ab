"""StreamField blocks of lessons (课时内容块).

``LessonStreamBlock`` is the body of a LessonPage. ``CaseStudyBlock`` and ``KeyPointsBlock``
are reusable elsewhere (campaign pages); ``ArticleQuoteBlock`` (a quoted article chosen from
the law library) is the law library's block, re-exported here.

Every block renders with its own template under site/templates/learning/study/blocks/, so
that nothing an editor types is shown unescaped and the self-check's answers never reach the
browser (they are checked by ``learning.study.services.self_check_submit``).
"""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

__all__ = [
    "AudioBlock",
    "CaseStudyBlock",
    "KeyPointsBlock",
    "LessonImageBlock",
    "LessonStreamBlock",
    "SelfCheckBlock",
    "SelfCheckQuestionBlock",
    "VideoBlock",
]

TEMPLATES = "learning/study/blocks/"
OPTION_LETTERS = string.ascii_uppercase[:6]
RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "h3", "h4", "link", "document-link"]


class LessonImageBlock(blocks.StructBlock):
    """An image shown at the phone's width (responsive renditions)."""

    image = ImageChooserBlock(label="图片")
    alt = blocks.CharBlock(label="替代文字", required=False, help_text="给读屏软件的图片说明")
    caption = blocks.CharBlock(label="图注", required=False, max_length=120)

    class Meta:
        icon = "image"
        label = "图片"
        template = TEMPLATES + "image.html"


class VideoBlock(blocks.StructBlock):
    """A video file uploaded to the documents library, played by the browser itself."""

    video = DocumentChooserBlock(label="视频文件", help_text="上传 mp4（H.264）或 webm 文件")
    poster = ImageChooserBlock(label="封面图", required=False)
    caption = blocks.CharBlock(label="标题", required=False, max_length=120)
    transcript = blocks.TextBlock(
        label="文字稿", required=False, help_text="网络不好或不便播放声音时可以阅读"
    )

    class Meta:
        icon = "media"
        label = "视频"
        template = TEMPLATES + "video.html"


class AudioBlock(blocks.StructBlock):
    """An audio file (mp3 / m4a / wav), e.g. a 以案释法 radio piece read aloud."""

    audio = DocumentChooserBlock(label="音频文件", help_text="上传 mp3、m4a 或 wav 文件")
    poster = ImageChooserBlock(label="配图", required=False)
    caption = blocks.CharBlock(label="标题", required=False, max_length=120)
    transcript = blocks.TextBlock(label="文字稿", required=False)

    class Meta:
        icon = "media"
        label = "音频"
        template = TEMPLATES + "audio.html"


class CaseStudyBlock(blocks.StructBlock):
    """以案释法: the facts (案情), the judge's explanation (法官解读), the articles involved."""

    title = blocks.CharBlock(label="案例标题", max_length=80)
    facts = blocks.TextBlock(label="案情")
    explanation = blocks.RichTextBlock(label="法官解读", features=RICH_TEXT_FEATURES)
    articles = blocks.ListBlock(
        blocks.CharBlock(max_length=80, label="法条"),
        label="涉及法条",
        required=False,
        help_text="如：民法典第一千零六十二条（自动链接到法律库）",
    )

    class Meta:
        icon = "doc-full"
        label = "案例"
        template = TEMPLATES + "case_study.html"


class KeyPointsBlock(blocks.StructBlock):
    """本课要点: a short list to remember."""

    title = blocks.CharBlock(label="标题", default="本课要点", max_length=40)
    points = blocks.ListBlock(blocks.CharBlock(max_length=200, label="要点"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = "要点"
        template = TEMPLATES + "key_points.html"


class SelfCheckQuestionBlock(blocks.StructBlock):
    question = blocks.TextBlock(label="题目")
    options = blocks.ListBlock(
        blocks.CharBlock(max_length=200, label="选项"),
        min_num=2,
        max_num=6,
        label="选项（依次为 A、B、C…）",
    )
    answer = blocks.CharBlock(
        label="正确答案", max_length=6, help_text="选项字母，如 A；多选题写 AC"
    )
    explanation = blocks.TextBlock(label="解析", required=False)

    class Meta:
        icon = "help"
        label = "自测题"

    def clean(self, value):
        value = super().clean(value)
        answer = normalise_answer(value.get("answer", ""))
        letters = OPTION_LETTERS[: len(value.get("options") or [])]
        if not answer or any(letter not in letters for letter in answer):
            raise blocks.StructBlockValidationError(
                block_errors={"answer": ValidationError(f"正确答案只能是 {letters} 中的字母。")}
            )
        value["answer"] = answer
        return value


class SelfCheckBlock(blocks.StructBlock):
    """A short self-check (2–5 questions): answers are checked on the server, not counted
    in any exam."""

    title = blocks.CharBlock(label="标题", default="学完测一测", max_length=40)
    questions = blocks.ListBlock(SelfCheckQuestionBlock(), min_num=2, max_num=5, label="题目")

    class Meta:
        icon = "tick-inverse"
        label = "自测"
        template = TEMPLATES + "self_check.html"


class LessonStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label="小标题", icon="title", max_length=60, template=TEMPLATES + "heading.html"
    )
    paragraph = blocks.RichTextBlock(
        label="正文",
        features=RICH_TEXT_FEATURES,
        template=TEMPLATES + "paragraph.html",
    )
    image = LessonImageBlock()
    video = VideoBlock()
    audio = AudioBlock()
    # article_quote (the law library's ArticleQuoteBlock) is added in __init__, after audio
    case_study = CaseStudyBlock()
    key_points = KeyPointsBlock()
    self_check = SelfCheckBlock()

    class Meta:
        block_counts = {"self_check": {"max_num": 1}}

    def __init__(self, local_blocks=None, **kwargs):
        super().__init__(local_blocks, **kwargs)
        if "article_quote" not in self.child_blocks:
            # Imported here, not at module level: learning.laws.blocks imports the law
            # library's selectors and so learning.study.models, which imports this module
            # (campaigns.blocks imports this module before learning.study.models is loaded).
            from learning.laws.blocks import ArticleQuoteBlock

            quote = ArticleQuoteBlock()
            quote.set_name("article_quote")
            items = list(self.child_blocks.items())
            position = [name for name, _ in items].index("audio") + 1
            items.insert(position, ("article_quote", quote))
            self.child_blocks = dict(items)


def __getattr__(name):
    if name == "ArticleQuoteBlock":  # re-exported lazily (see LessonStreamBlock.__init__)
        from learning.laws.blocks import ArticleQuoteBlock

        return ArticleQuoteBlock
    raise AttributeError(name)


def normalise_answer(text) -> str:
    """'a, c' / 'CA' / ['C', 'A'] -> 'AC' (sorted letters, no separators)."""
    if isinstance(text, list | tuple):
        text = "".join(str(t) for t in text)
    return "".join(sorted({c for c in str(text).upper() if c in OPTION_LETTERS}))
