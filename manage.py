#!/usr/bin/env python
"""Django's command-line utility for Newsroom."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # The command line is a developer's tool: it gets development defaults unless
    # DEBUG=0 is set. The WSGI server stays off by default and needs SECRET_KEY.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
