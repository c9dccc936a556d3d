"""Every URL the project serves (third-party admin views included) × every role, against real rows.

`EXPECTED` has one entry per URL pattern (its name, or its route when it has none); a URL added to the
project without an entry fails `test_every_url_the_project_serves_has_an_entry`. Each case names the rows
that fill the URL (see `rows`: a published story, a draft of someone else, the reporter's own draft, a
deleted story's revision...) and the answer of each role: a status code, or LOGIN for a redirect to the
admin's login page. POST cases send an empty or invalid form, which changes nothing but is judged like a
real save: 200 (the form with its errors) where the role may save, 403 where it may not.
"""

from datetime import timedelta

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from reversion.models import Version

from api.models import ApiKey
from articles.models import Article, HouseStyle, Policy, StyleEntry
from articles.preview import preview_token

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    DraftFactory,
    EndpointFactory,
    ImageFactory,
    LiveEntryFactory,
    LiveStoryFactory,
    TagFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db

LOGIN = "login"
ROLES = ["anonymous", "reporter", "editor", "admin"]


def case(anonymous, reporter, editor, admin, *args, method="get", data=None, query="", path=None):
    """One request and each role's answer. `args` name rows; `path` (for unnamed patterns) formats them in."""
    answers = dict(zip(ROLES, (anonymous, reporter, editor, admin), strict=True))
    return {"args": args, "method": method, "data": data or {}, "query": query, "path": path, **answers}


def everyone(answer, *args, **kwargs):
    return case(answer, answer, answer, answer, *args, **kwargs)


NOT_A_NUMBER = {"focal_x": "left"}  # a picture's form is valid empty: this keeps it from saving

EXPECTED = {
    # Django's admin site ---------------------------------------------------------------------------
    "admin:index": [case(LOGIN, 200, 200, 200)],
    "admin:login": [case(200, 302, 302, 302)],
    "admin:logout": [case(302, 405, 405, 405)],  # logging out is a POST; anonymous readers go to the admin's home
    "admin:password_change": [case(LOGIN, 200, 200, 200)],
    "admin:password_change_done": [case(LOGIN, 200, 200, 200)],
    "admin:jsi18n": [case(LOGIN, 200, 200, 200)],
    "admin:view_on_site": [case(LOGIN, 302, 302, 302, "article_type", "published")],
    "admin:app_list": [
        case(LOGIN, 200, 200, 200, "articles"),
        case(LOGIN, 200, 200, 200, "images"),
        case(LOGIN, 404, 404, 200, "auth"),
        case(LOGIN, 404, 404, 200, "axes"),
        case(LOGIN, 404, 404, 200, "api"),
        case(LOGIN, 404, 404, 200, "webhooks"),
    ],
    "admin:autocomplete": [
        case(LOGIN, 200, 200, 200, query="app_label=articles&model_name=article&field_name=tags"),
        case(
            LOGIN,
            200,
            200,
            200,
            query="app_label=articles&model_name=article&field_name=lead_image",
        ),
        case(LOGIN, 200, 200, 200, query="app_label=articles&model_name=byline&field_name=author"),
        case(LOGIN, 403, 403, 200, query="app_label=articles&model_name=author&field_name=user"),
    ],
    "admin/(?P<url>.*)$": [case(LOGIN, 404, 404, 404, path="/admin/no-such-page/")],
    # Stories: Django's views -------------------------------------------------------------------------
    "admin:articles_article_changelist": [case(LOGIN, 200, 200, 200)],
    "admin:articles_article_add": [case(LOGIN, 200, 200, 200)],
    "admin:articles_article_change": [
        case(LOGIN, 200, 200, 200, "published"),  # reporters read any story...
        case(LOGIN, 403, 200, 200, "published", method="post"),  # ...and change only their own drafts
        case(LOGIN, 200, 200, 200, "others_draft"),
        case(LOGIN, 403, 200, 200, "others_draft", method="post"),
        case(LOGIN, 200, 200, 200, "own_draft", method="post"),
        case(LOGIN, 302, 302, 302, "deleted"),  # "doesn't exist", back to the admin's home
    ],
    "admin/articles/article/<path:object_id>/": [
        case(LOGIN, 302, 302, 302, path="/admin/articles/article/{published}/")
    ],
    "admin:articles_article_history": [
        case(LOGIN, 200, 200, 200, "published"),
        case(LOGIN, 200, 200, 200, "own_draft"),
        case(LOGIN, 302, 302, 302, "deleted"),
    ],
    "admin:articles_article_delete": [
        case(LOGIN, 403, 403, 200, "published"),  # only admins delete what readers have seen
        case(LOGIN, 403, 200, 200, "others_draft"),
        case(LOGIN, 403, 200, 200, "own_draft"),
    ],
    # Stories: django-reversion's views and the project's own ---------------------------------------
    "admin:articles_article_revision": [
        case(LOGIN, 200, 200, 200, "published", "published_version"),  # compare, no restore button
        case(LOGIN, 403, 302, 302, "published", "published_version", method="post"),
        case(LOGIN, 200, 200, 200, "own_draft", "own_draft_version"),
        case(LOGIN, 302, 302, 302, "own_draft", "own_draft_version", method="post"),
        case(LOGIN, 404, 404, 404, "published", "own_draft_version"),  # another story's revision
        case(LOGIN, 404, 404, 404, "deleted", "deleted_version"),
    ],
    "admin:articles_article_recoverlist": [case(LOGIN, 403, 200, 200)],
    "admin:articles_article_recover": [
        case(LOGIN, 403, 404, 404, "published_version"),  # not deleted: restore it from its history
        case(LOGIN, 403, 404, 404, "published_version", method="post"),
        case(LOGIN, 403, 200, 200, "deleted_version"),
        case(LOGIN, 403, 302, 302, "recoverable_version", method="post"),  # brings that story back
    ],
    "admin:articles_article_presence": [
        case(LOGIN, 403, 200, 200, "published", method="post"),
        case(LOGIN, 200, 200, 200, "own_draft", method="post"),
        case(LOGIN, 403, 403, 403, "own_draft"),  # a heartbeat is a POST
    ],
    "admin:articles_article_home_board": [
        case(LOGIN, 403, 200, 200),
        case(LOGIN, 403, 200, 200, method="post"),  # no place or story chosen: the board with its error
    ],
    "admin:articles_article_send_back": [
        case(LOGIN, 403, 200, 200, "in_review"),  # the note's form
        case(LOGIN, 403, 200, 200, "in_review", method="post"),  # no note: the form with its error
        case(LOGIN, 403, 302, 302, "published", method="post"),  # not in review: back to the story
    ],
    # A person's own copy of a story while typing: kept where they may edit, discarded where they may read.
    "admin:articles_article_autosave": [
        case(LOGIN, 403, 200, 200, "published", method="post", data={"base_version": "1"}),
        case(LOGIN, 200, 200, 200, "own_draft", method="post", data={"base_version": "1"}),
        case(LOGIN, 403, 403, 403, "own_draft"),  # kept by a POST only
    ],
    "admin:articles_article_discard_autosave": [
        case(LOGIN, 302, 302, 302, "published", method="post"),
        case(LOGIN, 403, 403, 403, "own_draft"),
    ],
    "admin:articles_article_autosave_new": [
        case(LOGIN, 200, 200, 200, "new_story_key", method="post"),
        case(LOGIN, 403, 403, 403, "new_story_key"),
    ],
    "admin:articles_article_discard_autosave_new": [
        case(LOGIN, 302, 302, 302, "new_story_key", method="post"),
        case(LOGIN, 403, 403, 403, "new_story_key"),
    ],
    # Live coverage: editors post to any live story, a reporter to one they are bylined on; other stories 404.
    "admin:articles_article_live": [
        case(LOGIN, 200, 200, 200, "live"),
        case(LOGIN, 200, 200, 200, "live", method="post"),  # no body: the form with its error
        case(LOGIN, 403, 200, 200, "live_unbylined"),
        case(LOGIN, 403, 200, 200, "live_unbylined", method="post"),
        case(LOGIN, 404, 404, 404, "published"),
    ],
    "admin:articles_article_live_coverage": [
        case(LOGIN, 302, 302, 302, "live", method="post", data={"started_at": "not a time"}),
        case(LOGIN, 403, 302, 302, "live_unbylined", method="post", data={"started_at": "not a time"}),
        case(LOGIN, 405, 405, 405, "live"),  # changed by a POST only
    ],
    "admin:articles_article_live_entry": [
        case(LOGIN, 200, 200, 200, "live", "live_entry"),
        case(LOGIN, 200, 200, 200, "live", "live_entry", method="post"),
        case(LOGIN, 403, 200, 200, "live_unbylined", "unbylined_entry"),
        case(LOGIN, 403, 404, 404, "live_unbylined", "live_entry"),  # an entry of another story
    ],
    "admin:articles_article_live_entry_delete": [
        case(LOGIN, 302, 302, 302, "live", "live_entry", method="post"),
        case(LOGIN, 403, 302, 302, "live_unbylined", "unbylined_entry", method="post"),
        case(LOGIN, 405, 405, 405, "live", "live_entry"),
    ],
    "admin:articles_article_revoke_preview": [
        case(LOGIN, 403, 302, 302, "published", method="post"),
        case(LOGIN, 302, 302, 302, "own_draft", method="post"),
        case(LOGIN, 403, 403, 403, "own_draft"),
    ],
    # The copy desk: findings in the copy as typed, for whoever may change the story (or add one) --------
    "admin:articles_article_copydesk": [
        case(LOGIN, 403, 200, 200, "published", method="post"),
        case(LOGIN, 200, 200, 200, "own_draft", method="post", data={"body": "<p>Kiev</p>"}),
        case(LOGIN, 403, 403, 403, "own_draft"),  # checked by a POST only
    ],
    "admin:articles_article_copydesk_new": [case(LOGIN, 200, 200, 200, method="post"), case(LOGIN, 403, 403, 403)],
    "admin:articles_article_copydesk_ignore": [
        case(LOGIN, 403, 200, 200, "published", method="post", data={"check": "style", "text": "Kiev"}),
        case(LOGIN, 200, 200, 200, "own_draft", method="post", data={"check": "style", "text": "Kiev"}),
        case(LOGIN, 400, 400, 400, "own_draft", method="post"),  # names no finding
        case(LOGIN, 403, 403, 403, "own_draft"),
    ],
    # The style guide and the copy desk's settings: editors keep them, reporters read them.
    "admin:articles_styleentry_changelist": [case(LOGIN, 200, 200, 200)],
    "admin:articles_styleentry_add": [case(LOGIN, 403, 200, 200)],
    "admin:articles_styleentry_change": [
        case(LOGIN, 200, 200, 200, "style_entry"),
        case(LOGIN, 403, 200, 200, "style_entry", method="post"),
    ],
    "admin/articles/styleentry/<path:object_id>/": [
        case(LOGIN, 302, 302, 302, path="/admin/articles/styleentry/{style_entry}/")
    ],
    "admin:articles_styleentry_history": [case(LOGIN, 200, 200, 200, "style_entry")],
    "admin:articles_styleentry_delete": [case(LOGIN, 403, 200, 200, "style_entry")],
    "admin:articles_housestyle_changelist": [case(LOGIN, 302, 302, 302)],  # opens the one row
    "admin:articles_housestyle_add": [case(LOGIN, 403, 403, 403)],  # the row exists
    "admin:articles_housestyle_change": [
        case(LOGIN, 200, 200, 200, "house_style"),
        case(LOGIN, 403, 200, 200, "house_style", method="post"),
    ],
    "admin/articles/housestyle/<path:object_id>/": [
        case(LOGIN, 302, 302, 302, path="/admin/articles/housestyle/{house_style}/")
    ],
    "admin:articles_housestyle_history": [case(LOGIN, 200, 200, 200, "house_style")],
    "admin:articles_housestyle_delete": [case(LOGIN, 403, 403, 403, "house_style")],  # settings stay
    # Sections, authors, topics, policies --------------------------------------------------------------
    "admin:articles_section_changelist": [case(LOGIN, 200, 200, 200)],
    "admin:articles_section_add": [case(LOGIN, 403, 200, 200)],
    "admin:articles_section_change": [
        case(LOGIN, 200, 200, 200, "section"),
        case(LOGIN, 403, 200, 200, "section", method="post"),
    ],
    "admin/articles/section/<path:object_id>/": [case(LOGIN, 302, 302, 302, path="/admin/articles/section/{section}/")],
    "admin:articles_section_history": [case(LOGIN, 200, 200, 200, "section")],
    "admin:articles_section_delete": [case(LOGIN, 403, 200, 200, "section")],
    "admin:articles_author_changelist": [case(LOGIN, 200, 200, 200)],
    "admin:articles_author_add": [case(LOGIN, 403, 200, 200)],
    "admin:articles_author_change": [
        case(LOGIN, 200, 200, 200, "author"),
        case(LOGIN, 403, 200, 200, "author", method="post"),
    ],
    "admin/articles/author/<path:object_id>/": [case(LOGIN, 302, 302, 302, path="/admin/articles/author/{author}/")],
    "admin:articles_author_history": [case(LOGIN, 200, 200, 200, "author")],
    "admin:articles_author_delete": [case(LOGIN, 403, 200, 200, "author")],
    "admin:articles_tag_changelist": [case(LOGIN, 200, 200, 200)],
    "admin:articles_tag_add": [case(LOGIN, 200, 200, 200)],
    "admin:articles_tag_change": [
        case(LOGIN, 200, 200, 200, "tag"),
        case(LOGIN, 403, 200, 200, "tag", method="post"),
    ],
    "admin/articles/tag/<path:object_id>/": [case(LOGIN, 302, 302, 302, path="/admin/articles/tag/{tag}/")],
    "admin:articles_tag_history": [case(LOGIN, 200, 200, 200, "tag")],
    "admin:articles_tag_delete": [case(LOGIN, 403, 200, 200, "tag")],
    # Editors keep the policies up to date; only admins add or delete one.
    "admin:articles_policy_changelist": [case(LOGIN, 403, 200, 200)],
    "admin:articles_policy_add": [case(LOGIN, 403, 403, 200)],
    "admin:articles_policy_change": [case(LOGIN, 403, 200, 200, "policy")],
    "admin/articles/policy/<path:object_id>/": [case(LOGIN, 302, 302, 302, path="/admin/articles/policy/{policy}/")],
    "admin:articles_policy_history": [case(LOGIN, 403, 200, 200, "policy")],
    "admin:articles_policy_delete": [case(LOGIN, 403, 403, 200, "policy")],
    # The photo library (target: editors list, add and change; reporters list, add, change their own) -
    "admin:images_image_changelist": [case(LOGIN, 200, 200, 200)],
    "admin:images_image_add": [case(LOGIN, 200, 200, 200)],
    "admin:images_image_change": [
        case(LOGIN, 200, 200, 200, "own_image", method="post", data=NOT_A_NUMBER),
        case(LOGIN, 200, 200, 200, "others_image"),  # read-only for reporters
        case(LOGIN, 403, 200, 200, "others_image", method="post", data=NOT_A_NUMBER),
    ],
    "admin/images/image/<path:object_id>/": [case(LOGIN, 302, 302, 302, path="/admin/images/image/{own_image}/")],
    "admin:images_image_history": [case(LOGIN, 200, 200, 200, "own_image")],
    "admin:images_image_delete": [case(LOGIN, 403, 403, 200, "own_image")],
    "ckeditor_upload": [
        case(LOGIN, 200, 200, 200, method="post"),  # refused in CKEditor's own answer: no token
        case(LOGIN, 405, 405, 405),
    ],
    "ckeditor_browse": [case(LOGIN, 200, 200, 200)],
    "media": [everyone(404, path="/media/images/2024/01/0123456789abcdef0123456789abcdef.jpg")],
    # Users and roles ------------------------------------------------------------------------------------
    "admin:auth_user_changelist": [case(LOGIN, 403, 403, 200)],
    "admin:auth_user_add": [case(LOGIN, 403, 403, 200)],
    "admin:auth_user_change": [case(LOGIN, 403, 403, 200, "reporter")],
    "admin:auth_user_password_change": [case(LOGIN, 403, 403, 200, "reporter")],
    "admin/auth/user/<path:object_id>/": [case(LOGIN, 302, 302, 302, path="/admin/auth/user/{reporter}/")],
    "admin:auth_user_history": [case(LOGIN, 403, 403, 200, "reporter")],
    "admin:auth_user_delete": [case(LOGIN, 403, 403, 200, "reporter")],
    "admin:auth_group_changelist": [case(LOGIN, 403, 403, 200)],
    "admin:auth_group_add": [case(LOGIN, 403, 403, 200)],
    "admin:auth_group_change": [case(LOGIN, 403, 403, 200, "group")],
    "admin/auth/group/<path:object_id>/": [case(LOGIN, 302, 302, 302, path="/admin/auth/group/{group}/")],
    "admin:auth_group_history": [case(LOGIN, 403, 403, 200, "group")],
    "admin:auth_group_delete": [case(LOGIN, 403, 403, 200, "group")],
    # The content API's keys: admins make, see and revoke them; editors and reporters never see one ------
    "admin:api_apikey_changelist": [
        case(LOGIN, 403, 403, 200),
        case(LOGIN, 403, 403, 302, method="post", data={"action": "revoke", "_selected_action": "0"}),
    ],
    "admin:api_apikey_add": [case(LOGIN, 403, 403, 200), case(LOGIN, 403, 403, 200, method="post")],
    "admin:api_apikey_change": [
        case(LOGIN, 403, 403, 200, "api_key"),
        case(LOGIN, 403, 403, 200, "api_key", method="post"),  # no name: the form with its error
    ],
    "admin/api/apikey/<path:object_id>/": [case(LOGIN, 302, 302, 302, path="/admin/api/apikey/{api_key}/")],
    "admin:api_apikey_history": [case(LOGIN, 403, 403, 200, "api_key")],
    "admin:api_apikey_delete": [case(LOGIN, 403, 403, 200, "api_key")],
    # django-axes' records of logins (read-only even for admins) -----------------------------------------
    "admin:axes_accessattempt_changelist": [case(LOGIN, 403, 403, 200)],
    "admin:axes_accessattempt_add": [case(LOGIN, 403, 403, 403)],
    "admin:axes_accessattempt_change": [case(LOGIN, 403, 403, 200, "access_attempt")],
    "admin/axes/accessattempt/<path:object_id>/": [
        case(LOGIN, 302, 302, 302, path="/admin/axes/accessattempt/{access_attempt}/")
    ],
    "admin:axes_accessattempt_history": [case(LOGIN, 403, 403, 200, "access_attempt")],
    "admin:axes_accessattempt_delete": [case(LOGIN, 403, 403, 200, "access_attempt")],
    "admin:axes_accesslog_changelist": [case(LOGIN, 403, 403, 200)],
    "admin:axes_accesslog_add": [case(LOGIN, 403, 403, 403)],
    "admin:axes_accesslog_change": [case(LOGIN, 403, 403, 200, "access_log")],
    "admin/axes/accesslog/<path:object_id>/": [case(LOGIN, 302, 302, 302, path="/admin/axes/accesslog/{access_log}/")],
    "admin:axes_accesslog_history": [case(LOGIN, 403, 403, 200, "access_log")],
    "admin:axes_accesslog_delete": [case(LOGIN, 403, 403, 200, "access_log")],
    "admin:axes_accessfailurelog_changelist": [case(LOGIN, 403, 403, 200)],
    "admin:axes_accessfailurelog_add": [case(LOGIN, 403, 403, 403)],
    "admin:axes_accessfailurelog_change": [case(LOGIN, 403, 403, 200, "access_failure")],
    "admin/axes/accessfailurelog/<path:object_id>/": [
        case(LOGIN, 302, 302, 302, path="/admin/axes/accessfailurelog/{access_failure}/")
    ],
    "admin:axes_accessfailurelog_history": [case(LOGIN, 403, 403, 200, "access_failure")],
    "admin:axes_accessfailurelog_delete": [case(LOGIN, 403, 403, 200, "access_failure")],
    # Partners' webhooks: admins only. The delivery log is read-only; "retry now" is a POST ------------
    "admin:webhooks_endpoint_changelist": [case(LOGIN, 403, 403, 200)],
    "admin:webhooks_endpoint_add": [case(LOGIN, 403, 403, 200), case(LOGIN, 403, 403, 200, method="post")],
    "admin:webhooks_endpoint_change": [
        case(LOGIN, 403, 403, 200, "endpoint"),
        case(LOGIN, 403, 403, 200, "endpoint", method="post"),
    ],
    "admin/webhooks/endpoint/<path:object_id>/": [
        case(LOGIN, 302, 302, 302, path="/admin/webhooks/endpoint/{endpoint}/")
    ],
    "admin:webhooks_endpoint_history": [case(LOGIN, 403, 403, 200, "endpoint")],
    "admin:webhooks_endpoint_delete": [case(LOGIN, 403, 403, 200, "endpoint")],
    "admin:webhooks_delivery_changelist": [case(LOGIN, 403, 403, 200)],
    "admin:webhooks_delivery_add": [case(LOGIN, 403, 403, 403)],
    "admin:webhooks_delivery_change": [
        case(LOGIN, 403, 403, 200, "delivery"),
        case(LOGIN, 403, 403, 403, "delivery", method="post"),
    ],
    "admin/webhooks/delivery/<path:object_id>/": [
        case(LOGIN, 302, 302, 302, path="/admin/webhooks/delivery/{delivery}/")
    ],
    "admin:webhooks_delivery_history": [case(LOGIN, 403, 403, 200, "delivery")],
    "admin:webhooks_delivery_delete": [case(LOGIN, 403, 403, 403, "delivery")],
    "admin:webhooks_delivery_retry": [
        case(LOGIN, 403, 403, 302, "delivery", method="post"),
        case(LOGIN, 405, 405, 405, "delivery"),
    ],
    # The public site: the same for everyone, drafts included (staff preview them at articles:preview) --
    "articles:home": [everyone(200)],
    "articles:detail": [everyone(200, "section_slug", "published_slug"), everyone(404, "section_slug", "draft_slug")],
    "articles:section": [everyone(200, "section_slug")],
    "articles:author": [everyone(200, "author_slug")],
    "articles:tag": [everyone(200, "tag_slug")],
    "articles:search": [everyone(200, query="q=harbour")],
    "articles:preview": [case(LOGIN, 200, 200, 200, "others_draft"), case(LOGIN, 404, 404, 404, "deleted")],
    "articles:preview_link": [everyone(200, "preview_token"), everyone(404, "bad_token")],
    "articles:live_updates": [
        everyone(200, "live_section_slug", "live_slug"),
        everyone(200, "live_section_slug", "live_slug", query="since=1700000000000000"),
        everyone(400, "live_section_slug", "live_slug", query="since=yesterday"),
        everyone(404, "section_slug", "published_slug"),  # not a live story
    ],
    "articles:live_feed_rss": [
        everyone(200, "live_section_slug", "live_slug"),
        everyone(404, "section_slug", "draft_slug"),
    ],
    "articles:live_feed_atom": [everyone(200, "live_section_slug", "live_slug")],
    "articles:feed_rss": [everyone(200)],
    "articles:feed_atom": [everyone(200)],
    "articles:section_feed_rss": [everyone(200, "section_slug")],
    "articles:section_feed_atom": [everyone(200, "section_slug")],
    "articles:author_feed_rss": [everyone(200, "author_slug")],
    "articles:author_feed_atom": [everyone(200, "author_slug")],
    "articles:corrections_feed_rss": [everyone(200)],
    "articles:corrections_feed_atom": [everyone(200)],
    "articles:corrections": [everyone(200)],
    "articles:policy": [everyone(200, "policy_slug")],
    "articles:archive": [everyone(200)],
    "articles:archive_year": [everyone(200, "year")],
    "articles:archive_month": [everyone(200, "year", "month")],
    "articles:archive_day": [everyone(200, "year", "month", "day")],
    # The content API: the same for everyone, published stories only (docs/api.md) -----------------------
    "api:index": [everyone(200)],
    "api:api-root": [everyone(200)],  # ninja's own name for /api/v1/, which the index answers
    "api:stories": [everyone(200), everyone(200, query="section=no-such-section"), everyone(400, query="limit=0")],
    "api:story": [everyone(200, "published"), everyone(404, "others_draft")],
    "api:entries": [everyone(200, "live"), everyone(404, "published")],
    "api:sections": [everyone(200)],
    "api:authors": [everyone(200)],
    "api:topics": [everyone(200)],
    "api:search": [everyone(200, query="q=harbour"), everyone(400)],
    "api:openapi-json": [everyone(200)],
    "api:openapi-view": [everyone(200)],
    "healthz": [everyone(200)],
    "favicon": [everyone(302)],
    "robots_txt": [everyone(200)],
    "sitemap_index": [everyone(200)],
    "month_sitemap": [everyone(200, "year", "month_2")],
    "sitemap": [everyone(200, "sitemap_section"), everyone(404, "section_slug")],
    "news_sitemap": [everyone(200)],
}


@pytest.fixture
def users():
    return {role: staff_user(role.capitalize()) for role in ROLES[1:]}


@pytest.fixture
def rows(users):
    """The rows the URLs name, as the values that go into them."""
    reporter, editor = users["reporter"], users["editor"]
    endpoint = EndpointFactory(url="https://partner.example/hook")  # told of the published story below
    published = ArticleFactory(created_by=editor, published_at=timezone.now() - timedelta(days=2))
    author, tag = AuthorFactory(), TagFactory(name="Harbour")
    BylineFactory(article=published, author=author)
    published.tags.add(tag)
    others_draft = DraftFactory(created_by=editor, section=published.section)
    own_draft = DraftFactory(created_by=reporter)
    deleted, recoverable = DraftFactory(created_by=reporter), DraftFactory(created_by=reporter)
    for story in (published, own_draft, deleted, recoverable):
        with reversion.create_revision():
            story.save()
    deleted_pk, deleted_version = deleted.pk, Version.objects.get_for_object(deleted).get().pk
    recoverable_version = Version.objects.get_for_object(recoverable).get().pk
    deleted.delete()
    recoverable.delete()
    live, live_unbylined = LiveStoryFactory(created_by=editor), LiveStoryFactory(created_by=editor)
    BylineFactory(article=live, author=AuthorFactory(user=reporter))
    policy = Policy.objects.create(title="Corrections", slug="corrections-policy", body="We correct errors.")

    day = timezone.localtime(published.published_at)
    return {
        "published": published.pk,
        "published_version": Version.objects.get_for_object(published).get().pk,
        "published_slug": published.slug,
        "others_draft": others_draft.pk,
        "draft_slug": others_draft.slug,
        "own_draft": own_draft.pk,
        "in_review": DraftFactory(created_by=reporter, status=Article.Status.REVIEW).pk,
        "own_draft_version": Version.objects.get_for_object(own_draft).get().pk,
        "deleted": deleted_pk,
        "deleted_version": deleted_version,
        "recoverable_version": recoverable_version,
        "live": live.pk,
        "live_slug": live.slug,
        "live_section_slug": live.section.slug,
        "live_entry": LiveEntryFactory(article=live).pk,
        "live_unbylined": live_unbylined.pk,
        "unbylined_entry": LiveEntryFactory(article=live_unbylined).pk,
        "preview_token": preview_token(DraftFactory()),
        "bad_token": "not-a-token",
        "new_story_key": "6f1c2e6a-3b8e-4c1d-9a55-0d2b7e4f8a10",
        "section": published.section_id,
        "section_slug": published.section.slug,
        "author": author.pk,
        "author_slug": author.slug,
        "tag": tag.pk,
        "tag_slug": tag.slug,
        "policy": policy.pk,
        "style_entry": StyleEntry.objects.create(discouraged="Peking", preferred="Beijing").pk,
        "house_style": HouseStyle.objects.get_or_create(pk=1)[0].pk,
        "policy_slug": policy.slug,
        "endpoint": endpoint.pk,
        "delivery": endpoint.deliveries.first().pk,
        "own_image": ImageFactory(uploaded_by=reporter).pk,
        "others_image": ImageFactory(uploaded_by=editor).pk,
        "reporter": reporter.pk,
        "group": Group.objects.get(name="Reporter").pk,
        "access_attempt": AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", failures_since_start=1).pk,
        "access_log": AccessLog.objects.create(username="x", ip_address="10.0.0.1").pk,
        "access_failure": AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1").pk,
        "article_type": ContentType.objects.get_for_model(Article).pk,
        "year": day.year,
        "month": day.month,
        "day": day.day,
        "month_2": f"{day.month:02d}",
        "sitemap_section": "sections",
        "articles": "articles",
        "images": "images",
        "auth": "auth",
        "axes": "axes",
        "api": "api",
        "api_key": api_key_of(editor),
        "webhooks": "webhooks",
    }


def api_key_of(owner):
    key = ApiKey(name="Partner app", owner=owner)
    key.issue()
    key.save()
    return key.pk


def served_patterns(resolver=None, prefix="", namespace=""):
    """Every URL pattern: its namespaced name, or its full route when it has none."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from served_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            yield ":".join(filter(None, [namespace, pattern.name]))
        else:
            yield prefix + str(pattern.pattern)


def url_of(name, request, rows):
    if request["path"]:
        url = request["path"].format(**rows)
    else:
        url = reverse(name, args=[rows[arg] for arg in request["args"]])
    return f"{url}?{request['query']}" if request["query"] else url


def answer(client, url, request):
    response = client.post(url, request["data"]) if request["method"] == "post" else client.get(url)
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return LOGIN
    return response.status_code


def test_every_url_the_project_serves_has_an_entry():
    served = set(served_patterns())
    assert sorted(served - set(EXPECTED)) == [], "URLs without an entry in EXPECTED"
    assert sorted(set(EXPECTED) - served) == [], "entries in EXPECTED for URLs the project no longer serves"


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_matrix_says(role, users, rows):
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    wrong = []
    for name, requests in EXPECTED.items():
        for request in requests:
            url = url_of(name, request, rows)
            got = answer(client, url, request)
            if got != request[role]:
                wrong.append(f"{request['method'].upper()} {url} ({name}): expected {request[role]}, got {got}")
    assert not wrong, "\n".join(wrong)
