import pytest
from django.urls import reverse

from articles.models import Article

from .factories import ArticleFactory, AuthorFactory, BylineFactory, ImageFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def article_form(section, author, **overrides):
    data = {
        "headline": "Council approves night buses",
        "slug": "council-approves-night-buses",
        "standfirst": "Six routes from March.",
        "body": '<p>The vote was 31 to 9.</p><script>alert("x")</script><p onclick="steal()">More.</p>',
        "section": section.pk,
        "article_type": "news",
        "dateline": "RIVERPORT",
        "source": "",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-author": author.pk,
        "bylines-0-role": "by",
        "bylines-0-position": "0",
        # No lead picture: the editor publishes anyway (tests/test_publish_checklist.py tests the checklist).
        "publish_anyway": "on",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_editor_adds_a_story_through_the_admin_and_it_is_sanitised_and_stamped(admin_client, admin_user):
    section, author = SectionFactory(), AuthorFactory()

    response = admin_client.post(reverse("admin:articles_article_add"), article_form(section, author))

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.body == "<p>The vote was 31 to 9.</p><p>More.</p>"
    assert article.created_by == admin_user
    assert article.last_edited_by == admin_user
    assert article.published_at is not None
    assert list(article.authors.all()) == [author]


def test_admin_form_refuses_a_duplicate_slug_with_a_message(admin_client):
    existing = ArticleFactory(slug="taken")
    data = article_form(existing.section, AuthorFactory(), slug="taken")

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    assert "Article with this Slug already exists." in response.content.decode()
    assert Article.objects.count() == 1


def test_changelist_shows_columns_filters_and_searches(admin_client):
    article = ArticleFactory(headline="Harbour delay")
    BylineFactory(article=article, author=AuthorFactory(name="Sam Achter"))
    ArticleFactory(headline="Scheduled piece", published_at=article.published_at.replace(year=2199))
    url = reverse("admin:articles_article_changelist")

    html = admin_client.get(url).content.decode()
    assert "Harbour delay" in html and "Sam Achter" in html and "Scheduled" in html
    assert "By status" in html and "By section" in html

    searched = admin_client.get(url, {"q": "harbour"}).content.decode()
    assert "Harbour delay" in searched and "Scheduled piece" not in searched
    assert admin_client.get(url, {"status__exact": "draft"}).status_code == 200


def test_bulk_publish_and_unpublish_actions(admin_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, lead_image=ImageFactory())
    BylineFactory(article=draft)
    url = reverse("admin:articles_article_changelist")

    admin_client.post(url, {"action": "publish", "_selected_action": [draft.pk], f"version_{draft.pk}": draft.version})
    draft.refresh_from_db()
    assert draft.is_published()

    data = {"action": "unpublish", "_selected_action": [draft.pk], f"version_{draft.pk}": draft.version}
    admin_client.post(url, data)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_change_page_has_ckeditor_and_view_on_site(admin_client):
    article = ArticleFactory()

    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert "ckeditor/ckeditor.js" in html
    assert "View on site" in html
    assert 'id="id_slug"' in html and "prepopulated" in html


def test_author_and_tag_autocomplete_answer(admin_client):
    AuthorFactory(name="Priya Nair")
    TagFactory(name="Rivers")
    url = reverse("admin:autocomplete")
    params = {"app_label": "articles", "model_name": "byline", "field_name": "author", "term": "pri"}

    assert admin_client.get(url, params).json()["results"][0]["text"] == "Priya Nair"
    params = {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "riv"}
    assert admin_client.get(url, params).json()["results"][0]["text"] == "Rivers"


def test_readers_cannot_reach_the_admin(client):
    response = client.get(reverse("admin:articles_article_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_ckeditor_upload_is_for_staff_only(client, django_user_model):
    django_user_model.objects.create_user("reader", password="x")
    client.login(username="reader", password="x")

    response = client.post("/ckeditor/upload/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
