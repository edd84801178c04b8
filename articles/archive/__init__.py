"""A large, realistic synthetic archive for load tests and benchmarks.

Everything is made up from small word lists with one seeded random generator,
so the same seed and end date always give the same archive. Rows are written
with bulk inserts, a chunk of stories per transaction, which keeps memory flat
however large the archive. `manage.py generate_archive` is the way in.
"""

from .generator import ArchiveGenerator, Progress, bulk_load_settings
from .vocabulary import STATUS_LABELS

__all__ = ["STATUS_LABELS", "ArchiveGenerator", "Progress", "bulk_load_settings"]
