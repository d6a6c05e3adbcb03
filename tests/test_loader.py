"""Article loading: files and directories, UTF-8 checks, block kinds, losslessness."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.loader import load_documents
from fr2en_dossier.model import BOILERPLATE, CAPTION, HEADING, LIST_ITEM, PARAGRAPH
from fr2en_dossier.readers.layout import classify

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def kinds_of(path: Path) -> dict[str, str]:
    (doc,) = load_documents([path]).documents
    return {block.text: block.kind for block in doc.blocks}


def test_seeds_load_sorted_with_one_based_lines():
    result = load_documents([SEEDS])
    assert [doc.path.name for doc in result.documents] == sorted(
        p.name for p in SEEDS.glob("*.txt")
    )
    assert result.skipped == [] and result.empty == []
    doc = result.documents[2]
    assert doc.stem == "002_902d186d48ac727e"
    # blank lines are not blocks: block 1 is on line 3
    assert [(b.index, b.line, b.text) for b in doc.blocks[:2]] == [
        (0, 1, "fbpx"),
        (1, 3, "Elon Musk contre OpenAI : du père des idées au critique le plus bruyant"),
    ]


def test_seed_block_kinds():
    kinds = kinds_of(SEEDS / "002_902d186d48ac727e.txt")
    assert kinds["fbpx"] == BOILERPLATE
    assert kinds["Bataille juridique – Musk contre. OpenAi"] == HEADING
    assert kinds["Elon Musk"] == CAPTION  # right above the picture credit
    assert kinds["Photo : MindJourney"] == BOILERPLATE
    assert kinds["3. Choc des egos\u00a0: Musk contre. Altman"] == HEADING
    assert kinds["4. Elon Musk : de parrain à critique"] == HEADING
    assert kinds["Microsoft entre dans le jeu : partenariat ou trahison ?"] == HEADING
    for line in ("Plus d'information", "x.ai", "Avec vous depuis 2004"):
        assert kinds[line] == BOILERPLATE
    blurb = next(text for text in kinds if text.startswith("De l'année 2004"))
    assert kinds[blurb] == BOILERPLATE  # the site's presentation after its tagline
    assert sum(kind == PARAGRAPH for kind in kinds.values()) == 12

    kinds = kinds_of(SEEDS / "000_f15bf9128c25df69.txt")
    assert kinds["Lire aussi :"] == BOILERPLATE
    related = [text for text in kinds if text.startswith("- ")]
    assert len(related) == 2 and all(kinds[text] == BOILERPLATE for text in related)
    assert kinds["Les inquiétudes d’Ilya Sutskever sur le contrôle de Musk"] == HEADING

    kinds = kinds_of(SEEDS / "004_b408afcd8089cbd7.txt")
    assert kinds["A lire également"] == BOILERPLATE
    assert kinds["Sam Altman a fini de bien jouer avec Elon Musk"] == HEADING


def test_layout_kinds():
    lines = [
        "Un titre sans point",
        "Une phrase. Puis une autre.",
        "- un élément de liste",
        "• un autre",
        "2) le deuxième",
        "1. Un élément numéroté qui est une phrase.",
        "Une question courte ?",
        "Un paragraphe qui suit la question et qui est bien plus long qu’elle.",
        "Lire aussi :",
        "- un lien",
        "Un paragraphe après les liens.",
        "Ce paragraphe se termine par deux points :",
    ]
    assert classify(lines) == [
        HEADING,
        PARAGRAPH,
        LIST_ITEM,
        LIST_ITEM,
        LIST_ITEM,
        LIST_ITEM,
        HEADING,
        PARAGRAPH,
        BOILERPLATE,
        BOILERPLATE,
        PARAGRAPH,
        PARAGRAPH,
    ]


def test_bom_crlf_and_blank_lines(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffTitre\r\n\r\n   \r\nUne phrase.\rDeux.\n".encode())
    (doc,) = load_documents([path]).documents
    assert [(b.line, b.text) for b in doc.blocks] == [
        (1, "Titre"),
        (4, "Une phrase."),
        (5, "Deux."),
    ]


def test_directory_reads_only_articles_and_lists_the_rest(tmp_path):
    (tmp_path / "b.txt").write_text("Deux.", encoding="utf-8")
    (tmp_path / "a.TXT").write_text("Un.", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x,y", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("Trois.", encoding="utf-8")
    result = load_documents([tmp_path, tmp_path / "b.txt"])  # b.txt twice: read once
    assert [doc.stem for doc in result.documents] == ["a", "b"]
    assert result.skipped == [tmp_path / "notes.csv", tmp_path / "sub"]


def test_empty_files_are_reported(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"\xef\xbb\xbf \n\t\n")
    result = load_documents([tmp_path])
    assert result.empty == [tmp_path / "blank.txt", tmp_path / "empty.txt"]
    assert [doc.blocks for doc in result.documents] == [[], []]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "Premier titre\r\nDeuxième \xe9t\xe9.\n".encode("latin-1"),
            "bad.txt:2: not UTF-8 text (byte 0xe8)",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "bad.txt:3: binary file"),
    ],
)
def test_non_utf8_or_binary_is_an_error_naming_file_and_line(tmp_path, data, message):
    (tmp_path / "bad.txt").write_bytes(data)
    with pytest.raises(Fr2enError) as err:
        load_documents([tmp_path])
    assert message in str(err.value) and "\n" not in str(err.value)
    assert err.value.exit_code == 2


def test_missing_path_and_clashing_names(tmp_path):
    with pytest.raises(Fr2enError, match="nope.txt: no such file or directory"):
        load_documents([tmp_path / "nope.txt"])
    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text("Texte.", encoding="utf-8")
    with pytest.raises(Fr2enError, match="same.txt: same name as"):
        load_documents([tmp_path / "x", tmp_path / "y"])


_LINES = st.lists(
    st.one_of(
        st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",))),
        st.sampled_from(["", " ", "Titre", "- item", "fbpx"]),
    ),
    max_size=12,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=_LINES, newline=st.sampled_from(["\n", "\r\n", "\r"]), bom=st.booleans())
def test_blocks_and_offsets_reproduce_the_file(tmp_path, lines, newline, bom):
    text = newline.join(lines)
    path = tmp_path / "doc.txt"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    (doc,) = load_documents([path]).documents
    # the file's lines as any reader with universal newlines sees them
    file_lines = (
        io.TextIOWrapper(io.BytesIO(path.read_bytes()), encoding="utf-8-sig", newline=None)
        .read()
        .split("\n")
    )
    by_line = {block.line: block for block in doc.blocks}
    assert [block.index for block in doc.blocks] == list(range(len(doc.blocks)))
    for number, line in enumerate(file_lines, 1):
        if number in by_line:
            assert by_line[number].text == line
        else:
            assert line.strip() == ""
    from fr2en_dossier.segmenter import segment_documents

    for seg in segment_documents([doc]):
        assert doc.blocks[seg.block].text[seg.start : seg.end] == seg.source
