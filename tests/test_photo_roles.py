"""Editors and reporters use the photo library from their roles; editors read the status log and edit policies."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage

from articles.models import Policy
from images.models import Image

from .factories import ArticleFactory, DraftFactory, ImageFactory, staff_user
from .test_images import ckeditor_post
from .test_workflow import change_url, client_for

pytestmark = pytest.mark.django_db

ROLES = ["Editor", "Reporter"]


def small_jpeg():
    buffer = io.BytesIO()
    PillowImage.new("RGB", (320, 200), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


def story_they_may_edit(user):
    return DraftFactory(created_by=user)


def image_change_url(image):
    return reverse("admin:images_image_change", args=[image.pk])


@pytest.mark.parametrize("role", ROLES)
def test_editor_and_reporter_open_the_photo_library_and_its_add_page(role):
    ImageFactory(caption="Ferry at dusk")
    client = client_for(staff_user(role))

    listing = client.get(reverse("admin:images_image_changelist"))

    assert listing.status_code == 200 and "Ferry at dusk" in listing.content.decode()
    assert client.get(reverse("admin:images_image_add")).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_editor_and_reporter_upload_and_describe_a_picture_in_the_library(role):
    user = staff_user(role)
    data = {
        "file": SimpleUploadedFile("quay.jpg", small_jpeg()),
        "alt_text": "The quay at low tide",
        "caption": "Low tide",
        "credit": "Jonas Berg",
        "focal_x": "30",
        "focal_y": "60",
    }

    response = client_for(user).post(reverse("admin:images_image_add"), data)

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.alt_text, image.uploaded_by, image.focal_point) == ("The quay at low tide", user, (0.3, 0.6))


@pytest.mark.parametrize("role", ROLES)
def test_story_form_offers_the_library_search_and_the_upload_button_to_both_roles(role):
    user = staff_user(role)
    client = client_for(user)
    ImageFactory(caption="Harbour cranes at dawn")
    autocomplete = reverse("admin:autocomplete")

    html = client.get(change_url(story_they_may_edit(user))).content.decode()

    assert 'id="add_id_lead_image"' in html
    assert f'data-ajax--url="{autocomplete}"' in html
    add_popup = client.get(f"{reverse('admin:images_image_add')}?_to_field=id&_popup=1")
    assert add_popup.status_code == 200
    params = {"app_label": "articles", "model_name": "article", "field_name": "lead_image", "term": ""}
    response = client.get(autocomplete, params)
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Harbour cranes at dawn"]


def test_reporter_changes_only_pictures_they_uploaded():
    reporter = staff_user("Reporter")
    client = client_for(reporter)
    own, others = ImageFactory(uploaded_by=reporter), ImageFactory(uploaded_by=staff_user("Editor"))
    fields = {"alt_text": "Rewritten", "caption": "", "credit": "", "source": ""}

    assert client.post(image_change_url(own), fields).status_code == 302
    assert client.post(image_change_url(others), fields).status_code == 403
    assert client.get(image_change_url(others)).status_code == 200  # read only
    assert list(Image.objects.order_by("pk").values_list("alt_text", flat=True)) == [
        "Rewritten",
        "Ferry passengers on the quay at dusk",
    ]


def test_editor_describes_anyones_picture_but_only_admins_delete_from_the_library():
    editor = client_for(staff_user("Editor"))
    picture = ImageFactory(uploaded_by=staff_user("Reporter"), alt_text="")
    fields = {"alt_text": "Crowd at the town hall", "caption": "", "credit": "", "source": ""}

    assert editor.post(image_change_url(picture), fields).status_code == 302
    assert editor.post(reverse("admin:images_image_delete", args=[picture.pk]), {"post": "yes"}).status_code == 403
    picture.refresh_from_db()
    assert picture.alt_text == "Crowd at the town hall"


def test_ckeditor_upload_and_browse_follow_the_library_roles(django_user_model):
    reporter = client_for(staff_user("Reporter"))
    no_role = client_for(django_user_model.objects.create_user("intern", is_staff=True))

    assert ckeditor_post(reporter, small_jpeg()).json()["uploaded"] == 1
    assert reporter.get(reverse("ckeditor_browse")).status_code == 200

    refused = ckeditor_post(no_role, small_jpeg()).json()
    assert refused["uploaded"] == 0 and "may not add pictures" in refused["error"]["message"]
    assert no_role.get(reverse("ckeditor_browse")).status_code == 403
    assert Image.objects.count() == 1


def test_editor_reads_the_status_log_of_a_story():
    editor = staff_user("Editor")
    story = ArticleFactory()

    html = client_for(editor).get(change_url(story)).content.decode()

    assert 'id="status_changes-heading"' in html and "new → published" in html


def test_editor_edits_the_corrections_policy():
    editor = client_for(staff_user("Editor"))
    policy, _ = Policy.objects.get_or_create(slug=Policy.CORRECTIONS, defaults={"title": "Corrections", "body": "."})
    url = reverse("admin:articles_policy_change", args=[policy.pk])

    assert editor.get(url).status_code == 200
    response = editor.post(url, {"title": "Corrections", "slug": "corrections", "body": "We correct errors fast."})

    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.body == "We correct errors fast."
