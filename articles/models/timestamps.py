"""How the newsroom records moments."""

from django.utils import timezone


def now_to_the_second():
    """The current time without microseconds.

    Stored times are whole seconds so that a JSON backup, which keeps only
    milliseconds, restores them exactly.
    """
    return timezone.now().replace(microsecond=0)
