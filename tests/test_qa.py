"""QA flags: numbers, untranslated, length ratio, term-missing, MT failures, reasons, totals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fr2en_dossier import mt_checks
from fr2en_dossier.model import (
    BOILERPLATE_FLAG,
    FLAGS,
    INCONSISTENT,
    LENGTH_RATIO,
    NUMBER_MISMATCH,
    PARAGRAPH,
    PUNCTUATION,
    REPETITION,
    TERM,
    TERM_MISSING,
    TRUNCATED,
    UNTRANSLATED,
    Hit,
    Segment,
    flag_totals,
)
from fr2en_dossier.qa import (
    length_outlier,
    missing_numbers,
    names_and_numbers_only,
    check_dossier,
    segment_flags,
)


@pytest.mark.parametrize(
    ("french", "english"),
    [
        ("60 millions de dollars", "$60 million"),
        ("60 millions de dollars", "60,000,000 dollars"),
        ("1,5 milliard de dollars", "$1.5 billion"),
        ("1 000 salariés", "1,000 employees"),
        ("1\u00a0000 salariés", "1000 employees"),
        ("2\u202f500\u202f000 euros", "2,500,000 euros"),
        ("1.000.000 d'utilisateurs", "1,000,000 users"),
        ("12,75 %", "12.75%"),
        ("en 2019.Depuis", "in 2019. Since"),
        ("le 1er janvier 2024", "on January 1st, 2024"),
        ("3. Choc des egos", "3. Clash of egos"),
        ("GPT-3.5 et GPT-4", "GPT-3.5 and GPT-4"),
        ("2 billions de dollars", "$2 billion"),  # anglicism: both readings kept
        ("Ils étaient 25 en 2015 et 300 en 2019", "There were 25 in 2015 and 300 in 2019"),
        ("aucun chiffre", "no number at all 42"),
    ],
)
def test_numbers_that_agree(french, english):
    assert missing_numbers(french, english) == []


@pytest.mark.parametrize(
    ("french", "english", "missing"),
    [
        ("60 millions de dollars", "$16 million", ["60 millions"]),
        ("60 millions de dollars", "60 billion dollars", ["60 millions"]),
        ("1,5 milliard", "1.5 million", ["1,5 milliard"]),
        ("en 2019 et 2020", "in 2019", ["2020"]),
        ("1 000 salariés", "1 employee", ["1 000"]),
    ],
)
def test_numbers_that_differ(french, english, missing):
    assert missing_numbers(french, english) == missing


def _french(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


@given(st.integers(0, 10**12), st.integers(0, 99))
def test_any_amount_in_french_format_matches_english_format(whole, cents):
    french = f"Le total est de {_french(whole)},{cents:02d} euros."
    english = f"The total is {whole:,}.{cents:02d} euros."
    assert missing_numbers(french, english) == []


@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_a_different_amount_is_missing(a, b):
    french, english = f"{_french(a)} personnes", f"{b:,} people"
    assert (missing_numbers(french, english) == []) == (a == b)


def test_untranslated_when_empty_or_copied():
    assert segment_flags("Le conseil a voté.", None) == {UNTRANSLATED: "no English"}
    assert list(segment_flags("Le conseil a voté.", "  ")) == [UNTRANSLATED]
    assert UNTRANSLATED in segment_flags("Le conseil a voté.", "le  conseil a voté.")
    assert UNTRANSLATED not in segment_flags("Le conseil a voté.", "The board voted.")


@pytest.mark.parametrize("source", ["Elon Musk", "OpenAI", "2019", "Sam Altman, 2015 – xAI?"])
def test_names_and_numbers_may_stay_as_they_are(source):
    assert names_and_numbers_only(source) == (source != "Sam Altman, 2015 – xAI?")
    assert (UNTRANSLATED in segment_flags(source, source)) == (not names_and_numbers_only(source))


def test_length_ratio_band_on_long_enough_sources():
    source = "x" * 40
    assert not length_outlier(source, "y" * 40)
    assert length_outlier(source, "y" * 19)
    assert length_outlier(source, "y" * 81)
    assert not length_outlier("Court.", "A much, much longer English rendering of it")
    assert LENGTH_RATIO in segment_flags(source, "y" * 100)


def _seg(source, target, **kw):
    return Segment(
        "doc", 0, kw.pop("index", 0), PARAGRAPH, 0, len(source), source, target=target, **kw
    )


def test_run_qa_recomputes_its_flags_and_keeps_the_others():
    stale = _seg(
        "Il y a 3 chats dans la maison de mon voisin.",
        "There are 3 cats in my neighbour's house.",
        flags=[NUMBER_MISMATCH, UNTRANSLATED, TRUNCATED],
    )
    junk = _seg("fbpx", None, index=1, flags=[BOILERPLATE_FLAG])
    empty = _seg("Le conseil a voté.", "", index=2)
    totals = check_dossier([stale, junk, empty])
    assert stale.flags == [TRUNCATED]
    assert junk.flags == [BOILERPLATE_FLAG]  # boilerplate is not checked
    assert empty.flags == [UNTRANSLATED]
    assert totals == {**dict.fromkeys(FLAGS, 0), TRUNCATED: 1, BOILERPLATE_FLAG: 1, UNTRANSLATED: 1}


def test_run_qa_flags_a_missing_glossary_term():
    source = "Le conseil d'administration a voté."
    hit = Hit(3, 27, "conseil d'administration", "board", TERM)
    ok = _seg(source, "The board voted.", hits=[hit])
    missing = _seg(source, "The administration council voted.", index=1, hits=[hit])
    check_dossier([ok, missing])
    assert TERM_MISSING not in ok.flags
    assert TERM_MISSING in missing.flags


def test_flag_totals_lists_every_flag():
    segs = [
        _seg("a", "b", flags=[UNTRANSLATED]),
        _seg("a", "b", flags=[UNTRANSLATED, LENGTH_RATIO]),
    ]
    assert flag_totals(segs) == {**dict.fromkeys(FLAGS, 0), UNTRANSLATED: 2, LENGTH_RATIO: 1}


# --- checks for MT failures (mt_checks) --------------------------------------------------------

# translate-toolkit's doublewords cases: (English, whether pofilter flags it).
DOUBLEWORDS = [
    ("Save the rhino", False),
    ("Save the the rhino", True),
    ("Save The the rhino", True),  # case does not matter
    ("Save the rhino. The end", False),
    ("It ended. Ended it was", True),  # pofilter removes full stops first
    ("matriculados matriculados matriculados", True),  # argos-translate issue #428
    ("a, a", False),  # punctuation keeps words apart
    ("He said no no", True),
    ("", False),
]


@pytest.mark.parametrize("english, flagged", DOUBLEWORDS)
def test_repetition_agrees_with_pofilter_doublewords(english, flagged):
    from translate.filters import checks

    checker = checks.StandardChecker()
    try:
        pofilter_flags = not checker.doublewords("Sauvez le rhinocéros", english)
    except checks.FilterFailure:
        pofilter_flags = True
    assert pofilter_flags == flagged
    assert bool(mt_checks.repetition("Sauvez le rhinocéros", english)) == flagged


@pytest.mark.parametrize(
    "french, english, reason",
    [
        ("Il a dit non.", "He said no no.", "“no” is repeated in the English, not in the French"),
        ("Le prix du marché.", "The price of the of the market.",
         "“of the” is repeated in the English, not in the French"),
        ("Ils ont crié « non, non ».", "They shouted “no, no”.", ""),  # not back to back
        ("Ils ont crié « non non ».", "They shouted “no no”.", ""),  # repeated in the French too
        ("Bora Bora est loin.", "Bora Bora is far.", ""),
        ("Il y a 10 10 ans.", "10 10 years ago.", ""),  # numbers only
    ],
)
def test_repetition(french, english, reason):
    assert mt_checks.repetition(french, english) == reason


@pytest.mark.parametrize(
    "french, english, reason",
    [
        ("Pourquoi ?", "Why?", ""),
        ("« Oui. »", "“Yes.”", ""),  # through closing quotes
        ("Il attend...", "He waits…", ""),
        ("Pourquoi ?", "Why.", "the French ends with “?”, the English with “.”"),
        ("Il part.", "He leaves", "the French ends with “.”, the English with no punctuation"),
        ("Titre", "Title:", "the French ends with no punctuation, the English with “:”"),
    ],
)
def test_end_punctuation(french, english, reason):
    assert mt_checks.end_punctuation(french, english) == reason


@pytest.mark.parametrize(
    "french, english, reason",
    [
        ("Il (Musk) a dit « non ».", "He (Musk) said “no”.", ""),
        ("Il a dit « non ».", 'He said "no".', ""),  # quotes may change style
        ("Il (Musk) a dit.", "He (Musk said.", "unbalanced (…) in the English"),
        ("Il (Musk) a dit.", "He Musk said.", "the French has 1 (…) pair(s), the English 0"),
        ("Il a dit « non ».", "He said no.", "the French has 1 quotation(s), the English 0"),
        ("Il a dit « non ».", "He said “no.", "unbalanced quotation marks in the English"),
        ("« Il a dit non.", "“He said no.", ""),  # a quote spanning sentences: open in both
    ],
)
def test_brackets_quotes(french, english, reason):
    assert mt_checks.brackets_quotes(french, english) == reason


def test_run_qa_gives_every_flag_its_reason_and_finds_inconsistent_translations():
    a = _seg("Il a dit non.", "He said no no", index=0)
    b = _seg("Il a dit non.", "He refused.", index=1)
    c = _seg("Il a dit non.", "He refused.", index=2)
    other = _seg("Oui.", "Yes.", index=3)
    check_dossier([a, b, c, other])
    assert a.flags == [REPETITION, PUNCTUATION, INCONSISTENT]
    assert a.reasons == {
        REPETITION: "“no” is repeated in the English, not in the French",
        PUNCTUATION: "the French ends with “.”, the English with no punctuation",
        INCONSISTENT: "the same French is translated differently in doc:0:1: “He refused.”",
    }
    assert b.flags == [INCONSISTENT] and "doc:0:0" in b.reasons[INCONSISTENT]
    assert other.flags == [] and other.reasons == {}
    b.target = a.target = "He refused."
    check_dossier([a, b, c, other])
    assert a.flags == b.flags == [] and a.reasons == {}  # recomputed: reasons go with flags
