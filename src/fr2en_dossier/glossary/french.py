"""French word lists and inflection rules used by glossary matching and rewriting.

Kept as plain data so a terminologist can read and extend them; plus :func:`capitalized`.
"""

from __future__ import annotations

APOSTROPHES = "'’ʼ‘"
HYPHENS = "-‐‑"  # hyphen-minus, hyphen, non-breaking hyphen (not the dashes – —)

# Words an entry's inflected forms stop at: an entry allows plural/feminine forms on its words
# up to the first of these ("conseil d'administration" → "conseils d'administration").
FUNCTION_WORDS = frozenset(
    "à a au aux avec c ce d de des du en et l la le les ou par pour sans sous sur un une".split()
)

# Plural endings: (ending, replacements). The first matching ending applies; "" matches all.
# Several replacements are all accepted (matching over-accepts, it never generates text).
PLURAL_RULES = (
    ("s", ("s",)),
    ("x", ("x",)),
    ("z", ("z",)),
    ("al", ("aux", "als")),
    ("ail", ("aux", "ails")),
    ("eau", ("eaux",)),
    ("au", ("aux", "aus")),
    ("eu", ("eux", "eus")),
    ("ou", ("ous", "oux")),
    ("", ("s",)),
)

FEMININE_RULES = (
    ("e", ("e",)),
    ("eux", ("euse",)),
    ("teur", ("trice", "teuse")),
    ("eur", ("euse", "eure")),
    ("if", ("ive",)),
    ("el", ("elle",)),
    ("eil", ("eille",)),
    ("en", ("enne",)),
    ("on", ("onne",)),
    ("er", ("ère",)),
    ("et", ("ette", "ète")),
    ("c", ("que",)),
    ("", ("e",)),
)

# Elided words and their full form. A rewritten term that no longer starts with a vowel gets the
# full form ("l'assurance-chômage" → "le board"), one that now does gets the elision
# ("le conseil" → "l'AI"); "la" elides to "l'" too.
ELIDED = {
    "l": "le",
    "d": "de",
    "qu": "que",
    "j": "je",
    "n": "ne",
    "s": "se",
    "m": "me",
    "t": "te",
    "jusqu": "jusque",
    "lorsqu": "lorsque",
    "puisqu": "puisque",
    "quoiqu": "quoique",
}
ELIDING = {full: short for short, full in ELIDED.items()} | {"la": "l"}
# Preposition + article contractions: "de l'…" → "du board", "du conseil" → "de l'AI".
CONTRACTIONS = {"de le": "du", "à le": "au"}

VOWELS = frozenset("aeiouàâäéèêëîïôöùûüæœ")


def _inflect(word: str, rules) -> list[str]:
    """The forms of ``word`` by the first rule whose ending it has (the "" rule always applies)."""
    ending, replacements = next((e, r) for e, r in rules if word.lower().endswith(e))
    stem = word[: len(word) - len(ending)]
    upper = word.isupper() and len(word) > 1
    return [stem + (r.upper() if upper else r) for r in replacements]


def word_forms(word: str, plural: bool, feminine: bool) -> list[tuple[str, bool]]:
    """``word`` and the forms it may take, each with whether it is a plural form.

    A plural identical to the singular ("procès") counts as the singular.
    """
    forms = [word] + (_inflect(word, FEMININE_RULES) if feminine else [])
    pairs = [(f, False) for f in forms]
    if plural:
        pairs += [(p, True) for f in forms for p in _inflect(f, PLURAL_RULES) if p != f]
    return list(dict.fromkeys(pairs))


def starts_with_vowel(text: str) -> bool:
    """Whether French elides in front of ``text`` (a written vowel; "h" counts as aspirated)."""
    return bool(text) and text[0].lower() in VOWELS

# Words that never make a term candidate on their own (`fr2en glossary suggest`): articles,
# pronouns, prepositions, conjunctions, auxiliaries and the commonest verbs and adverbs.
STOPWORDS = frozenset(
    """
    a ai aie aient ainsi alors après as assez au aucun auprès aussi autre autres aux avaient
    avait avant avec avez avoir avons ayant beaucoup bien c ça car ce ceci cela celle celles
    celui cependant ces cet cette ceux chacun chaque chez comme comment contre d dans de déjà
    depuis des deux devait doit donc dont du également elle elles en encore ensuite entre est et
    étaient était été être eu eux fait faire fois font fut ici il ils j jamais je jusqu l la le
    les leur leurs lors lorsque lui m ma mais me même mêmes mes mieux moi moins mon n ne ni non
    nos notre nous on ont ou où outre par parce pas pendant peu peut plus plusieurs plutôt pour
    pourquoi qu quand que quel quelle quelles quels qui s sa sans se selon ses seul si sien son
    sont sous souvent sur surtout t ta tandis tant te tel telle tels tes toi ton toujours tous
    tout toute toutes très trop tu un une vers via voici voilà vos votre vous vraiment y
    """.split()
)


def capitalized(text: str) -> str:
    """``text`` with a capital first letter, the rest as it is ("openAI" → "OpenAI", not
    str.capitalize's "Openai")."""
    return text[:1].upper() + text[1:]
