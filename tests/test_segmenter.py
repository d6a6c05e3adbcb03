"""Sentence segmentation: the seeds' defects, French typography, losslessness."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from fr2en_dossier.model import BOILERPLATE, BOILERPLATE_FLAG, HEADING, PARAGRAPH, Block, Document
from fr2en_dossier.segmenter import segment_documents, segment_record, split_sentences

NBSP = "\u00a0"


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


# --- defects of the seeds --------------------------------------------------------------------


def test_glued_sentences_are_split():
    text = "une branche lucrative en 2019.Depuis son départ, Musk multiplie les critiques."
    assert sentences(text) == [
        "une branche lucrative en 2019.",
        "Depuis son départ, Musk multiplie les critiques.",
    ]
    text = "de ses objectifs.Alors, vision stratégique incompatible ?"
    assert sentences(text) == ["de ses objectifs.", "Alors, vision stratégique incompatible ?"]
    assert sentences("propagande Woke ».Toujours là.") == ["propagande Woke ».", "Toujours là."]


def test_period_then_comma_is_no_boundary():
    text = "cette collaboration n’a pas tardé à se fissurer., en particulier sur le contrôle."
    assert sentences(text) == [text]
    text = "de « machine à propagande Woke »., toujours pour dénoncer sa transition."
    assert sentences(text) == [text]


def test_contre_rendering_vs_between_names_is_no_boundary():
    assert sentences("Bataille juridique – Musk contre. OpenAi") == [
        "Bataille juridique – Musk contre. OpenAi"
    ]
    assert sentences(f"3. Choc des egos{NBSP}: Musk contre. Altman") == [
        f"3. Choc des egos{NBSP}: Musk contre. Altman"
    ]
    # "contre." after a verb is a sentence end
    assert sentences("Je suis contre. Il est pour.") == ["Je suis contre.", "Il est pour."]


def test_numbered_headings_stay_whole():
    assert sentences("4. Elon Musk : de parrain à critique") == [
        "4. Elon Musk : de parrain à critique"
    ]
    assert sentences("b. Le second. Il part.") == ["b. Le second.", "Il part."]
    # a number ending a sentence inside a line still ends it
    assert sentences("Il est parti en 2019. Depuis, rien.") == [
        "Il est parti en 2019.",
        "Depuis, rien.",
    ]


def test_lines_without_final_punctuation_are_one_segment():
    for line in (
        "Un autre temps",
        "Elon Musk",
        "fbpx",
        "Conclusion : une vision écrasée par le capitalisme",
    ):
        assert sentences(line) == [line]


def test_guillemets_with_and_without_no_break_spaces():
    assert sentences(f"«{NBSP}Le vieil Elon me manque.{NBSP}»") == [
        f"«{NBSP}Le vieil Elon me manque.{NBSP}»"
    ]
    assert sentences("« Le vieil Elon me manque. » Il sourit.") == [
        "« Le vieil Elon me manque. »",
        "Il sourit.",
    ]
    text = f"«{NBSP}Sur le plan personnel, c'est triste{NBSP}», a déclaré Altman. Bien qu'il ait déclaré."
    assert sentences(text) == [
        f"«{NBSP}Sur le plan personnel, c'est triste{NBSP}», a déclaré Altman.",
        "Bien qu'il ait déclaré.",
    ]
    text = "de partager «\u00a0quelques faits sur notre relation avec Elon\u00a0». Les dirigeants."
    assert sentences(text) == [
        "de partager «\u00a0quelques faits sur notre relation avec Elon\u00a0».",
        "Les dirigeants.",
    ]


def test_quotations_containing_sentences():
    # a question inside a quotation followed by the reporting clause is one sentence
    assert sentences("« Pourquoi ? » demande-t-il.") == ["« Pourquoi ? » demande-t-il."]
    text = "« Je ne veux pas être leur pionnier », a-t-il écrit dans l'un des courriels divulgués."
    assert sentences(text) == [text]
    # full sentences inside a quotation are split, the closing guillemet stays with the last
    text = "« Elon a quitté OpenAI. Il a dit qu’il nous aiderait », indique le message. Puis rien."
    assert sentences(text) == [
        "« Elon a quitté OpenAI.",
        "Il a dit qu’il nous aiderait », indique le message.",
        "Puis rien.",
    ]
    assert sentences('Il a dit : "Je pars." Elle reste.') == [
        'Il a dit : "Je pars."',
        "Elle reste.",
    ]


def test_both_apostrophes_and_question_marks():
    text = f"Qu'est-ce qui n'a pas fonctionné{NBSP}? Qu’est-ce qui a marché ? Sa vision ? Une organisation."
    assert sentences(text) == [
        f"Qu'est-ce qui n'a pas fonctionné{NBSP}?",
        "Qu’est-ce qui a marché ?",
        "Sa vision ?",
        "Une organisation.",
    ]


def test_domains_amounts_and_numbers_are_not_split():
    for text in (
        "x.ai",
        "Voir x.ai et OpenAI.com pour les détails.",
        "Microsoft a proposé un support cloud d'une valeur de 60 millions de dollars.",
        "Il défendra 29.000 employées, soit 3.5 % du total, pour 1,5 million d’euros.",
    ):
        assert sentences(text) == [text]


def test_abbreviations():
    text = "M. Dupont et Mme Durand ont vu le Dr Martin, cf. p. 12, p. ex. Paris. Il est né en 52 av. J.-C. La ville."
    assert sentences(text) == [
        "M. Dupont et Mme Durand ont vu le Dr Martin, cf. p. 12, p. ex. Paris.",
        "Il est né en 52 av. J.-C.",
        "La ville.",
    ]
    assert sentences("Des pommes, des poires, etc. Le lendemain, rien.") == [
        "Des pommes, des poires, etc.",
        "Le lendemain, rien.",
    ]
    assert sentences("Surnommé King Fish ou Mr. Angel, il joue.") == [
        "Surnommé King Fish ou Mr. Angel, il joue."
    ]


def test_initials():
    assert sentences("J. K. Rowling et Franklin D. Roosevelt lisent.") == [
        "J. K. Rowling et Franklin D. Roosevelt lisent."
    ]
    # an initial followed by a typical sentence opener ends the sentence
    text = "Il a coupé l'accès aux données de X. Suite à cette décision, Altman a invité Musk."
    assert sentences(text) == [
        "Il a coupé l'accès aux données de X.",
        "Suite à cette décision, Altman a invité Musk.",
    ]
    assert sentences("Il vit aux U.S.A. L'année suivante, il part.") == [
        "Il vit aux U.S.A.",
        "L'année suivante, il part.",
    ]


def test_camel_case_brands_are_never_split():
    text = "OpenAI, ChatGPT, DeepMind et xAI rivalisent avec iPhoneAddict.fr et ASP.NET chez OpenAI.Il part."
    assert sentences(text) == [
        "OpenAI, ChatGPT, DeepMind et xAI rivalisent avec iPhoneAddict.fr et ASP.NET chez OpenAI.",
        "Il part.",
    ]


def test_lowercase_after_period_is_no_boundary():
    text = (
        "lorsque nous avons commencé à créer un sens. progresser vers la mission d’OpenAI sans lui."
    )
    assert sentences(text) == [text]


def test_stray_colon_period_and_ellipsis():
    assert sentences("la mission d’OpenAI :. Il fait face.") == [
        "la mission d’OpenAI :.",
        "Il fait face.",
    ]
    assert sentences("Il hésite... Puis il part… Enfin !") == [
        "Il hésite...",
        "Puis il part…",
        "Enfin !",
    ]
    assert sentences("acheté 5 millions et revendu... 1,6 million.") == [
        "acheté 5 millions et revendu... 1,6 million."
    ]
    # an elision mark inside a quotation is no sentence end
    assert sentences("« Nous (...) Les universités réclament [...] des moyens. »") == [
        "« Nous (...) Les universités réclament [...] des moyens. »"
    ]


def test_tracking_junk_is_its_own_segment():
    assert sentences("au service de l’humanité.fbpx") == ["au service de l’humanité.", "fbpx"]
    assert sentences("fbpxElon Musk contre OpenAI") == ["fbpx", "Elon Musk contre OpenAI"]
    assert sentences("la page fbpxtra") == ["la page fbpxtra"]


def test_boilerplate_glued_to_a_heading():
    text = "nous proposons du contenu dans les principales langues mondiales.Une collaboration qui a façonné OpenAI"
    assert sentences(text) == [
        "nous proposons du contenu dans les principales langues mondiales.",
        "Une collaboration qui a façonné OpenAI",
    ]


# --- segment_documents -------------------------------------------------------------------------


def _doc(*blocks: tuple[str, str]) -> Document:
    return Document(
        "d", None, [Block("d", i, i + 1, text, kind) for i, (text, kind) in enumerate(blocks)]
    )


def test_segment_documents_fills_segments_and_flags_boilerplate():
    doc = _doc(
        ("  Elle part. Il reste.", PARAGRAPH),
        ("au service de l’humanité.fbpx", PARAGRAPH),
        ("Avec vous depuis 2004", BOILERPLATE),
        (
            "Nous informons. À partir de 2023, langues mondiales.Une collaboration qui a façonné OpenAI",
            BOILERPLATE,
        ),
        ("Un autre temps", HEADING),
    )
    segs = segment_documents([doc])
    assert [(s.block, s.index, s.start, s.end, s.source) for s in segs[:2]] == [
        (0, 0, 2, 12, "Elle part."),
        (0, 1, 13, 22, "Il reste."),
    ]
    flagged = {s.source: BOILERPLATE_FLAG in s.flags for s in segs}
    assert flagged == {
        "Elle part.": False,
        "Il reste.": False,
        "au service de l’humanité.": False,
        "fbpx": True,
        "Avec vous depuis 2004": True,
        "Nous informons.": True,
        "À partir de 2023, langues mondiales.": True,
        "Une collaboration qui a façonné OpenAI": False,  # a heading that lost its line break
        "Un autre temps": False,
    }
    assert all(s.kind == doc.blocks[s.block].kind and s.doc == "d" for s in segs)
    assert segment_record(segs[1]) == {
        "doc": "d",
        "block": 0,
        "kind": PARAGRAPH,
        "index": 1,
        "start": 13,
        "end": 22,
        "text": "Il reste.",
    }


# --- losslessness -------------------------------------------------------------------------------

# Text rich in what the rules look at: punctuation, quotes, capitals, spaces, abbreviations.
_PIECES = st.sampled_from(
    [
        ".",
        "!",
        "?",
        "…",
        "...",
        ",",
        ":",
        ";",
        "«",
        "»",
        '"',
        "“",
        "”",
        "’",
        "'",
        "(",
        ")",
        "[",
        "]",
        "-",
        "–",
        " ",
        NBSP,
        "\u202f",
        "\t",
        "\n",
        "M",
        "Mme",
        "etc",
        "J.-C",
        "contre",
        "Le",
        "Il",
        "a",
        "X",
        "3",
        "fbpx",
        "OpenAI",
        "x.ai",
        "é",
        "À",
        "\u2028",
        "\u0301",
        "ǅ",
    ]
)
_TEXT = st.one_of(
    st.text(), st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=40).map("".join)
)


@given(_TEXT)
@example("")
@example("   ")
@example("« Pourquoi ? » Il part. » « ")
def test_segmentation_is_lossless_and_monotonic(text):
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert all(c.isspace() for c in text[previous_end:start])  # only whitespace between
        assert not text[start].isspace() and not text[end - 1].isspace()
        previous_end = end
    assert all(c.isspace() for c in text[previous_end:])
    # nothing lost or duplicated: every non-whitespace character lies in exactly one segment
    covered = [i for s, e in spans for i in range(s, e)]
    assert len(covered) == len(set(covered))
    assert {i for i, c in enumerate(text) if not c.isspace()} <= set(covered)
