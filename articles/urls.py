from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
    path("preview/<str:token>/", views.article_preview_link, name="preview_link"),
    path("<slug:section>/<slug:slug>/", views.article_detail, name="detail"),
    path("<slug:slug>/", views.section_detail, name="section"),
]
