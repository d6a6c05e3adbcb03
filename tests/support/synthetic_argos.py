"""Build a synthetic Argos Translate package (``.argosmodel``) with the real on-disk format.

The archive has the layout argos-train produces: one top-level directory
``translate-fr_en-<version>/`` holding ``metadata.json``, ``README.md``, ``sentencepiece.model``
and ``model/`` (a CTranslate2 Transformer: ``model.bin``, ``config.json``,
``shared_vocabulary.txt``). Only the weights are synthetic, so every loading path is real.

Random weights almost never emit ``</s>``, which would make every translation run to the
decoding cap. Instead the weights are *constructed* so that the model is a deterministic
"scrambled copy": the last decoder layer's cross-attention attends from target position t to
source position t (learned position encodings in a subspace of their own), carries that
source token's embedding across, and the output layer maps it through a fixed permutation of
the vocabulary. Output: one gibberish piece per source piece, then ``</s>`` (copied from the
source ``</s>`` that the model config appends), so decoding ends at the source length, as a
real translation roughly does. All other weights are small random noise, so the compute is
that of a real Transformer of the same shape. Word-initial pieces map to word-initial pieces,
so the English has as many words as the French.

``renderings`` makes some outputs real words, for the terminology tests: ``{"lawsuit":
("procès", 0.9)}`` makes both single pieces of SentencePiece and gives "▁lawsuit"
the output scores of "▁procès"'s copy times 0.9, so it is the second choice there (1.2: the
first). Every other output stays gibberish, so an English word never comes by chance.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SPECIALS = ["<unk>", "<blank>", "<s>", "</s>"]  # OpenNMT-py's vocabulary order
WORD_START = "\u2581"  # SentencePiece's word-boundary marker


@dataclass(frozen=True)
class Shape:
    """Transformer hyper-parameters of the synthetic model."""

    layers: int
    d_model: int
    heads: int
    ffn: int
    vocab: int  # size of the shared vocabulary (SentencePiece pieces, padded with unused tokens)
    sp_vocab: int  # SentencePiece vocabulary size to train (a soft limit)
    max_positions: int = 1024


# Small and fast: what the tests use.
TINY = Shape(layers=2, d_model=128, heads=4, ffn=256, vocab=1024, sp_vocab=900)
# The real translate-fr_en package's shape (argos-train's config.yml: Transformer base).
BASE = Shape(layers=6, d_model=512, heads=8, ffn=2048, vocab=32000, sp_vocab=32000)


def package_name(from_code: str = "fr", to_code: str = "en", version: str = "1.9") -> str:
    """argos-train's directory / file stem: ``translate-fr_en-1_9``."""
    return f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"


def build_package(
    dest_dir: Path,
    corpus: Iterable[str],
    *,
    shape: Shape = TINY,
    from_code: str = "fr",
    to_code: str = "en",
    version: str = "1.9",
    seed: int = 0,
    renderings: dict[str, tuple[str, float]] | None = None,
) -> Path:
    """Train SentencePiece on ``corpus`` (lines), build the model, zip it; return the archive."""
    renderings = renderings or {}
    words = sorted({w for english, (french, _) in renderings.items() for w in (english, french)})
    name = package_name(from_code, to_code, version)
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest_dir) as tmp:
        root = Path(tmp) / name
        root.mkdir()
        lines = [line for line in corpus if line.strip()] + [" ".join(words)] * bool(words)
        sp_model = _train_sentencepiece(lines, shape.sp_vocab, [WORD_START + w for w in words])
        (root / "sentencepiece.model").write_bytes(sp_model)
        _save_model(root / "model", _vocabulary(sp_model, shape.vocab), shape, seed, renderings)
        metadata = {
            "package_version": version,
            "argos_version": "1.9",
            "from_code": from_code,
            "from_name": {"fr": "French", "en": "English"}.get(from_code, from_code),
            "to_code": to_code,
            "to_name": {"fr": "French", "en": "English"}.get(to_code, to_code),
            "type": "translate",
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=4), encoding="utf-8")
        (root / "README.md").write_text(
            f"# Synthetic {metadata['from_name']}-{metadata['to_name']}\n\n"
            "Synthetic test package built by fr2en-dossier's test suite. Output is gibberish.\n",
            encoding="utf-8",
        )
        archive = shutil.make_archive(str(Path(tmp) / name), "zip", root_dir=tmp, base_dir=name)
        target = dest_dir / f"{name}.argosmodel"
        Path(archive).replace(target)
    return target


def index_entry(archive: Path, url: str) -> dict:
    """The package's entry for an argospm-style ``index.json`` (its metadata plus links)."""
    with zipfile.ZipFile(archive) as zf:
        meta_name = next(n for n in zf.namelist() if n.endswith("/metadata.json"))
        entry = json.loads(zf.read(meta_name))
    entry["links"] = [url]
    return entry


def source_pieces(archive_root: Path, text: str) -> list[str]:
    """SentencePiece pieces of ``text`` with an installed package's tokenizer (for tests)."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(Path(archive_root) / "sentencepiece.model"))
    return sp.encode(text, out_type=str)


def _train_sentencepiece(lines: list[str], vocab_size: int, words: list[str]) -> bytes:
    """A unigram SentencePiece model; ``words`` become single pieces."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # small corpora cannot fill a large vocabulary
        character_coverage=1.0,
        model_type="unigram",
        num_threads=1,
        minloglevel=2,
        user_defined_symbols=words,
    )
    return model.getvalue()


def _vocabulary(sp_model: bytes, size: int) -> list[str]:
    """OpenNMT-style shared vocabulary: specials, the SentencePiece pieces, then filler."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [
        sp.id_to_piece(i)
        for i in range(sp.get_piece_size())
        if not (sp.is_control(i) or sp.is_unknown(i))
    ]
    vocab = SPECIALS + pieces
    if len(vocab) > size:
        raise ValueError(f"SentencePiece produced {len(pieces)} pieces, more than vocab={size}")
    return vocab + [f"<filler{i}>" for i in range(size - len(vocab))]


def _save_model(
    model_dir: Path, vocab: list[str], shape: Shape, seed: int, renderings: dict
) -> None:
    import numpy as np
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    d, heads, n = shape.d_model, shape.heads, len(vocab)
    head_dim = d // heads
    pos_dims = min(head_dim, 32)  # residual dims [0, pos_dims) carry position; the rest content
    content = d - pos_dims

    def noise(*dims: int) -> np.ndarray:
        # Small enough that the constructed copy path dominates, large enough to be real work.
        return rng.normal(0.0, 0.02 / np.sqrt(dims[-1]), dims).astype(np.float32)

    # Position codes: sinusoids and their negatives in the position subspace only, so that each
    # row sums to zero and layer norm leaves them (and the zero-mean content codes) unmixed.
    freqs = 1.0 / 10000 ** (np.arange(pos_dims // 4) / (pos_dims // 4))
    angles = np.outer(np.arange(shape.max_positions), freqs)
    waves = np.concatenate([np.sin(angles), np.cos(angles)], axis=1)
    positions = np.zeros((shape.max_positions, d), np.float32)
    positions[:, :pos_dims] = np.concatenate([waves, -waves], axis=1)
    # Smallest drop of <p(t), p(s)> from s == t to any other s: sets how sharp attention must be.
    gaps = 2 * (len(freqs) - np.cos(np.outer(np.arange(1, shape.max_positions), freqs)).sum(1))

    # Each token's content vector: zero-mean, unit-variance entries in the content subspace.
    codes = rng.normal(size=(n, content))
    codes -= codes.mean(axis=1, keepdims=True)
    codes = (codes * np.sqrt(content) / np.linalg.norm(codes, axis=1, keepdims=True)).astype(
        np.float32
    )
    src_embeddings = np.zeros((n, d), np.float32)
    src_embeddings[:, pos_dims:] = codes / np.sqrt(d)  # the model multiplies by sqrt(d)

    spec = transformer_spec.TransformerSpec.from_config(shape.layers, heads)
    spec.config.add_source_eos = True  # the copied source </s> ends each translation

    def fill_layer_norm(ln) -> None:
        ln.gamma = np.ones(d, np.float32)
        ln.beta = np.zeros(d, np.float32)

    def fill_attention(att, self_attention: bool) -> None:
        fill_layer_norm(att.layer_norm)
        shapes = [(3 * d, d), (d, d)] if self_attention else [(d, d), (2 * d, d), (d, d)]
        for linear, dims in zip(att.linear, shapes):
            linear.weight = noise(*dims)
            linear.bias = np.zeros(dims[0], np.float32)

    def fill_ffn(ffn) -> None:
        fill_layer_norm(ffn.layer_norm)
        ffn.linear_0.weight = noise(shape.ffn, d)
        ffn.linear_0.bias = np.zeros(shape.ffn, np.float32)
        ffn.linear_1.weight = noise(d, shape.ffn)
        ffn.linear_1.bias = np.zeros(d, np.float32)

    encoder, decoder = spec.encoder, spec.decoder
    encoder.embeddings[0].weight = src_embeddings
    encoder.position_encodings.encodings = positions
    fill_layer_norm(encoder.layer_norm)
    for layer in encoder.layer:
        fill_attention(layer.self_attention, True)
        fill_ffn(layer.ffn)

    decoder.embeddings.weight = noise(n, d) * 0.05
    decoder.position_encodings.encodings = positions
    fill_layer_norm(decoder.layer_norm)
    for layer in decoder.layer:
        fill_attention(layer.self_attention, True)
        fill_attention(layer.attention, False)
        fill_ffn(layer.ffn)

    # The copy head (last decoder layer's cross-attention), identical in every head: queries
    # and keys read the position subspace, values the content subspace.
    copy = decoder.layer[-1].attention
    # Scores after both layer norms: q ~ p(t)*sqrt(2d/pos_dims), k ~ p(s); want a >= 25 logit gap.
    scale = 25 * np.sqrt(head_dim) / (gaps.min() * np.sqrt(2 * d / pos_dims))
    query = np.zeros((d, d), np.float32)
    key_value = np.zeros((2 * d, d), np.float32)
    for h in range(heads):
        for i in range(pos_dims):
            query[h * head_dim + i, i] = scale
            key_value[h * head_dim + i, i] = 1.0
    value = key_value[d:]
    value[np.arange(content), pos_dims + np.arange(content)] = 1.0
    out = np.zeros((d, d), np.float32)
    out[pos_dims + np.arange(content), np.arange(content)] = 1.0
    copy.linear[0].weight, copy.linear[1].weight, copy.linear[2].weight = query, key_value, out

    # Output layer: token v scores the content of the source token that maps to v.
    specials = {tok: i for i, tok in enumerate(SPECIALS)}
    real = [i for i, tok in enumerate(vocab) if not (tok in specials or tok.startswith("<filler"))]
    source_of = {specials["</s>"]: specials["</s>"], specials["<unk>"]: specials["<unk>"]}
    for group in (
        [i for i in real if vocab[i].startswith(WORD_START)],
        [i for i in real if not vocab[i].startswith(WORD_START)],
    ):
        source_of.update(zip(group, rng.permutation(group).tolist()))
    projection = noise(n, d)
    bias = np.full(n, -100.0, np.float32)  # never emit <s>, <blank> or filler
    targets = np.fromiter(source_of.keys(), int)
    sources = np.fromiter(source_of.values(), int)
    projection[targets, pos_dims:] = 10.0 * codes[sources] / np.sqrt(content)
    bias[targets] = 0.0
    index = {tok: i for i, tok in enumerate(vocab)}
    for english, (french, strength) in renderings.items():
        out, src = index[WORD_START + english], index[WORD_START + french]
        projection[out, pos_dims:] = strength * 10.0 * codes[src] / np.sqrt(content)
    decoder.projection.weight = projection
    decoder.projection.bias = bias

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization="int8")
    model_dir.mkdir()
    spec.save(str(model_dir))
