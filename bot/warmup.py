"""What a fresh start prepares right after it begins polling, so the first people to write do not pay
for it: the client name index (built in slices), the tasks' index, the catalogs of the languages
other than the default one, the codecs of every stored type, and a frozen heap.

Why freeze: after start the process holds about half a million long-lived objects (indexes, decoded
chunks, translations). Python's cyclic garbage collector walks all of them in each full collection,
which at 25,000 visits took 170 ms, in the middle of whichever reply was running. ``gc.freeze``
moves what exists after warming into a generation the collector never walks; what is created later
is collected as usual.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from bot.repositories import codec

if TYPE_CHECKING:
    from bot.bootstrap import Services

# Client names indexed per slice: about a tenth of a second of the core thread.
NAMES_PER_SLICE = 500


def warm_step(services: Services) -> bool:
    """One slice of warming; True when everything is warm (call until then, on the core thread)."""
    if not services.clients.warm(NAMES_PER_SLICE):
        return False
    services.debriefs.tasks.warm()
    services.i18n.warm()
    codec.warm()
    gc.collect()
    gc.freeze()
    return True


def warm_all(services: Services) -> None:
    """Every slice at once (the console, the benchmarks)."""
    while not warm_step(services):
        pass
