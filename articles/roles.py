"""The newsroom's roles as auth groups, kept in step with the code by `setup_roles` after every migrate."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS

ARTICLE_MODELS = ["article", "byline", "correction", "section", "author", "tag"]

ROLE_PERMISSIONS = {
    # Writes and submits; edits only their own drafts (enforced in ArticleAdmin).
    "Reporter": [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_byline",
        "articles.view_correction",
        "articles.view_section",
        "articles.view_author",
        "articles.add_tag",
        "articles.view_tag",
        # Reads the style guide the copy desk checks against.
        "articles.view_styleentry",
        "articles.view_housestyle",
        # Uploads and describes pictures; changes only their own uploads (enforced in ImageAdmin).
        "images.add_image",
        "images.change_image",
        "images.view_image",
    ],
    # Edits everything, publishes, schedules, withdraws, assigns. Cannot delete what readers have seen.
    "Editor": [
        *(f"articles.{action}_{model}" for model in ARTICLE_MODELS for action in ("add", "change", "delete", "view")),
        "articles.publish_article",
        "articles.edit_any_article",
        "articles.view_statuschange",
        "articles.change_policy",
        "articles.view_policy",
        # Keep the house style guide and the copy desk's settings.
        *(f"articles.{action}_styleentry" for action in ("add", "change", "delete", "view")),
        "articles.change_housestyle",
        "articles.view_housestyle",
        # The whole library, but no deleting: pictures in story bodies are not tracked, so a deleted one
        # would vanish from published stories. Admins delete.
        "images.add_image",
        "images.change_image",
        "images.change_any_image",
        "images.view_image",
    ],
}
ADMIN_ROLE = "Admin"  # every permission, users and roles included


def setup_roles(using=DEFAULT_DB_ALIAS, **kwargs):
    """Create or refresh the role groups. Safe to run any number of times."""
    # This runs after the articles app migrates, before Django makes the permissions of the apps listed
    # after it (images, axes): make them all now, or a fresh database's Admin role would lack them.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([permission_for(perm) for perm in perms])
    admin, _ = Group.objects.get_or_create(name=ADMIN_ROLE)
    admin.permissions.set(Permission.objects.all())


def permission_for(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)
