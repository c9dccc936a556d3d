"""Story dates: refused outside the years 1900 to 2200 on every way in, and survived on every page when a row
holds one anyway (written around the models, or older than the rule)."""

import datetime as dt
import json
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importers import ImportFailed, import_stories
from articles.metadata import structured_data
from articles.models import Article, Correction
from articles.preview import preview_token

from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    DraftFactory,
    ReadyDraftFactory,
    TagFactory,
    staff_user,
)
from .public_surfaces import surface_paths
from .test_workflow import change_url, client_for, form_data

pytestmark = pytest.mark.django_db

UTC = dt.UTC
FIRST_MOMENT = dt.datetime(1, 1, 1, tzinfo=UTC)
LAST_MOMENT = dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
# Time zones far on both sides of UTC: year 1 in New York and 9999 in Kiritimati are outside Python's range.
TIME_ZONES = ["UTC", "America/New_York", "Pacific/Kiritimati", "Europe/Minsk", "Pacific/Pago_Pago"]
BOTH_SIDES_OF_UTC = TIME_ZONES[:3]
DATED_FIELDS = ["published_at", "expires_at", "updated_at", "correction"]
XML_PATHS = ("/feeds/", "/sitemap")

far_dates = st.one_of(
    st.sampled_from([FIRST_MOMENT, LAST_MOMENT, dt.datetime(1899, 12, 31, 23, 59, tzinfo=UTC)]),
    st.sampled_from([dt.datetime(2201, 1, 1, tzinfo=UTC), dt.datetime(2200, 12, 31, 23, 59, tzinfo=UTC)]),
    st.sampled_from([dt.datetime(1900, 1, 1, 0, 30, tzinfo=UTC)]),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59), timezones=st.just(UTC)),
)


def story_with_everything():
    article = ArticleFactory(headline="Harbour alert after the storm")
    article.tags.add(TagFactory())
    BylineFactory(article=article)
    CorrectionFactory(article=article)
    return Article.objects.get(pk=article.pk)


def assert_every_surface_survives(client, article, paths):
    """Every public page below 500, feeds and sitemaps well-formed XML; the admin list and story open."""
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, path
        if path.startswith(XML_PATHS) and response.status_code == 200:
            ElementTree.fromstring(response.content)
    editor = client_for(staff_user("Editor"))
    for path in [
        reverse("admin:articles_article_changelist"),
        change_url(article),
        reverse("articles:preview", args=[article.pk]),
    ]:
        assert editor.get(path).status_code == 200, path
    changelist = editor.get(reverse("admin:articles_article_changelist")).content.decode()
    for year in {f"{moment:%Y}" for moment in Article.objects.values_list("published_at", flat=True) if moment}:
        drill_down = f"{reverse('admin:articles_article_changelist')}?published_at__year={int(year)}"
        assert editor.get(drill_down).status_code < 500, drill_down
    assert article.headline in changelist


# Drafts have no publication time ------------------------------------------------------------------


def test_editor_previews_a_draft_without_a_publish_time_and_so_does_a_shared_link(client):
    draft = DraftFactory(headline="Budget talks stall")
    editor = client_for(staff_user("Editor"))

    preview = editor.get(reverse("articles:preview", args=[draft.pk]))
    shared = client.get(reverse("articles:preview_link", args=[preview_token(draft)]))

    assert preview.status_code == 200 and shared.status_code == 200
    html = preview.content.decode()
    assert "Not published yet" in html
    assert "article:published_time" not in html
    assert "datePublished" not in structured_data(draft)


# One rule on every way in -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "time"), [("0001-01-01", "00:00:00"), ("9999-12-31", "23:59:00"), ("1899-12-31", "12:00")]
)
def test_editor_gets_a_form_error_for_a_date_outside_the_years_stories_carry_and_keeps_the_text(settings, day, time):
    settings.TIME_ZONE = "Europe/Minsk"
    article = ArticleFactory()
    editor = client_for(staff_user("Editor"))
    text = "<p>Every word the editor wrote tonight.</p>"

    response = editor.post(change_url(article), form_data(article, body=text, published_at_0=day, published_at_1=time))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a date between the years 1900 and 2200" in html
    assert "Every word the editor wrote tonight." in html
    assert Article.objects.get(pk=article.pk).published_at == article.published_at


def test_editor_adds_a_correction_dated_in_year_9999_and_gets_a_form_error():
    article = ArticleFactory()
    editor = client_for(staff_user("Editor"))
    data = form_data(
        article,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-note": "The figure was 31, not 13.",
            "corrections-0-created_at_0": "9999-12-31",
            "corrections-0-created_at_1": "23:00:00",
        },
    )

    response = editor.post(change_url(article), data)

    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2200" in response.content.decode()
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    "published_at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "2201-01-01T00:00Z"]
)
def test_importer_refuses_a_story_dated_outside_the_years_with_one_clear_line(published_at):
    story = {"headline": "Wire copy from nowhere", "body_html": "<p>Text.</p>", "published_at": published_at}

    with pytest.raises(ImportFailed) as refused:
        import_stories([story], label="wire.json")

    assert "published_at: Enter a date between the years 1900 and 2200" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert not Article.objects.exists()


@pytest.mark.parametrize("field", ["published_at", "expires_at", "updated_at"])
def test_saving_a_story_in_code_refuses_a_date_outside_the_years(field):
    article = ArticleFactory()
    setattr(article, field, LAST_MOMENT)

    with pytest.raises(ValidationError) as refused:
        article.save()

    assert field in refused.value.message_dict
    correction = Correction(article=article, note="Wrong year.", created_at=FIRST_MOMENT)
    with pytest.raises(ValidationError):
        correction.save()


def test_bulk_publish_of_a_story_dated_in_year_one_is_refused_with_a_message():
    draft = ReadyDraftFactory(headline="Stored long ago")
    Article.objects.filter(pk=draft.pk).update(published_at=FIRST_MOMENT)
    editor = client_for(staff_user("Editor"))

    response = editor.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [draft.pk], f"version_{draft.pk}": draft.version},
        follow=True,
    )

    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2200" in response.content.decode()
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT


# Every page survives any stored date -------------------------------------------------------------


# Such dates reach only PostgreSQL, from rows written around the models (which refuse them), and are read there
# as the nearest time Python can hold (newsroom/timestamps.py).
@pytest.mark.postgres
@pytest.mark.parametrize("time_zone", BOTH_SIDES_OF_UTC)
@pytest.mark.parametrize("moment", [FIRST_MOMENT, LAST_MOMENT], ids=["year-1", "year-9999"])
@pytest.mark.parametrize("field", DATED_FIELDS)
def test_every_page_survives_a_story_date_at_the_ends_of_the_calendar(client, settings, time_zone, moment, field):
    settings.TIME_ZONE = time_zone
    article = story_with_everything()
    paths = surface_paths(article)
    if field == "correction":
        Correction.objects.filter(article=article).update(created_at=moment)
    else:
        Article.objects.filter(pk=article.pk).update(**{field: moment})

    assert_every_surface_survives(client, article, paths)


@pytest.mark.postgres
@pytest.mark.parametrize("stored", ["infinity", "-infinity", "0044-03-15 12:00 BC", "20000-01-01 00:00+00"])
def test_every_page_survives_a_time_only_the_database_can_hold(client, settings, stored):
    settings.TIME_ZONE = "America/New_York"
    article = story_with_everything()
    paths = surface_paths(article)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET updated_at = %s::timestamptz WHERE id = %s", [stored, article.pk])
        cursor.execute("UPDATE articles_correction SET created_at = %s::timestamptz", [stored])

    assert_every_surface_survives(client, article, paths)


@pytest.mark.parametrize(
    "path",
    [
        "/archive/9999/",
        "/archive/9999/12/",
        "/archive/9999/12/31/",
        "/archive/0/1/1/",
        "/archive/1/1/1/",
        "/archive/10000/1/1/",
        "/archive/2024/13/",
        "/archive/2024/2/30/",
        "/archive/99999999999999999999/",
        "/archive/2024/99999999999999999999/",
        "/archive/2024/1/99999999999999999999/",
    ],
)
def test_archive_of_a_period_that_cannot_hold_stories_is_a_404(client, path):
    ArticleFactory()

    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["published_at__year=9999", "published_at__year=9999&published_at__month=12", "published_at__year=99999999999"],
)
def test_admin_list_drilled_down_past_year_9999_shows_the_whole_list(query):
    ArticleFactory(headline="Still listed")
    editor = client_for(staff_user("Editor"))

    response = editor.get(f"{reverse('admin:articles_article_changelist')}?{query}", follow=True)

    assert response.status_code == 200
    assert "Still listed" in response.content.decode()


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    moment=far_dates,
    # Rows written around the models reach pages only on PostgreSQL, whose readers clamp them (see above).
    way_in=st.sampled_from(["admin form", "importer", *(["database"] if connection.vendor == "postgresql" else [])]),
    field=st.sampled_from(DATED_FIELDS),
    time_zone=st.sampled_from(TIME_ZONES),
)
def test_a_date_at_or_beyond_the_allowed_years_never_breaks_a_page(client, settings, moment, way_in, field, time_zone):
    """Whichever way a date comes in, it is refused or stored, and then every surface still answers."""
    settings.TIME_ZONE = time_zone
    article = story_with_everything()
    paths = surface_paths(article)
    allowed = 1900 <= moment.year <= 2200
    if way_in == "admin form":
        editor = client_for(staff_user("Editor"))
        if field == "correction":
            names = {
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "clarification",
                "corrections-0-note": "A clarification.",
                "corrections-0-created_at_0": moment.date().isoformat(),
                "corrections-0-created_at_1": f"{moment:%H:%M:%S}",
            }
        else:
            names = {f"{field}_0": moment.date().isoformat(), f"{field}_1": f"{moment:%H:%M:%S}"}
        if field == "updated_at":  # not on the form: the substantive tick stamps it
            names = {"substantive": "on"}
        response = editor.post(change_url(article), form_data(article, **names))
        refused = not allowed and field != "updated_at"
        assert response.status_code == (200 if refused else 302)
        assert not refused or "Enter a date between the years" in response.content.decode()
    elif way_in == "importer":
        story = {"headline": "Imported at the edge", "body_html": "<p>x</p>", "published_at": moment.isoformat()}
        story["source"] = "Wire"
        try:
            import_stories([story], label="edge.json", publish=True)
        except ImportFailed as refused:
            assert not allowed and "Enter a date between the years" in str(refused)
        else:
            assert allowed
    elif field == "correction":
        Correction.objects.filter(article=article).update(created_at=moment)
    else:
        Article.objects.filter(pk=article.pk).update(**{field: moment})

    assert_every_surface_survives(client, article, paths)
    json.dumps(structured_data(Article.objects.for_detail().get(pk=article.pk)))
