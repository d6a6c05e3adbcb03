"""Offline MT on Argos Translate packages (CTranslate2 + SentencePiece).

Public API: :func:`load_engine`, :class:`Engine`, :class:`Translation`,
:func:`translate_segments`, :class:`TranslationCache`, :class:`EngineOptions`, and the package
functions of :mod:`.packages`. Attributes are imported on first use, so that importing
``fr2en_dossier.engine.options`` (as the CLI does to build its options) stays instant;
ctranslate2, sentencepiece and argostranslate load only when an engine or a package is used.
"""

from __future__ import annotations

from importlib import import_module

_HOMES = {
    "EngineOptions": "options",
    "Engine": "translator",
    "Translation": "translator",
    "load_engine": "translator",
    "TranslationCache": "cache",
    "default_cache_path": "location",
    "MtStats": "pipeline",
    "translate_segments": "pipeline",
    "InstalledPackage": "packages",
    "find_fr_en": "packages",
    "install_file": "packages",
    "install_from_index": "packages",
    "installed_packages": "packages",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_HOMES[name]}", __name__), name)
