from django.core.management.base import BaseCommand

from articles.roles import setup_roles


class Command(BaseCommand):
    help = "Create or refresh the Reporter, Editor and Admin groups (also done after every migrate)."

    def handle(self, *args, **options):
        setup_roles()
        self.stdout.write("Roles ready: Reporter, Editor, Admin.")
