"""fr2en-dossier: offline French→English translation-and-glossary pipeline."""

__version__ = "0.1.0"
