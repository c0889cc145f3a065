"""One build at a time per output folder.

An flock on dist/.handoutkit/lock: the kernel drops it when its process dies,
even by kill -9, so a lock left by a dead build is simply taken over. The file
names the holder so the refusal can say who it is.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
import socket
import time
from pathlib import Path

from .errors import HandoutkitError
from .files import write_error


class BuildLocked(HandoutkitError):
    """Another build is writing the same output folder."""


def _holder(fd: int, wait: float = 1.0) -> str:
    """Who holds the lock, as its file says. The holder writes its line just after
    taking the lock, so a build that loses a race reads until the line names a
    live process on this host (or the wait is over), never an empty or stale one."""
    deadline = time.monotonic() + wait
    here = f" on {socket.gethostname()},"
    while True:
        text = os.pread(fd, 512, 0).decode("utf-8", "replace").strip()
        pid = re.match(r"pid (\d+) on ", text)
        if pid and (here not in text or _alive(int(pid[1]))):
            return text
        if time.monotonic() > deadline:
            return text or "another process"
        time.sleep(0.02)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, under another user
        pass
    return True


class BuildLock:
    def __init__(self, folder: Path):
        self.path = folder / ".handoutkit" / "lock"
        self._fd: int | None = None

    def __enter__(self) -> BuildLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:  # a read-only or full output folder: one line, no traceback
            raise write_error(exc, self.path.parent.parent) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise BuildLocked(f"another build is writing this folder ({holder}); wait for it to finish",
                              self.path.parent.parent) from None
        try:
            os.ftruncate(fd, 0)
            started = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}, started {started}\n".encode(), 0)
        except OSError as exc:
            os.close(fd)  # drops the flock too
            raise write_error(exc, self.path.parent.parent) from None
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
