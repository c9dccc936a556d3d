"""Admins register endpoints and read the delivery log; nobody else sees either (tests/test_permission_matrix.py
has every URL for every role)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webhooks.forms import EndpointForm
from webhooks.models import Delivery, Endpoint

from .factories import ArticleFactory, EndpointFactory, SectionFactory, staff_user

pytestmark = pytest.mark.django_db

Status = Delivery.Status
SECRET = "wire-desk-shared-secret-9f3Kq"
ADD_URL = reverse("admin:webhooks_endpoint_add")
BOUNDED = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def client_for(role):
    client = Client()
    client.force_login(staff_user(role))
    return client


@pytest.fixture
def admin_client():
    return client_for("Admin")


def endpoint_form(**overrides):
    return {"name": "Wire partner", "url": "https://partner.example/hooks/newsroom", "new_secret": SECRET, **overrides}


def errors_of(response):
    return [str(error) for field in response.context["adminform"].form.errors.values() for error in field]


def test_admin_registers_an_endpoint_for_two_sections_and_the_secret_is_never_shown_again(admin_client):
    news, sport, _ = SectionFactory(name="News"), SectionFactory(name="Sport"), SectionFactory()

    response = admin_client.post(ADD_URL, endpoint_form(sections=[news.pk, sport.pk], active="on"))

    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert (endpoint.secret, set(endpoint.sections.all()), endpoint.active) == (SECRET, {news, sport}, True)
    change = admin_client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])).content.decode()
    listing = admin_client.get(reverse("admin:webhooks_endpoint_changelist")).content.decode()
    assert SECRET not in change and SECRET not in listing
    assert SECRET[-4:] in change  # enough to tell which one is set
    assert "News, Sport" in listing


def test_an_empty_secret_keeps_the_one_set_and_a_new_one_replaces_it(admin_client):
    endpoint = EndpointFactory(secret=SECRET, url="https://partner.example/hook")
    url = reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])

    assert admin_client.post(url, endpoint_form(new_secret="", url=endpoint.url)).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret == SECRET
    admin_client.post(url, endpoint_form(new_secret="a-new-secret-for-next-year", url=endpoint.url))
    endpoint.refresh_from_db()
    assert endpoint.secret == "a-new-secret-for-next-year"


@pytest.mark.parametrize(
    "secret, error",
    [("", "This field is required."), ("short", "Ensure this value has at least 16 characters (it has 5).")],
)
def test_a_new_endpoint_needs_a_secret_long_enough(admin_client, secret, error):
    response = admin_client.post(ADD_URL, endpoint_form(new_secret=secret))

    assert response.status_code == 200
    assert error in errors_of(response)
    assert not Endpoint.objects.exists()


ODD_URLS = {
    "ftp://partner.example/hook": "Use an http:// or https:// address.",
    "javascript:alert(1)": "Use an http:// or https:// address.",
    "file:///etc/passwd": "Use an http:// or https:// address.",
    "partner.example/hook": "Use an http:// or https:// address.",
    "//partner.example/hook": "Use an http:// or https:// address.",
    "http://": "This is not a complete web address",
    "https:///hook": "This is not a complete web address",
    "http://part ner.example/": "This is not a complete web address",
    "http://partner.example:99999/": "This is not a complete web address",
    "https://partner.example/\x07bell": "This is not a complete web address",
    "https://partner.example/\u2028line": "This is not a complete web address",
    "http://user:password@partner.example/hook": "Leave the user name and password out of the address",
    "http://127.0.0.1:8000/admin/": "127.0.0.1 is a private or reserved address",
    "http://localhost/hook": "localhost is a private or reserved address",
    "http://10.1.2.3/hook": "10.1.2.3 is a private or reserved address",
    "http://169.254.169.254/latest/meta-data/": "169.254.169.254 is a private or reserved address",
    "http://[::1]:8080/": "::1 is a private or reserved address",
    "http://[::ffff:192.168.0.1]/": "::ffff:192.168.0.1 is a private or reserved address",
    "https://partner.example/" + "a" * 2000: "Ensure this value has at most 2000 characters",
}


@pytest.mark.parametrize("url", ODD_URLS)
def test_odd_urls_are_refused_with_a_clear_error(admin_client, url):
    response = admin_client.post(ADD_URL, endpoint_form(url=url))

    assert response.status_code == 200
    assert any(error.startswith(ODD_URLS[url]) for error in errors_of(response)), errors_of(response)
    assert not Endpoint.objects.exists()


def test_loopback_endpoints_are_accepted_when_private_addresses_are_allowed(admin_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True

    assert admin_client.post(ADD_URL, endpoint_form(url="http://127.0.0.1:8111/hook")).status_code == 302


@pytest.mark.parametrize(
    "url", ["https://partner.example/hook?token=abc&x=1", "http://пример.рф/приём", "https://8.8.8.8:8443/h"]
)
def test_ordinary_public_addresses_are_accepted(admin_client, url):
    assert admin_client.post(ADD_URL, endpoint_form(url=url)).status_code == 302
    assert Endpoint.objects.get().url == url


@BOUNDED
@given(url=st.one_of(st.text(max_size=300), st.text(max_size=60).map(lambda text: f"https://{text}")))
def test_any_text_as_a_url_gives_a_form_error_or_an_http_address_never_a_crash(url):
    form = EndpointForm(data=endpoint_form(url=url))

    if form.is_valid():
        assert form.cleaned_data["url"].lower().startswith(("http://", "https://"))
    else:
        assert form.errors


HARD_NAMES = [
    "Беларусь і свет — навіны " * 3,
    "\u200f\u05d7\u05d3\u05e9\u05d5\u05ea \u05d4\u05e2\u05d5\u05dc\u05dd",
    "村上春樹" * 20,
    "👩🏽‍🚒 " + "e" + "\u0301" * 40,
    "<script>alert(1)</script>",
]


def test_long_sections_named_in_any_script_can_be_chosen_and_are_listed(admin_client):
    sections = [SectionFactory(name=name[:80]) for name in HARD_NAMES]

    form_page = admin_client.get(ADD_URL)
    response = admin_client.post(ADD_URL, endpoint_form(sections=[section.pk for section in sections]))
    listing = admin_client.get(reverse("admin:webhooks_endpoint_changelist"))

    assert form_page.status_code == 200
    assert response.status_code == 302
    assert set(Endpoint.objects.get().sections.all()) == set(sections)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "村上春樹" in html and "<script>alert(1)</script>" not in html


def test_a_story_in_a_section_with_a_hard_name_is_sent_to_the_endpoint_taking_it():
    section = SectionFactory(name=HARD_NAMES[0][:80])
    endpoint = EndpointFactory()
    endpoint.sections.add(section)

    ArticleFactory(section=section)

    assert endpoint.deliveries.count() == 1


@pytest.fixture
def failed_delivery():
    EndpointFactory()
    ArticleFactory()
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Status.FAILED,
        attempts=29,
        last_status_code=503,
        last_error="HTTP 503 Service Unavailable: partner is down for maintenance",
        give_up_at=timezone.now() - timedelta(minutes=1),
    )
    return delivery


@pytest.fixture
def logged(failed_delivery):
    EndpointFactory()  # another endpoint, for the listing to tell apart
    return failed_delivery


def test_the_delivery_log_shows_status_attempts_and_last_error(admin_client, logged):
    html = admin_client.get(reverse("admin:webhooks_delivery_changelist")).content.decode()

    assert "Gave up" in html and ">29<" in html and "partner is down for maintenance" in html
    page = admin_client.get(reverse("admin:webhooks_delivery_change", args=[logged.pk])).content.decode()
    assert "Retry now" in page and str(logged.uuid) in page


def test_retry_now_from_the_log_makes_a_failed_delivery_due_with_a_fresh_day(admin_client, failed_delivery):
    response = admin_client.post(
        reverse("admin:webhooks_delivery_changelist"), {"action": "retry_now", "_selected_action": [failed_delivery.pk]}
    )

    assert response.status_code == 302
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == Status.PENDING
    assert failed_delivery.next_attempt_at <= timezone.now() and failed_delivery.give_up_at is None


def test_retry_now_from_a_deliverys_page(admin_client, failed_delivery):
    response = admin_client.post(reverse("admin:webhooks_delivery_retry", args=[failed_delivery.pk]))

    assert response.status_code == 302
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == Status.PENDING


@pytest.mark.parametrize("role", ["Editor", "Reporter"])
def test_editors_and_reporters_can_neither_see_endpoints_nor_retry(role, failed_delivery):
    client = client_for(role)

    assert client.get(reverse("admin:webhooks_endpoint_changelist")).status_code == 403
    assert client.get(reverse("admin:webhooks_delivery_changelist")).status_code == 403
    assert client.post(reverse("admin:webhooks_delivery_retry", args=[failed_delivery.pk])).status_code == 403
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == Status.FAILED
    assert "webhooks" not in client.get(reverse("admin:index")).content.decode().lower()
