from django.core.management.base import BaseCommand

from lti import keys


class Command(BaseCommand):
    help = "Generate a new LTI signing key; the previous one stays in the JWKS until the next rotation."

    def handle(self, *args, **options):
        key = keys.rotate()
        self.stdout.write(f"New signing key {key.kid}. Published keys: {len(keys.jwks()['keys'])}.")
