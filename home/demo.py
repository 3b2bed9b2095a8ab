"""Demo site tree (演示站点): home page, about page, 12348 hotline page; idempotent."""

from django.conf import settings as django_settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from home.models import HomePage, NavigationLink, PlatformSettings, StandardPage

ABOUT_BODY = [
    (
        "paragraph",
        "<p>“明白”平台是区司法局建设的法律明白人培养和普法学法平台：村（社区）干部和"
        "法律明白人在手机上学习短课、参加考核、取得证书；国家工作人员完成年度在线学法和考试；"
        "普法宣传员按照“一月一主题”发布宣传活动。</p>",
    ),
    (
        "paragraph",
        "<p>平台按照《梧桐桥区“十四五”公共法律服务体系建设规划》的目标，"
        "帮助每个村（社区）培养不少于5名骨干法律明白人，每个村民小组（小区楼栋）至少1名法律明白人。</p>",
    ),
]
HOTLINE_BODY = [
    (
        "callout",
        {
            "title": "拨打 12348",
            "text": "<p>公共法律服务热线 <b>12348</b>，提供法律咨询、法律援助申请指引、人民调解引导。</p>",
        },
    ),
    (
        "paragraph",
        "<p>服务时间：工作日 8:30–17:30；法律援助申请可到各镇司法所或区公共法律服务中心办理。</p>",
    ),
]


def _ensure_child(parent: Page, model, slug: str, **fields) -> Page:
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is not None:
        return page
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def load_site() -> HomePage:
    """Replace Wagtail's welcome page with the portal home page and its first pages."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(django_settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:  # Wagtail's migration makes it; a flush drops it
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="学法用法，做法律明白人",
            slug="mingbai",
            intro="梧桐桥区法律明白人培养与普法学法平台",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="明白"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "明白"
        site.save()
    # Wagtail's "Welcome to your new Wagtail site!" placeholder (a bare Page) goes.
    welcome = Page.objects.filter(depth=2, content_type__model="page").first()
    if welcome is not None and not welcome.get_children().exists():
        welcome.delete()
    about = _ensure_child(
        home, StandardPage, "about", title="关于平台", intro="平台介绍", body=ABOUT_BODY
    )
    hotline = _ensure_child(
        home,
        StandardPage,
        "12348",
        title="12348 公共法律服务热线",
        intro="有法律问题，拨打12348",
        body=HOTLINE_BODY,
    )
    settings = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    if not settings.nav_links.exists():
        for order, (title, page) in enumerate((("关于", about), ("12348", hotline))):
            NavigationLink.objects.create(
                settings=settings, title=title, page=page, sort_order=order
            )
    return home
