"""Hälsogap: the pure core of needs-based steering (behovsstyrning).

Nothing in this package imports Django; the web project in ``halsogap_web`` is glue over it.
"""

__version__ = "0.1.0"
