"""URLs of the law library: /laws/..."""

from django.urls import path

from learning.laws import views as law_views

urlpatterns = [
    path("laws/", law_views.law_index, name="law_index"),
    path("laws/search/", law_views.law_search_page, name="law_search"),
    path("laws/required/", law_views.required_lists_page, name="law_required"),
    path("laws/<str:slug>/", law_views.law_detail, name="law_detail"),
    path("laws/<str:slug>/preamble/", law_views.law_preamble, name="law_preamble"),
    path("laws/<str:slug>/go/", law_views.article_go, name="law_article_go"),
    path("laws/<str:slug>/<int:number>/", law_views.article_detail, name="law_article"),
    path(
        "laws/<str:slug>/<int:number>-<int:suffix>/",
        law_views.article_detail,
        name="law_article_suffix",
    ),
    path("laws/<str:slug>/<int:number>/qr.png", law_views.article_qr, name="law_article_qr"),
    path(
        "laws/<str:slug>/<int:number>-<int:suffix>/qr.png",
        law_views.article_qr,
        name="law_article_suffix_qr",
    ),
]
