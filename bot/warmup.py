"""What a fresh start prepares right after it begins polling, so the first people to write do not pay
for it: the client name index (built in slices), the tasks' index, the catalogs of the languages
other than the default one, the codecs of every stored type, and a frozen heap; first of all, when
the policy's planning rules changed, the nudges of the visits not over planned again
(``bot.services.replan``).

Why freeze: after start the process holds about half a million long-lived objects (indexes, decoded
chunks, translations). Python's cyclic garbage collector walks all of them in each full collection,
which with years of data is a long pause in the middle of whichever reply is running. ``gc.freeze``
moves what exists after warming into a generation the collector never walks; what is created later
is collected as usual, and what survives a burst is frozen too (``tidy``). Frozen objects are still
freed when nothing refers to them; only a cycle among them would stay.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import platform
from typing import TYPE_CHECKING

from bot.core.slices import Budget
from bot.repositories import codec

if TYPE_CHECKING:
    from bot.bootstrap import Services

# Client names indexed per slice: about a tenth of a second of the core thread.
NAMES_PER_SLICE = 500
log = logging.getLogger(__name__)


def warm_step(services: Services) -> bool:
    """One slice of warming; True when everything is warm (call until then, on the core thread)."""
    # First: nudges planned by an older policy, a few visits per slice, before the name index
    # (which only makes a first search quicker); a no-op once the digest matches.
    if not services.replan.step(Budget()):
        return False
    if not services.clients.warm(NAMES_PER_SLICE):
        return False
    services.debriefs.tasks.warm()
    services.i18n.warm()
    codec.warm()
    tidy()
    return True


def tidy() -> None:
    """A full pass of the garbage collector, what survives frozen out of its way (see the module
    docstring), and the memory freed handed back to the system: after the warm-up, and after a burst
    (a catch-up of thousands of messages grows the bot, and much of that is free but kept by the
    allocator until ``malloc_trim``, which is cheap)."""
    gc.collect()
    gc.freeze()
    _trim()


def _trim() -> None:
    """glibc's ``malloc_trim(0)``: returns free heap memory to the system; elsewhere, nothing."""
    if platform.libc_ver()[0] != "glibc":
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # no such library or function here: memory is kept, no harm
        log.debug("malloc_trim is not available", exc_info=True)
