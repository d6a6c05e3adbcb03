"""Characters that TMX (XML 1.0) and PO (gettext) files cannot carry, dropped and counted.

Both formats refuse the C0 controls other than tab, newline and carriage return (XML 1.0 forbids
them; gettext reserves U+0004 and U+0000), U+FFFE/U+FFFF and lone surrogates (not encodable
in UTF-8). Dropping them keeps every file parseable; the count goes to the report.
"""

from __future__ import annotations

from ..model import UNSTORABLE


class CharDropper:
    """Removes forbidden characters from each text it is called on; ``dropped`` counts them."""

    def __init__(self) -> None:
        self.dropped = 0

    def __call__(self, text: str) -> str:
        text, count = UNSTORABLE.subn("", text)
        self.dropped += count
        return text
