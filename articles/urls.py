from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("search/", views.search, name="search"),
    path("<slug:section>/<slug:slug>/", views.article_detail, name="detail"),
    path("<slug:slug>/", views.section_detail, name="section"),
]
