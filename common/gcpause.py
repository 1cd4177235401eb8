"""Pausing the cyclic garbage collector around allocation-heavy, acyclic work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of the block (also a decorator).

    A draw builds its pools and ranks them with some 100,000 small acyclic objects (tuples,
    digests, strings); each allocation burst otherwise sets off full collections that walk every
    live object of the process, which doubled the national commit and run
    (``scripts/bench_draw.py``). Reference counting still frees everything; the collector
    resumes afterwards if it was on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
