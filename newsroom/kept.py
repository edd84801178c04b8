"""Copies a server process keeps in its own memory for one content generation."""


class KeptInMemory:
    """This process's own copies of what was worked out under one content generation, by key.

    Pages (PageCacheMiddleware, newsroom.cache_front) and values derived from
    the content (once_per_generation). Each item is a tuple whose first member
    is the token of the generation it was worked out under, and is handed out
    only under that generation, so a change made in any process retires the
    copies of every process. All are dropped when the generation changes, each
    when its time is over, and the oldest when more than `capacity` are kept.
    """

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.token = None
        self.items = {}

    def get(self, key, token: str, now: float):
        """The item kept for `key` under generation `token` and not expired at `now`."""
        if token != self.token:
            self.token, self.items = token, {}
            return None
        item, expires = self.items.get(key, (None, 0))
        # The item's own token is checked too: with threads, a copy of the
        # last generation may land in the new one's dict as it is replaced.
        if item is None or item[0] != token or now >= expires:
            return None
        return item

    def __contains__(self, key) -> bool:
        """Whether an item is kept for `key`, of whatever generation."""
        return key in self.items

    def keep(self, key, item: tuple, expires: float):
        """Keep `item`, a tuple starting with its generation's token, until `expires`.

        An item of another generation than the ones kept replaces them all.
        """
        if not self.capacity:
            return
        if item[0] != self.token:
            self.token, self.items = item[0], {}
        if key not in self.items and len(self.items) >= self.capacity:
            # Dicts keep insertion order: the first key is the oldest item.
            del self.items[next(iter(self.items))]
        self.items[key] = (item, expires)
