import json
import secrets
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.importers import import_file, import_stories
from articles.models import Author, Section, Tag
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


class Command(BaseCommand):
    help = "Load the demo newsroom (sections, authors, the sample wire story, a dozen stories) and a local admin."

    def add_arguments(self, parser):
        parser.add_argument("--no-admin", action="store_true", help="Do not create the local admin account.")

    def handle(self, *args, **options):
        for order, (slug, name, description) in enumerate(SECTIONS):
            Section.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description, "order": order}
            )
        for slug, name, bio in AUTHORS:
            Author.objects.get_or_create(slug=slug, defaults={"name": name, "bio": bio})

        created = self.load_sample() + self.load_stories()
        self.stdout.write(f"Demo content: {created} stories added." if created else "Demo content: already loaded.")
        self.stdout.write(f"Demo pictures: {load_demo_photos()} added.")
        if not options["no_admin"]:
            self.ensure_admin()

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
        return len(import_stories(stories, label=DEMO_STORIES.name).created)

    def ensure_admin(self):
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            self.stdout.write("Local admin account: 'admin' exists (its password was printed when it was made;")
            self.stdout.write("  reset it with: .venv/bin/python manage.py changepassword admin).")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@localhost", password)
        self.stdout.write(self.style.SUCCESS("Local admin account created (local demo only, shown once):"))
        self.stdout.write(f"  username: admin\n  password: {password}")
