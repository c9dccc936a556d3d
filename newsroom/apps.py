from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, with the newsroom's site (newsroom/admin.py): it opens on the desk."""

    default_site = "newsroom.admin.NewsroomAdminSite"
