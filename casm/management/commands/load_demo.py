from django.core.management.base import BaseCommand

from casm.demo import demo_load


class Command(BaseCommand):
    help = "Load (or refresh) the CASM demo data: sectors, chambers, SMAG, fictional members. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--site-domain", default="127.0.0.1:8000")

    def handle(self, *args, site_domain, **options):
        result = demo_load(site_domain=site_domain)
        self.stdout.write(
            self.style.SUCCESS("Demo data loaded. Every invented person and organisation is fictional.")
        )
        for label, consultation in result["consultations"].items():
            count = consultation.responses.count()
            self.stdout.write(f"Consultation ({label}): {consultation.title} — {count} responses")
        self.stdout.write(f"Demo logins (password for all: {result['password']}):")
        for label, email in result["logins"]:
            self.stdout.write(f"  {email:<28} {label}")
        self.stdout.write(
            f"Staff accounts use two-factor authentication. Add the demo secret {result['totp_secret']} "
            "to an authenticator app, or print the current code with:\n"
            "  .venv/bin/python manage.py totp_code EMAIL"
        )
