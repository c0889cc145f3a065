"""Writing outputs safely: never a half-written file under its real name."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from .errors import HandoutkitError

PLAIN = {  # what a full or locked-down disk means, in plain words
    errno.EROFS: "the folder is on a read-only file system",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "no space left on the device (disk quota)",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


class WriteError(HandoutkitError):
    """An output could not be written (read-only folder, full disk, no permission)."""


def write_error(exc: OSError, path: Path) -> WriteError:
    """The one-line error for an OSError met while writing path."""
    reason = PLAIN.get(exc.errno or 0, (exc.strerror or str(exc)).lower())
    return WriteError(f"cannot write: {reason}; the files already there are kept", path)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary name beside the target, then rename into place:
    a reader (or a crash) never sees a half-written file. An OSError becomes a
    WriteError naming the file; the temporary file is removed."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise write_error(exc, path) from None
        raise
