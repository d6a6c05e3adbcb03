"""translate-toolkit (the library behind Pootle/Virtaal and many converters) reads our TMX and
PO files with every unit, key, source, target and review state."""

from __future__ import annotations

import pytest
from support.sample_dossier import seed_segments
from support.tmx_dtd import assert_valid_tmx

from fr2en_dossier.formats.po import write_po
from fr2en_dossier.formats.safe_text import CharDropper
from fr2en_dossier.formats.tmx import write_tmx
from fr2en_dossier.model import by_document

tt_po = pytest.importorskip("translate.storage.po")
tt_tmx = pytest.importorskip("translate.storage.tmx")


@pytest.fixture(scope="module")
def segments():
    return seed_segments()


def test_translate_toolkit_reads_every_tmx_unit(tmp_path, segments):
    path = tmp_path / "dossier.tmx"
    assert write_tmx(segments, path) == 6  # \x01, \x0b, \ufffe of a hostile segment, fr and en
    assert_valid_tmx(path)
    store = tt_tmx.tmxfile.parsefile(str(path))
    clean = CharDropper()
    assert store.sourcelanguage == "fr"
    assert [u.getid() for u in store.units] == [s.key for s in segments]
    assert [u.source for u in store.units] == [clean(s.source) for s in segments]
    assert [u.target for u in store.units] == [clean(s.target) if s.target else None
                                               for s in segments]  # fmt: skip


def test_translate_toolkit_reads_every_po_entry(tmp_path, segments):
    for doc, doc_segments in by_document(segments).items():
        path = tmp_path / f"{doc}.po"
        write_po(doc_segments, path)
        store = tt_po.pofile.parsefile(str(path))
        units = [u for u in store.units if not u.isheader()]
        clean = CharDropper()
        assert [u.getcontext() for u in units] == [s.key for s in doc_segments]
        assert [u.source for u in units] == [clean(s.source) for s in doc_segments]
        assert [u.target for u in units] == [clean(s.target or "") for s in doc_segments]
        fuzzy = [bool(s.target) and s.origin != "review" for s in doc_segments]
        assert [u.isfuzzy() for u in units] == fuzzy
        assert store.gettargetlanguage() == "en"
