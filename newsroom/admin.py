"""The admin site, opening on the desk instead of a bare list of apps."""

from django.contrib import admin

from articles.desk import desk_for


class NewsroomAdminSite(admin.AdminSite):
    index_template = "admin/desk.html"
    index_title = "The desk"

    def index(self, request, extra_context=None):
        return super().index(request, {**desk_for(request.user), **(extra_context or {})})
