"""Demo courses (演示课程): a Civil Code course for villagers and a Constitution course for
civil servants, written for this platform, using every lesson block; the year's study rules;
and some study history for the demo learners 13800000004 and 13800000005.

Idempotent: pages, images and documents are found by slug / title and left alone when they
exist; the study history is only written for a learner who has none.

Media are made here without network: the illustrations are drawn with Pillow, the audio is a
short WAV chime written with the ``wave`` module, and the video is a 4-second WebM clip kept in
learning/demo_media/ (recorded from a canvas by Chromium, see make_demo_video.py there).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import struct
import wave
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from learning.study.models import (
    CourseAudience,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    LessonProgress,
    StudyDay,
    StudyRule,
)

MEDIA = Path(__file__).resolve().parents[1] / "data" / "demo_media"
FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]


# --- media ------------------------------------------------------------------------------------


def _font(size: int):
    from django.conf import settings
    from PIL import ImageFont

    for path in [getattr(settings, "MINGBAI_CJK_FONT", "")] + FONT_CANDIDATES:
        if path and Path(path).exists():
            try:
                return ImageFont.truetype(path, size)
            except OSError:
                continue
    return None


def _picture(title: str, subtitle: str, colour: tuple[int, int, int]) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 540), colour)
    draw = ImageDraw.Draw(image)
    for i in range(6):  # a quiet pattern of circles
        draw.ellipse(
            (620 + i * 30, 60 + i * 50, 900 + i * 10, 340 + i * 30), outline=(255, 255, 255)
        )
    big, small = _font(64), _font(32)
    if big is not None:
        draw.text((60, 200), title, fill=(255, 255, 255), font=big)
        draw.text((60, 300), subtitle, fill=(255, 236, 179), font=small)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _chime() -> bytes:
    """A 2-second two-tone chime, 8 kHz mono WAV."""
    rate = 8000
    frames = bytearray()
    for n in range(rate * 2):
        t = n / rate
        tone = 660 if t < 1 else 880
        amplitude = 0.4 * math.exp(-3 * (t % 1))
        frames += struct.pack("<h", int(32767 * amplitude * math.sin(2 * math.pi * tone * t)))
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    return out.getvalue()


def _image(title: str, subtitle: str, colour) -> int:
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing.pk
    data = _picture(title, subtitle, colour)
    image = Image(
        title=title,
        file=ImageFile(
            io.BytesIO(data), name=f"demo-{hashlib.sha256(title.encode()).hexdigest()[:10]}.png"
        ),
    )
    image.save()
    return image.pk


def _document(title: str, name: str, data: bytes) -> int:
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing.pk
    document = Document(title=title, file=ContentFile(data, name=name))
    document.save()
    return document.pk


def _article(law: str, number: int):
    from learning.laws.selectors import article_resolve

    article = article_resolve(law, number)
    return article.pk if article is not None else None


# --- content ----------------------------------------------------------------------------------


def _quote(law: str, number: int, note: str = "") -> list:
    article_id = _article(law, number)
    if article_id is None:
        return []
    return [("article_quote", {"article": article_id, "paragraph": None, "note": note})]


def _check(*questions) -> tuple:
    return (
        "self_check",
        {
            "title": "学完测一测",
            "questions": [
                {"question": q, "options": list(o), "answer": a, "explanation": e}
                for q, o, a, e in questions
            ],
        },
    )


def _civil_code_lessons(media) -> list[tuple[str, str, str, int, list]]:
    return [
        (
            "marriage-family",
            "婚姻家庭：结婚自愿、彩礼和夫妻共同财产",
            "结婚要双方自愿；彩礼不能借机索取；婚后工资、经营收益一般归夫妻共同所有。",
            4,
            [
                ("heading", "结婚必须双方自愿"),
                (
                    "paragraph",
                    "<p>《民法典》第一千零四十六条规定，结婚应当男女双方完全自愿，禁止任何一方"
                    "对另一方加以强迫，禁止任何组织或者个人加以干涉。父母包办、收钱“换亲”，"
                    "都是法律不允许的。</p>",
                ),
                (
                    "image",
                    {
                        "image": media["marriage"],
                        "alt": "婚姻家庭",
                        "caption": "婚姻自由、一夫一妻、男女平等",
                    },
                ),
                *_quote("民法典", 1042, "借婚姻索取财物是被禁止的"),
                ("heading", "哪些是夫妻共同财产"),
                (
                    "paragraph",
                    "<p>婚姻关系存续期间取得的工资、奖金、生产经营和投资的收益、知识产权的收益、"
                    "继承或者受赠的财产（遗嘱或者赠与合同中确定只归一方的除外），一般为夫妻共同财产，"
                    "见《民法典》第一千零六十二条。婚前个人财产仍归个人所有，见《民法典》第一千零六十三条。</p>",
                ),
                (
                    "case_study",
                    {
                        "title": "订婚后分手，彩礼要不要退",
                        "facts": "小李和小王经媒人介绍订婚，小李家给了彩礼8.8万元。双方没有办理结婚登记，"
                        "也没有共同生活，半年后分手。小李家要求退还彩礼，小王家不同意。",
                        "explanation": "<p>按照《民法典》第一千零四十二条和最高人民法院关于彩礼纠纷的司法解释，"
                        "双方未办理结婚登记手续的，对方应当返还以婚姻为目的给付的彩礼；法院会结合"
                        "彩礼数额、共同生活时间、有无过错等情况确定返还比例。村干部调解时可以先讲清这条规则。</p>",
                        "articles": ["民法典第一千零四十二条"],
                    },
                ),
                (
                    "key_points",
                    {
                        "title": "本课要点",
                        "points": [
                            "结婚必须男女双方完全自愿，禁止包办、买卖婚姻。",
                            "禁止借婚姻索取财物；没登记结婚的，彩礼一般应当返还。",
                            "婚后工资、经营收益等一般是夫妻共同财产。",
                        ],
                    },
                ),
                _check(
                    (
                        "结婚应当男女双方完全自愿吗？",
                        ("是", "否"),
                        "A",
                        "《民法典》第一千零四十六条。",
                    ),
                    (
                        "下列哪些一般属于夫妻共同财产？",
                        ("婚后的工资", "婚前买的房子", "婚后开小卖部的收入"),
                        "AC",
                        "婚前个人财产归个人所有（第一千零六十三条）。",
                    ),
                ),
            ],
        ),
        (
            "inheritance",
            "继承：遗嘱怎么立、谁来继承",
            "没有遗嘱时按法定顺序继承；遗嘱有几种形式，各有要求。",
            4,
            [
                ("heading", "法定继承的顺序"),
                (
                    "paragraph",
                    "<p>没有遗嘱的，遗产按法定继承办理。第一顺序：配偶、子女、父母；第二顺序：兄弟姐妹、"
                    "祖父母、外祖父母。继承开始后先由第一顺序继承人继承，见《民法典》第一千一百二十七条。"
                    "同一顺序继承人继承遗产的份额，一般应当均等。</p>",
                ),
                (
                    "audio",
                    {
                        "audio": media["chime"],
                        "poster": media["inheritance"],
                        "caption": "以案释法广播：老宅该怎么分",
                        "transcript": "张大爷去世前没有立遗嘱，留下一处老宅。大儿子说自己一直照顾老人，"
                        "应该多分。法律规定：对被继承人尽了主要扶养义务的继承人，分配遗产时可以多分。",
                    },
                ),
                ("heading", "遗嘱的几种形式"),
                (
                    "paragraph",
                    "<p>自书遗嘱要本人亲笔书写、签名，注明年、月、日；代书遗嘱、打印遗嘱要有两个以上见证人在场；"
                    "录音录像遗嘱要有两个以上见证人，并记录姓名或者肖像以及年、月、日。"
                    "立有数份内容相抵触的遗嘱的，以最后的遗嘱为准，见《民法典》第一千一百四十二条。</p>",
                ),
                *_quote("民法典", 1127),
                (
                    "case_study",
                    {
                        "title": "照顾老人的女儿能不能多分",
                        "facts": "王大娘有一儿一女。女儿长期在身边照顾，儿子在外打工很少回家。"
                        "王大娘去世时没有遗嘱，儿子主张房子两人平分。",
                        "explanation": "<p>同一顺序继承人一般均等分配，但对被继承人尽了主要扶养义务或者"
                        "与被继承人共同生活的继承人，分配遗产时可以多分；有扶养能力和条件却不尽扶养义务的，"
                        "应当不分或者少分（《民法典》第一千一百三十条）。</p>",
                        "articles": ["民法典第一千一百三十条"],
                    },
                ),
                (
                    "key_points",
                    {
                        "points": [
                            "没有遗嘱按法定继承：配偶、子女、父母是第一顺序。",
                            "尽了主要扶养义务的可以多分，不尽义务的少分或不分。",
                            "几份遗嘱内容冲突的，以最后一份为准。",
                        ]
                    },
                ),
                _check(
                    (
                        "下列哪些人是第一顺序继承人？",
                        ("配偶", "子女", "兄弟姐妹", "父母"),
                        "ABD",
                        "兄弟姐妹是第二顺序（第一千一百二十七条）。",
                    ),
                    (
                        "立了两份内容冲突的遗嘱，以哪份为准？",
                        ("第一份", "最后一份", "都无效"),
                        "B",
                        "《民法典》第一千一百四十二条。",
                    ),
                ),
            ],
        ),
        (
            "neighbours",
            "邻里纠纷：通行、排水和采光",
            "相邻关系讲究“有利生产、方便生活、团结互助、公平合理”，纠纷可以找人民调解。",
            3,
            [
                (
                    "paragraph",
                    "<p>不动产的相邻权利人应当按照有利生产、方便生活、团结互助、公平合理的原则，"
                    "正确处理相邻关系，见《民法典》第二百八十八条。邻居必须利用你家土地通行的，"
                    "你应当提供必要的便利（第二百九十一条）；建房不能妨碍邻居的通风、采光和日照（第二百九十三条）。</p>",
                ),
                (
                    "image",
                    {
                        "image": media["neighbours"],
                        "alt": "邻里",
                        "caption": "远亲不如近邻，有事好商量",
                    },
                ),
                (
                    "case_study",
                    {
                        "title": "新房挡了老屋的光",
                        "facts": "村民老赵翻建新房，比原来高出一层，邻居老钱家的堂屋白天也要开灯。"
                        "两家争吵，老钱堵住了老赵家的排水沟。",
                        "explanation": "<p>建房应当符合规划，不得违反国家有关工程建设标准，不得妨碍相邻建筑物的"
                        "通风、采光和日照；但堵排水沟也是侵权行为（第二百九十条要求为相邻方排水提供便利）。"
                        "村人民调解委员会可以组织双方协商：调低加层高度或者给予补偿，同时恢复排水。"
                        "调解协议具有法律约束力，双方可以申请司法确认。</p>",
                        "articles": ["民法典第二百九十三条", "民法典第二百九十条"],
                    },
                ),
                (
                    "key_points",
                    {
                        "points": [
                            "相邻关系四原则：有利生产、方便生活、团结互助、公平合理。",
                            "必须通行、排水的，邻居应当提供必要便利。",
                            "纠纷先找村人民调解委员会，调解不收费。",
                        ]
                    },
                ),
                _check(
                    (
                        "人民调解收费吗？",
                        ("收费", "不收费"),
                        "B",
                        "人民调解不收费（人民调解法第四条）。",
                    ),
                    (
                        "建房可以完全不顾邻居的采光吗？",
                        ("可以", "不可以"),
                        "B",
                        "《民法典》第二百九十三条。",
                    ),
                ),
            ],
        ),
        (
            "land-contract",
            "土地承包：承包期、流转和收益",
            "耕地承包期三十年，到期再延长三十年；流转要自愿、有偿，签书面合同。",
            4,
            [
                (
                    "paragraph",
                    "<p>耕地的承包期为三十年，承包期届满，由土地承包经营权人依照农村土地承包的法律规定继续承包，"
                    "见《民法典》第三百三十二条。土地经营权可以出租、入股或者以其他方式流转，流转期限为五年以上的，"
                    "当事人可以向登记机构申请登记（第三百四十一条）。</p>",
                ),
                (
                    "video",
                    {
                        "video": media["video"],
                        "poster": media["land"],
                        "caption": "一分钟看懂土地流转",
                        "transcript": "土地流转要坚持依法、自愿、有偿，不能改变土地所有权性质和农业用途，"
                        "流转合同要写清面积、期限、价款和支付方式。",
                    },
                ),
                (
                    "key_points",
                    {
                        "points": [
                            "耕地承包期三十年，到期再延长三十年。",
                            "流转要自愿、有偿，不能改变土地用途。",
                            "流转五年以上可以申请登记，合同要写清楚。",
                        ]
                    },
                ),
                _check(
                    (
                        "耕地的承包期是多少年？",
                        ("十年", "三十年", "五十年"),
                        "B",
                        "《民法典》第三百三十二条。",
                    ),
                    (
                        "土地经营权流转可以采取哪些方式？",
                        ("出租", "入股", "改成宅基地盖房"),
                        "AB",
                        "不得改变土地的农业用途。",
                    ),
                ),
            ],
        ),
    ]


OATH = (
    "我宣誓：忠于中华人民共和国宪法，维护宪法权威，履行法定职责，忠于祖国、忠于人民，"
    "恪尽职守、廉洁奉公，接受人民监督，为建设富强民主文明和谐美丽的社会主义现代化强国努力奋斗！"
)


def _constitution_lessons(media) -> list[tuple[str, str, str, int, list]]:
    return [
        (
            "fundamental-law",
            "宪法是国家的根本法",
            "宪法具有最高的法律效力，一切国家机关和公职人员都必须以宪法为根本的活动准则。",
            5,
            [
                (
                    "paragraph",
                    "<p>《宪法》第五条规定，中华人民共和国实行依法治国，建设社会主义法治国家；"
                    "一切法律、行政法规和地方性法规都不得同宪法相抵触；一切国家机关和武装力量、各政党和各社会团体、"
                    "各企业事业组织都必须遵守宪法和法律。</p>",
                ),
                *_quote("宪法", 5, "公职人员依法履职的根本依据"),
                (
                    "image",
                    {
                        "image": media["constitution"],
                        "alt": "宪法",
                        "caption": "每年12月4日是国家宪法日",
                    },
                ),
                (
                    "key_points",
                    {
                        "points": [
                            "宪法是国家的根本法，具有最高的法律效力。",
                            "任何组织和个人都不得有超越宪法和法律的特权。",
                            "12月4日是国家宪法日，所在周是“宪法宣传周”。",
                        ]
                    },
                ),
                _check(
                    (
                        "国家宪法日是哪一天？",
                        ("3月15日", "12月4日", "10月1日"),
                        "B",
                        "2014年设立。",
                    ),
                    (
                        "地方性法规可以同宪法相抵触吗？",
                        ("可以", "不可以"),
                        "B",
                        "《宪法》第五条。",
                    ),
                ),
            ],
        ),
        (
            "rights-duties",
            "公民的基本权利和义务",
            "尊重和保障人权；权利和义务是统一的。",
            5,
            [
                (
                    "paragraph",
                    "<p>《宪法》第三十三条规定，中华人民共和国公民在法律面前一律平等；国家尊重和保障人权；"
                    "任何公民享有宪法和法律规定的权利，同时必须履行宪法和法律规定的义务。</p>",
                ),
                (
                    "case_study",
                    {
                        "title": "窗口人员能否要求群众提供“无犯罪证明”",
                        "facts": "某办事窗口在为群众办理低保申请时，要求额外提供本人无犯罪记录证明，"
                        "否则不予受理。",
                        "explanation": "<p>行政机关实施行政管理应当依照法律、法规规定，没有法律依据不得增设"
                        "群众的义务。公职人员要牢固树立宪法意识：法无授权不可为，法定职责必须为。"
                        "该要求没有依据，应当立即纠正。</p>",
                        "articles": ["宪法第三十三条", "宪法第五条"],
                    },
                ),
                (
                    "key_points",
                    {
                        "points": [
                            "公民在法律面前一律平等。",
                            "国家尊重和保障人权。",
                            "法无授权不可为，法定职责必须为。",
                        ]
                    },
                ),
                _check(
                    (
                        "“国家尊重和保障人权”写在宪法哪一条？",
                        ("第一条", "第三十三条", "第六十四条"),
                        "B",
                        "2004年宪法修正案写入。",
                    ),
                    (
                        "公民可以只享有权利不履行义务吗？",
                        ("可以", "不可以"),
                        "B",
                        "权利义务相统一。",
                    ),
                ),
            ],
        ),
        (
            "oath",
            "宪法宣誓",
            "国家工作人员就职时应当依照法律规定公开进行宪法宣誓。",
            5,
            [
                (
                    "paragraph",
                    "<p>《宪法》第二十七条第三款规定：国家工作人员就职时应当依照法律规定公开进行宪法宣誓。"
                    "宣誓场所应当庄重、严肃，悬挂中华人民共和国国旗或者国徽；宣誓仪式由宣誓人领誓，"
                    "其他人面向国旗或者国徽站立，举起右拳、跟诵誓词。</p>",
                ),
                (
                    "video",
                    {
                        "video": media["video"],
                        "poster": media["constitution"],
                        "caption": "宪法宣誓仪式",
                        "transcript": OATH,
                    },
                ),
                ("heading", "誓词"),
                ("paragraph", f"<p><b>{OATH}</b></p>"),
                (
                    "audio",
                    {
                        "audio": media["chime"],
                        "poster": None,
                        "caption": "宣誓开始提示音",
                        "transcript": "",
                    },
                ),
                *_quote("宪法", 27),
                (
                    "key_points",
                    {
                        "points": [
                            "就职时公开进行宪法宣誓是宪法规定的义务。",
                            "誓词共70字，宣誓时举起右拳、面向国旗或国徽。",
                            "宣誓是承诺，更是履职的约束。",
                        ]
                    },
                ),
                _check(
                    (
                        "国家工作人员就职时应当如何进行宪法宣誓？",
                        ("私下进行", "依照法律规定公开进行"),
                        "B",
                        "《宪法》第二十七条第三款。",
                    ),
                    (
                        "宪法宣誓时应当面向什么？",
                        ("国旗或者国徽", "主席台", "单位名称"),
                        "A",
                        "全国人大常委会关于实行宪法宣誓制度的决定。",
                    ),
                ),
            ],
        ),
    ]


# --- pages ------------------------------------------------------------------------------------


def _publish_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _body_json(body: list) -> str:
    return json.dumps([{"type": t, "value": v} for t, v in body], ensure_ascii=False)


def _course(index, slug, title, summary, intro, audiences, lessons, list_audiences):
    from learning.laws.models import RequiredLawList

    course = CoursePage.objects.child_of(index).filter(slug=slug).first()
    if course is None:
        course = CoursePage(title=title, slug=slug, summary=summary, intro=intro)
        course.audiences = [
            CourseAudience(audience=a, required=r, sort_order=i)
            for i, (a, r) in enumerate(audiences)
        ]
        index.add_child(instance=course)
        course.required_law_lists.set(
            RequiredLawList.objects.filter(audience__in=list_audiences, is_active=True)
        )
        course.save_revision().publish()
    for lesson_slug, lesson_title, lesson_summary, minutes, body in lessons:
        if LessonPage.objects.child_of(course).filter(slug=lesson_slug).exists():
            continue
        _publish_child(
            course,
            LessonPage(
                title=lesson_title,
                slug=lesson_slug,
                summary=lesson_summary,
                min_minutes=minutes,
                body=_body_json(body),
            ),
        )
    return course


def _history(phone: str, course: CoursePage, today: dt.date, days: int, finished: int) -> bool:
    """Some past study days and lesson progress for a demo learner without history."""
    from people.accounts.models import User
    from people.roster.selectors import person_for_user

    user = User.objects.filter(phone=phone).first()
    person = person_for_user(user) if user else None
    if person is None or StudyDay.objects.filter(person=person).exists():
        return False
    lessons = list(course.lessons())
    rows = []
    for n in range(days, 0, -1):
        day = today - dt.timedelta(days=n)
        if day.year != today.year or n % 3 == 0:
            continue  # not every day
        minutes = (37 * n) % 90 + 20
        credited = min(minutes, 125) * 60_000
        rows.append(
            StudyDay(
                person=person,
                day=day,
                credited_ms=credited,
                studied_ms=minutes * 60_000,
                cap_ms=125 * 60_000,
                beats=minutes * 2,
                lesson=lessons[0] if lessons else None,
            )
        )
    StudyDay.objects.bulk_create(rows)
    now = timezone.now()
    for i, lesson in enumerate(lessons[: finished + 1]):
        done = i < finished
        LessonProgress.objects.create(
            person=person,
            lesson=lesson,
            studied_ms=(lesson.min_minutes * 60_000 + 45_000) if done else 90_000,
            self_check_passed=done,
            self_check_attempts=1 if done else 0,
            started_at=now - dt.timedelta(days=days - i),
            last_seen_at=now - dt.timedelta(days=max(1, finished - i)),
            completed_at=(now - dt.timedelta(days=max(1, finished - i))) if done else None,
        )
    return True


def load(stdout=None, password=None) -> None:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return
    home = site.root_page
    today = timezone.localdate()
    with transaction.atomic():
        if Collection.get_first_root_node() is None:  # a flushed database has no root collection
            Collection.add_root(name="Root")
        StudyRule.objects.get_or_create(
            year=today.year,
            audience="",
            defaults={"required_points": 3000, "daily_cap_points": 125},
        )
        StudyRule.objects.get_or_create(
            year=today.year,
            audience="leading_cadre",
            defaults={"required_points": 3600, "daily_cap_points": 125},
        )
        media = {
            "marriage": _image("演示：婚姻家庭", "婚姻自由 · 男女平等", (179, 38, 30)),
            "inheritance": _image("演示：继承", "依法立遗嘱 · 家和万事兴", (121, 85, 72)),
            "neighbours": _image("演示：邻里和睦", "有事好商量 · 人民调解", (46, 125, 50)),
            "land": _image("演示：土地承包", "承包期三十年 · 流转要自愿", (130, 119, 23)),
            "constitution": _image("演示：宪法", "12月4日 国家宪法日", (140, 29, 24)),
            "chime": _document("演示：提示音（WAV）", "demo-chime.wav", _chime()),
            "video": _document(
                "演示：宪法日短片（WebM）",
                "demo-constitution-day.webm",
                (MEDIA / "constitution-day.webm").read_bytes(),
            ),
        }
        index = CourseIndexPage.objects.child_of(home).first()
        if index is None:
            index = _publish_child(
                home,
                CourseIndexPage(
                    title="学法课堂",
                    slug="courses",
                    intro="<p>手机上学短课，学满时间并通过自测即完成一课；每学习 1 分钟得 1 积分。</p>",
                ),
            )
        civil = _course(
            index,
            "civil-code-village",
            "民法典进村入户",
            "婚姻家庭、继承、邻里纠纷、土地承包：村里最常用的民法典",
            "<p>为村（社区）干部和法律明白人编写，每课 3–4 分钟，配有案例和自测。</p>",
            [("village_cadre", True), ("legal_person", True), ("public", False)],
            _civil_code_lessons(media),
            ["village_cadre"],
        )
        constitution = _course(
            index,
            "constitution-civil-servants",
            "宪法与公职人员",
            "宪法是根本法、公民的基本权利和义务、宪法宣誓",
            "<p>国家工作人员年度在线学法必修课。</p>",
            [("civil_servant", True), ("leading_cadre", True)],
            _constitution_lessons(media),
            ["leading_cadre", "civil_servant"],
        )
        a = _history("13800000004", civil, today, days=40, finished=2)
        b = _history("13800000005", constitution, today, days=60, finished=1)
    from learning.study.services import study_rollup

    study_rollup(year=today.year)
    if stdout:
        stdout.write(
            f"学法课堂：2 门课程、{LessonPage.objects.count()} 个课时；"
            f"演示学员学习记录{'已写入' if (a or b) else '已存在或无学员'}。"
        )
