#!/usr/bin/env python
import os
import sys

# Commands that only write code never sign anything, so they may run without SECRET_KEY
# (config/settings.py). Everything else — runserver, migrate, send_digests… — needs one.
CODE_ONLY_COMMANDS = {"makemigrations"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(sys.argv) > 1 and sys.argv[1] in CODE_ONLY_COMMANDS:
        os.environ.setdefault("ACTIONSETS_CODE_ONLY_COMMAND", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
