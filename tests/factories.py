import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Author, Byline, Correction, LiveEntry, Section, Tag
from images.models import Image
from webhooks.models import Endpoint


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Topic {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published story, live since an hour ago."""

    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"Story number {n} makes the news")
    slug = factory.Sequence(lambda n: f"story-{n}")
    standfirst = "A short summary under the headline."
    body = "<p>First paragraph of the story.</p><p>Second paragraph.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(AuthorFactory)


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    note = factory.Sequence(lambda n: f"An earlier version misstated figure {n}.")


class LiveStoryFactory(ArticleFactory):
    article_type = Article.Type.LIVE


class LiveEntryFactory(factory.django.DjangoModelFactory):
    """An entry readers see, posted a minute ago."""

    class Meta:
        model = LiveEntry

    article = factory.SubFactory(LiveStoryFactory)
    body = factory.Sequence(lambda n: f"<p>Update number {n} from the scene.</p>")
    posted_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(minutes=1))


def staff_user(role, username=None):
    """A staff account in one of the newsroom's role groups (Reporter, Editor, Admin)."""
    from django.contrib.auth.models import Group

    user = UserFactory(username=username or role.lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    file = factory.django.ImageField(width=1600, height=1000, format="JPEG", color="teal")
    alt_text = "Ferry passengers on the quay at dusk"
    caption = "The last ferry leaves Riverport."
    credit = "Jonas Berg / The Newsroom"


class DraftFactory(ArticleFactory):
    status = Article.Status.DRAFT
    published_at = None


class ReadyDraftFactory(DraftFactory):
    """A draft the publish checklist lets through: a byline and a described lead picture."""

    class Meta:
        skip_postgeneration_save = True

    lead_image = factory.SubFactory(ImageFactory)
    byline = factory.RelatedFactory(BylineFactory, factory_related_name="article")


class EndpointFactory(factory.django.DjangoModelFactory):
    """A partner's endpoint taking every section (tests/webhook_receiver.py listens on such a URL)."""

    class Meta:
        model = Endpoint

    name = factory.Sequence(lambda n: f"Partner {n}")
    url = "http://127.0.0.1:8111/hook"
    secret = factory.Sequence(lambda n: f"partner-{n}-shared-secret-Zx81")
