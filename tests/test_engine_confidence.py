"""The engine's confidence and the round-trip score, checked against CTranslate2's own
scoring of the same tokens (``score_batch``: a teacher-forced pass, independent of the beam
search's length-penalised score that the confidence is derived from). Real engine, synthetic
packages: one whose "▁lawsuit" ties with the copy of "▁procès" (so those tokens have
probability ½ and the confidence drops), and an en→fr package for the round trip."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from fr2en_dossier.engine import EngineOptions, install_file, load_engine
from fr2en_dossier.engine.stage import MtStage
from fr2en_dossier.model import Segment

from conftest import seed_lines

TIED = {"lawsuit": ("procès", 1.0)}
SENTENCES = [
    "Le procès de Musk contre OpenAI commence cette semaine.",
    "Un procès, puis un autre procès : les avocats se préparent.",
    "OpenAI a été fondée en 2015 par Sam Altman et Elon Musk.",
]


@pytest.fixture(scope="module")
def tied_package(tmp_path_factory) -> Path:
    from support.synthetic_argos import build_package

    return build_package(tmp_path_factory.mktemp("tied"), seed_lines() + SENTENCES, renderings=TIED)


@pytest.fixture(scope="module")
def reverse_package(tmp_path_factory) -> Path:
    from support.synthetic_argos import build_package

    return build_package(tmp_path_factory.mktemp("en-fr"), seed_lines() + SENTENCES,
                         from_code="en", to_code="fr", seed=3)


def reference_means(package_path: Path, sources: list[str], targets: list[list[str]] | list[str]):
    """CTranslate2's mean token log-probability of each target given its source (pieces or
    texts, tokenized with the package's SentencePiece model), ``</s>`` included."""
    import ctranslate2
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_file=str(package_path / "sentencepiece.model"))
    scorer = ctranslate2.Translator(str(package_path / "model"))
    pieces = [t if isinstance(t, list) else sp.encode(t, out_type=str) for t in targets]
    results = scorer.score_batch(sp.encode(sources, out_type=str), pieces)
    return [sum(r.log_probs) / len(r.log_probs) for r in results]


def test_the_confidence_is_the_mean_token_log_probability_ctranslate2_scores(
    tied_package, argos_packages_dir
):
    installed = install_file(tied_package)
    with load_engine(EngineOptions(threads=1)) as engine:
        translations = engine.translate(SENTENCES, detail=range(len(SENTENCES)))
    pieces = [list(t.hypotheses[0].pieces) for t in translations]
    expected = reference_means(installed.path, SENTENCES, pieces)
    for translation, mean in zip(translations, expected):
        assert translation.confidence == pytest.approx(mean, rel=1e-4, abs=1e-9)
    # a tie on a token costs log ½ on it: the sentences with "procès" are less sure
    assert translations[0].confidence < translations[2].confidence - 0.01
    assert translations[1].confidence < translations[0].confidence  # two ties
    assert math.log(0.5) < translations[1].confidence < 0


def test_the_stage_gives_segments_their_confidence_and_round_trip_when_en_fr_is_installed(
    tied_package, reverse_package, argos_packages_dir
):
    install_file(tied_package)
    segments = [Segment("doc", 0, i, "paragraph", 0, len(s), s) for i, s in enumerate(SENTENCES)]
    with MtStage(EngineOptions(threads=1), cache=False) as stage:
        stage(segments)
        assert stage.identity()["round_trip"] == ""
    assert all(seg.confidence is not None and seg.round_trip is None for seg in segments)

    reverse = install_file(reverse_package)
    again = [Segment("doc", 0, i, "paragraph", 0, len(s), s) for i, s in enumerate(SENTENCES)]
    with MtStage(EngineOptions(threads=1), cache=False) as stage:
        stage(again)
        assert stage.identity()["round_trip"] == reverse.id
    assert [s.confidence for s in again] == [s.confidence for s in segments]
    expected = reference_means(reverse.path, [s.target for s in again], SENTENCES)
    assert [s.round_trip for s in again] == pytest.approx(expected, rel=1e-4, abs=1e-9)
    assert all(s.round_trip < 0 for s in again)  # gibberish English predicts the French badly


def test_a_run_writes_the_confidence_into_the_report_the_po_and_the_tmx(
    tied_package, reverse_package, argos_packages_dir, tmp_path, monkeypatch
):
    import polib
    from lxml import etree

    from fr2en_dossier.formats.notes import percent
    from fr2en_dossier.project import Project
    from fr2en_dossier.run import translate_dossier

    install_file(tied_package)
    reverse = install_file(reverse_package)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "procès.txt").write_text("\n\n".join(SENTENCES) + "\n", encoding="utf-8")
    translate_dossier(Project.find(), glossary=None)
    report = json.loads((tmp_path / "output" / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["round_trip"] == reverse.id
    segments = {s["key"]: s for s in report["segments"]}
    assert all(s["confidence"] <= 0 and s["round_trip"] < 0 for s in segments.values()), [
        (s["source"], s["confidence"], s["round_trip"], s["origin"]) for s in segments.values()]
    (po,) = (tmp_path / "output" / "po").glob("*.po")
    for entry in polib.pofile(str(po)):
        seg = segments[entry.msgctxt]
        line = (f"confidence {percent(seg['confidence'])}, round trip "
                f"{percent(seg['round_trip'])}, risk {seg['risk']:.2f}")
        assert line in entry.comment.split("\n")
    tmx = etree.parse(str(tmp_path / "output" / "dossier.tmx"))
    for tu in tmx.iter("tu"):
        props = {p.get("type"): p.text for p in tu.iter("prop")}
        seg = segments[tu.get("tuid")]
        assert float(props["x-confidence"]) == pytest.approx(seg["confidence"], rel=1e-5)
        assert float(props["x-round-trip"]) == pytest.approx(seg["round_trip"], rel=1e-5)
