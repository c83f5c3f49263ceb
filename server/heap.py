"""Handing freed memory back to the system after a large, short-lived allocation.

glibc keeps what a process frees at the top of its heaps for its next allocations. After
the SHACL gate at 1M statements that is about 640 MB (the data as N-Quads text, what the
native engine built from it), which the next stage of a load then adds its own to.
``malloc_trim`` returns it. Elsewhere than glibc there is nothing to do.
"""

from __future__ import annotations

import ctypes
import ctypes.util

__all__ = ["give_back"]


def give_back() -> None:
    """Return the memory freed so far to the system, where the C library can."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None)
    if trim is not None:
        trim(0)
