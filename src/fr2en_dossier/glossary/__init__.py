"""The domain glossary: OmegaT-compatible ``glossary.tsv``, source fixes and term enforcement.

Pipeline use: :func:`load_glossary`, then :func:`apply_glossary` before MT (hits and engine
input of each segment), then :func:`verify_terms` after it (``term-missing`` flags).
"""

from .add import AddResult, add_entries, add_entry
from .checks import entry_warnings, glossary_warnings
from .enforce import apply_glossary, rewrite
from .entries import Entry, Problem
from .load import Glossary, lint_glossary, load_glossary, read_glossary
from .matcher import Match
from .mining import SegmentRecord
from .suggest import Candidate, suggest_terms
from .verify import missing_terms, term_spans, verify_terms

__all__ = [
    "AddResult",
    "Candidate",
    "Entry",
    "Glossary",
    "Match",
    "Problem",
    "SegmentRecord",
    "add_entries",
    "add_entry",
    "apply_glossary",
    "entry_warnings",
    "glossary_warnings",
    "lint_glossary",
    "load_glossary",
    "missing_terms",
    "read_glossary",
    "rewrite",
    "suggest_terms",
    "term_spans",
    "verify_terms",
]
