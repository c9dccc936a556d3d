"""A posted value that is not a key in an autocomplete field gets the form's error, never a 500."""

import pytest
from django.urls import reverse

from articles.models import Tag

from .factories import AuthorFactory, DraftFactory, TagFactory, staff_user
from .test_workflow import change_url, client_for, form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field, value",
    [
        ("tags", ["x"]),
        ("lead_image", "x"),
        ("bylines-0-author", "x"),
        ("tags", ["99999999999999999999"]),
        ("lead_image", "99999999999999999999"),
        ("bylines-0-author", "-99999999999999999999"),
    ],
)
def test_editor_posting_a_story_with_a_malformed_choice_gets_the_form_back(field, value):
    draft = DraftFactory(headline="Ferry strike called off")
    data = form_data(draft)
    if field.startswith("bylines"):
        data.update({"bylines-TOTAL_FORMS": "1", "bylines-0-role": "by", "bylines-0-position": "0"})
    data[field] = value

    response = client_for(staff_user("Editor")).post(change_url(draft), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in html or "“x” is not a valid value" in html
    assert 'value="Ferry strike called off"' in html


def test_editor_posting_an_author_with_a_malformed_account_gets_the_form_back():
    author = AuthorFactory(name="Ana Ruiz")
    data = {"name": author.name, "slug": author.slug, "bio": "", "user": "x"}

    response = client_for(staff_user("Editor")).post(reverse("admin:articles_author_change", args=[author.pk]), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_number_no_key_can_hold_matches_nothing_beside_real_keys():
    tag = TagFactory()

    assert list(Tag.objects.filter(pk__in=[10**20, tag.pk, -(10**20)])) == [tag]
    assert not Tag.objects.filter(pk__in=[10**20]).exists()
