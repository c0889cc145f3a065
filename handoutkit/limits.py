"""How large an input may be, and how much memory a worker may take.

Every number here is stated in the README ("Limits") and named in the error
that refuses an input. The inputs are bounded so that a bad file is refused in
a second, before anything is drawn or spoken; the worker's memory is bounded
for whatever gets past them."""

from __future__ import annotations

import os
import resource
from pathlib import Path

from .errors import UsageError

KIB = 1024
MIB = 1024 * KIB

SOURCE_BYTES = 64 * KIB  # handout.md: about 10,000 words; the first handout is 5.4 KB
CATALOG_BYTES = 512 * KIB  # one .po file: room for a 64 KiB source in a 3-byte script, with comments
LOGO_BYTES = 1 * MIB  # a site logo, SVG or PNG
LOGO_SIDE = 4096  # pixels on either side of a PNG logo (decoded, 4096 x 4096 is 64 MiB)
MESSAGE_RATIO = 10  # a translation may be this many times as long as its English ...
MESSAGE_FLOOR = 200  # ... or this many characters, whichever is more

WORKER_MEMORY_ENV = "HANDOUTKIT_WORKER_MEMORY"  # MiB; for a machine with less memory
WORKER_MEMORY_MIB = 2048  # RLIMIT_DATA of each worker: Piper's worker needs 665 MiB, a PDF worker 145 MiB


def size(n: int) -> str:
    """Bytes in the unit a person reads: 512 KiB, 1.5 MiB."""
    if n >= MIB:
        return f"{n // MIB} MiB" if n % MIB == 0 else f"{n / MIB:.1f} MiB"
    if n >= KIB:
        return f"{n / KIB:.0f} KiB"
    return f"{n} bytes"


def too_large(path: Path, limit: int, what: str) -> str | None:
    """Why a file is over its limit (read from its size, not its bytes), or None."""
    try:
        found = path.stat().st_size
    except OSError:
        return None  # missing or unreadable: the reader says so in its own words
    if found <= limit:
        return None
    return f"{what} is {size(found)}; the limit is {size(limit)} (see Limits in the README)"


def longest_translation(msgid: str) -> int:
    """How many characters a translation of msgid may have."""
    return max(MESSAGE_RATIO * len(msgid), MESSAGE_FLOOR)


def worker_memory() -> int:
    """Each worker's data limit in bytes: HANDOUTKIT_WORKER_MEMORY (MiB) or the default."""
    value = os.environ.get(WORKER_MEMORY_ENV, "").strip()
    if not value:
        return WORKER_MEMORY_MIB * MIB
    if not value.isdigit() or int(value) == 0:
        raise UsageError(f"{WORKER_MEMORY_ENV}={value}: give the memory each worker may use in MiB, e.g. 2048")
    return int(value) * MIB


def limit_memory(limit: int) -> None:
    """Bound this process's data segment (heap and private writable mappings; RLIMIT_DATA).
    Unlike an address-space limit (RLIMIT_AS), it leaves alone the read-only maps of
    fonts and voices and the address space onnxruntime reserves. Past it, allocations
    fail (MemoryError, reported as out_of_memory) or a C library stops the worker (the
    build reports that the worker died), instead of the machine running out."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def out_of_memory(limit: int) -> str:
    """What the user is told when a renderer met its memory limit."""
    return (f"ran out of memory: a worker may use {limit // MIB} MiB (set {WORKER_MEMORY_ENV}"
            " in MiB to change it; see Limits in the README)")
