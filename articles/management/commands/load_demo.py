import json
import secrets
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.importers import import_file, import_stories
from articles.models import Author, Section, Tag
from articles.roles import ADMIN_ROLE
from images.demo import load_demo_photos

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_STORIES = DEMO_DIR / "stories.json"
# The project's first real story: the wire piece from shared/samples/000_b48d73fa71903dbf.txt.
SAMPLE_STORY = DEMO_DIR / "wire-minsk-militia.txt"

SECTIONS = [
    ("news", "News", "What is happening in Riverport and the Elde valley today."),
    ("world", "World", "International news from our correspondents and the wires."),
    ("politics", "Politics", "The council, parliament and the people who run them."),
    ("business", "Business", "Companies, jobs and the cost of living."),
    ("science", "Science", "Research, health and the natural world."),
    ("culture", "Culture", "Music, books, art and ideas."),
]
DEMO_ACCOUNTS = [("admin", ADMIN_ROLE), ("editor", "Editor"), ("reporter", "Reporter")]
AUTHORS = [
    ("maya-okafor", "Maya Okafor", "City editor. Covers the council, transport and housing."),
    ("tomas-rivera", "Tomás Rivera", "Political correspondent and columnist."),
    ("samuel-achterberg", "Samuel Achterberg", "Business reporter covering the port and regional industry."),
    ("elena-duarte", "Elena Duarte", "Consumer affairs and personal finance reporter."),
    ("priya-nair", "Priya Nair", "Freelance science writer."),
    ("clara-whitfield", "Clara Whitfield", "Arts critic."),
    ("jonas-berg", "Jonas Berg", "Staff photographer."),
    ("staff", "Staff", "Reporting by the newsroom team."),
    ("wire-staff", "Wire staff", "Copy from our international wire agency partners."),
]
# Bylines that are a desk or an agency, not a person (schema.org Organization).
ORGANISATIONS = {"staff", "wire-staff"}


class Command(BaseCommand):
    help = (
        "Load the demo newsroom (sections, authors, the sample wire story, a dozen stories, one live story) and "
        "local accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-accounts", action="store_true", help="Do not create the local demo accounts.")

    def handle(self, *args, **options):
        for order, (slug, name, description) in enumerate(SECTIONS):
            Section.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description, "order": order}
            )
        for slug, name, bio in AUTHORS:
            Author.objects.get_or_create(
                slug=slug, defaults={"name": name, "bio": bio, "is_organisation": slug in ORGANISATIONS}
            )

        created = self.load_sample() + self.load_stories()
        self.stdout.write(f"Demo content: {created} stories added." if created else "Demo content: already loaded.")
        self.stdout.write(f"Demo pictures: {load_demo_photos()} added.")
        if not options["no_accounts"]:
            self.ensure_accounts()

    def load_sample(self):
        result = import_file(SAMPLE_STORY, publish=True, section_slug="world", author_name="Wire staff")
        for article in result.created:
            article.standfirst = (
                "Belarus's defence minister says a people's militia will expand the armed forces "
                "many times over, as Minsk sets up a new military district on the Ukrainian border."
            )
            article.dateline = "MINSK"
            article.source = "International wire service"
            article.save()
            for name in ["Belarus", "Russia", "Ukraine", "NATO"]:
                article.tags.add(Tag.objects.get_or_create(name=name)[0])
        return len(result.created)

    def load_stories(self):
        stories = json.loads(DEMO_STORIES.read_text(encoding="utf-8"))
        now = timezone.now()
        for story in stories:
            if "hours_ago" in story:
                story["published_at"] = (now - timedelta(hours=story.pop("hours_ago"))).isoformat()
                story.setdefault("status", "published")
            for entry in story.get("live_entries", []):
                entry["posted_at"] = (now - timedelta(minutes=entry.pop("minutes_ago"))).isoformat()
        return len(import_stories(stories, label=DEMO_STORIES.name).created)

    def ensure_accounts(self):
        """Local demo accounts, one per role; each password is printed once, when the account is made."""
        User = get_user_model()
        for username, role in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"Local {role.lower()} account '{username}' exists (password printed when made;")
                self.stdout.write(f"  reset it with: .venv/bin/python manage.py changepassword {username}).")
                continue
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(username, f"{username}@localhost", password, is_staff=True)
            user.groups.add(Group.objects.get(name=role))
            if role == ADMIN_ROLE:
                user.is_superuser = True
                user.save(update_fields=["is_superuser"])
            self.stdout.write(self.style.SUCCESS(f"Local {role.lower()} account (local demo only, shown once):"))
            self.stdout.write(f"  username: {username}\n  password: {password}")
