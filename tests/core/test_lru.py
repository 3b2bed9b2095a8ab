"""core.lru.BoundedLRU: the per-process memo behind exam saves and API tokens."""

from core.lru import BoundedLRU


def test_least_recently_used_goes_first():
    memo = BoundedLRU(2)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1  # "a" is now the most recent
    memo.put("c", 3)
    assert memo.get("b") is None and memo.get("a") == 1 and memo.get("c") == 3
    assert len(memo) == 2


def test_put_replaces_and_refreshes():
    memo = BoundedLRU(2)
    memo.put("a", 1)
    memo.put("b", 2)
    memo.put("a", 10)
    memo.put("c", 3)
    assert memo.get("a") == 10 and memo.get("b") is None
