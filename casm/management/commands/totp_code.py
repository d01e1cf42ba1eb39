from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from network.models import User


class Command(BaseCommand):
    help = "Print the current TOTP code of an account (development and demo only: refuses when DEBUG is off)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("totp_code only runs with DEBUG on (development and demo).")
        from casm.testing import totp_code

        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account {email}.")
        self.stdout.write(totp_code(user))
