"""The MP3's ID3v2.3 tag: title, language, publisher, comment, and one chapter per section
(CHAP + CTOC), the chapters stored in time order."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO


@dataclass(frozen=True)
class ChapterMark:
    id: str
    title: str
    start_ms: int
    end_ms: int


def tag_mp3(mp3: bytes, *, title: str, language: str, publisher: str | None, chapters: list[ChapterMark],
            comment: str) -> bytes:
    """ID3v2.3: title, language, publisher, and one chapter per section (CHAP + CTOC)."""
    from mutagen.id3 import CHAP, COMM, CTOC, ID3, TIT2, TLAN, TPUB, CTOCFlags

    tags = ID3()
    tags.add(TIT2(encoding=3, text=[title]))
    tags.add(TLAN(encoding=3, text=[language]))  # ISO 639-2, from the language table
    if publisher:
        tags.add(TPUB(encoding=3, text=[publisher]))
    tags.add(COMM(encoding=3, lang="eng", desc="", text=[comment]))
    if chapters:
        tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                      child_element_ids=[c.id for c in chapters], sub_frames=[TIT2(encoding=3, text=["Chapters"])]))
        for c in chapters:
            tags.add(CHAP(element_id=c.id, start_time=c.start_ms, end_time=c.end_ms,
                          sub_frames=[TIT2(encoding=3, text=[c.title])]))
    buf = BytesIO(mp3)
    tags.save(buf, v2_version=3, padding=lambda info: 0)
    return _chapters_in_time_order(buf.getvalue())


def _chapters_in_time_order(tagged: bytes) -> bytes:
    """The tag as mutagen wrote it, its frames laid out again: the others as they are, then
    the table of contents, then the chapters by start time. mutagen orders frames by a
    fixed list and then by size, which put the chapters out of order in the file, and
    players that list CHAP frames as stored showed them shuffled. Each frame's bytes are
    mutagen's; an ID3v2.3 frame is a 4-byte id, a 4-byte big-endian size, 2 flag bytes."""
    if tagged[:4] != b"ID3\x03" or tagged[5] != 0:  # version 2.3, no flags: no extended header, no unsynchronisation
        raise ValueError("expected the ID3v2.3 tag mutagen writes")
    end = 10 + sum(b << (7 * (3 - i)) for i, b in enumerate(tagged[6:10]))  # syncsafe size
    frames, at = [], 10
    while at + 10 <= end and tagged[at] != 0:
        size = int.from_bytes(tagged[at + 4:at + 8], "big")
        frames.append(tagged[at:at + 10 + size])
        at += 10 + size

    def place(frame: bytes) -> tuple[int, int]:
        if frame[:4] == b"CHAP":  # element id (null-terminated), then the start time in ms
            after_id = frame.index(b"\0", 10) + 1
            return 2, int.from_bytes(frame[after_id:after_id + 4], "big")
        return (1, 0) if frame[:4] == b"CTOC" else (0, 0)

    return tagged[:10] + b"".join(sorted(frames, key=place)) + tagged[at:]
