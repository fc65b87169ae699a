"""WIG cross-sector collaboration survey: reproducible analysis package."""

__version__ = "0.1.0"
