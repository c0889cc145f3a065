"""Renderers: one per output format, each reading a LocalizedHandout."""
