"""One page of a long list: its rows, and where it stands among the others."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    rows: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def page_number(requested: int, total: int, per_page: int) -> int:
    """The page to show: at least the first; past the end, the last (a bookmark outlives the
    rows it once listed)."""
    return min(max(requested, 1), max(1, -(-total // per_page)))
