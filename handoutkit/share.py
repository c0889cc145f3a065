"""Where a language's phone page is published, and its QR code (segno): printed on the handout
and shown large at the counter, so both send a phone to the same address."""

from __future__ import annotations


def page_url(base_url: str, handout_id: str, tag: str) -> str:
    """Where this handout's page in this language will be published."""
    return f"{base_url.rstrip('/')}/{handout_id}/{tag}/"


def qr_code(url: str, scale: int = 4) -> dict[str, str]:
    """A QR code (segno) as an SVG data URI, for an <img> with alt text."""
    import segno

    return {"url": url, "src": segno.make(url, error="m").svg_data_uri(scale=scale, border=2, dark="#000", light="#fff")}
