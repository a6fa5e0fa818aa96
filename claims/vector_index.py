"""
The nearest claim vectors to a query vector, fast at a million claims, the same on SQLite and
PostgreSQL (no pgvector).

The database (ClaimVector) is the source of truth. Each process keeps its own copy of the
vectors in memory and searches it:
- below EXACT_BELOW vectors, as a plain matrix searched exactly with numpy;
- above, as a usearch HNSW index (measured against faiss-cpu and voyager: bench/README.md),
  loaded from the index file `<CLAIM_INDEX_DIR>/<model>.usearch` that `manage.py claim_index`
  writes; the file's sidecar `.json` says the highest ClaimVector id it covers.
Before every search the copy is topped up from the rows above the highest id it holds (one
indexed query), so a claim the worker encoded a moment ago is found by every server. A changed
text gets a new row; the old row's id stays in the copy until the next load, and search results
are checked against the table, so it is never suggested. The worker rewrites the file once it
is SAVE_BEHIND rows behind (save_if_behind), and any process reloads a newer file it finds.
How this runs on several app servers: docs/deploy.md.
"""

import json
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings

from claims import vectors

logger = logging.getLogger(__name__)

EXACT_BELOW = 50_000
SAVE_BEHIND = 2_000
LOAD_BATCH = 20_000
CONNECTIVITY = 16
EXPANSION_SEARCH = 64


@dataclass
class Copy:
    """One process's vectors of one model: exact rows, or an HNSW index plus exact rows newer
    than it."""

    model: str
    dims: int
    covers: int = 0  # highest ClaimVector id held
    index: object | None = None  # usearch Index, keys are ClaimVector ids
    file_mtime: float = 0.0
    ids: list[int] = field(default_factory=list)
    rows: list[np.ndarray] = field(default_factory=list)
    matrix: np.ndarray | None = None

    def add(self, ids: list[int], block: np.ndarray) -> None:
        if self.index is not None:
            self.index.add(np.asarray(ids, dtype=np.uint64), block)
        else:
            self.ids.extend(ids)
            self.rows.append(block)
            self.matrix = None
        if ids:
            self.covers = max(self.covers, max(ids))

    def search(self, query: np.ndarray, count: int) -> list[tuple[int, float]]:
        if self.index is not None:
            if len(self.index) == 0:
                return []
            found = self.index.search(query, count, exact=False)
            return [
                (int(key), 1.0 - float(distance))
                for key, distance in zip(found.keys, found.distances, strict=True)
            ]
        if not self.ids:
            return []
        if self.matrix is None:
            self.matrix = np.vstack(self.rows)
            self.rows = [self.matrix]
        scores = self.matrix @ query
        count = min(count, len(scores))
        best = np.argpartition(-scores, count - 1)[:count]
        best = best[np.argsort(-scores[best])]
        return [(self.ids[i], float(scores[i])) for i in best]


_copies: dict[str, Copy] = {}
_lock = threading.Lock()


def index_path(model: str) -> Path:
    return Path(settings.CLAIM_INDEX_DIR) / f"{model}.usearch"


def _rows_after(model: str, after: int, limit: int | None = None):
    from claims.models import ClaimVector

    rows = ClaimVector.objects.filter(model=model, pk__gt=after).order_by("pk")
    return rows.values_list("pk", "vector")[:limit] if limit else rows.values_list("pk", "vector")


def _load_rows(copy: Copy) -> None:
    """Add every row above what `copy` covers, in batches."""
    while True:
        batch = list(_rows_after(copy.model, copy.covers, LOAD_BATCH))
        if not batch:
            return
        block = np.vstack([vectors.from_bytes(bytes(data)) for _, data in batch])
        copy.add([pk for pk, _ in batch], block)
        if len(batch) < LOAD_BATCH:
            return


def _new_index(dims: int):
    from usearch.index import Index

    return Index(
        ndim=dims,
        metric="cos",
        dtype="f16",
        connectivity=CONNECTIVITY,
        expansion_search=EXPANSION_SEARCH,
    )


def _load(model: str, dims: int) -> Copy:
    """A fresh copy: the index file if there is one, else the rows (exact below EXACT_BELOW,
    else an index built in memory, slow at a million: run `manage.py claim_index`)."""
    path = index_path(model)
    copy = Copy(model=model, dims=dims)
    if path.exists():
        from usearch.index import Index

        meta = json.loads(path.with_suffix(".json").read_text())
        copy.index = Index.restore(str(path), view=False)
        copy.index.expansion_search = EXPANSION_SEARCH
        copy.covers = meta["covers"]
        copy.file_mtime = path.stat().st_mtime
    else:
        from claims.models import ClaimVector

        if ClaimVector.objects.filter(model=model).count() >= EXACT_BELOW:
            logger.warning("No index file at %s: building one in memory", path)
            copy.index = _new_index(dims)
    _load_rows(copy)
    return copy


def copy_for(model: str, dims: int) -> Copy:
    """This process's copy for `model`, topped up from the table (or reloaded if the file on
    disk is newer than the one it was loaded from)."""
    with _lock:
        copy = _copies.get(model)
        path = index_path(model)
        if (
            copy is None
            or copy.dims != dims
            or (path.exists() and path.stat().st_mtime > copy.file_mtime and copy.index is not None)
        ):
            copy = _copies[model] = _load(model, dims)
        else:
            _load_rows(copy)
        return copy


def nearest(query: np.ndarray, count: int, *, model: str, dims: int) -> list[tuple[int, float]]:
    """(ClaimVector id, cosine) of the `count` nearest vectors, nearest first."""
    return copy_for(model, dims).search(np.asarray(query, dtype=vectors.DTYPE), count)


def forget() -> None:
    """Drop this process's copies (tests; after `claim_index` in the same process)."""
    with _lock:
        _copies.clear()


def build(model: str, dims: int, *, path: Path | None = None) -> tuple[int, int]:
    """Write the index file for `model` from the table; returns (vectors, highest id)."""
    path = path or index_path(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    copy = Copy(model=model, dims=dims, index=_new_index(dims))
    _load_rows(copy)
    _save(copy, path)
    return len(copy.index), copy.covers


def _save(copy: Copy, path: Path) -> None:
    """Write the file and its sidecar beside the old ones, then swap them in: a server that
    loads meanwhile reads the old pair or the new one, never half a file."""
    temporary = path.with_name(path.name + f".{os.getpid()}.tmp")
    copy.index.save(str(temporary))
    meta = path.with_suffix(".json")
    meta_temporary = meta.with_name(meta.name + f".{os.getpid()}.tmp")
    meta_temporary.write_text(json.dumps({"covers": copy.covers, "vectors": len(copy.index)}))
    os.replace(meta_temporary, meta)
    os.replace(temporary, path)


def save_if_behind() -> bool:
    """The worker's part: once the index file is SAVE_BEHIND rows behind the table, add them
    and rewrite it. Without a file (a small database) there is nothing to do."""
    model = vectors.encoder()
    path = index_path(model.name)
    if not path.exists():
        return False
    meta = json.loads(path.with_suffix(".json").read_text())
    behind = _rows_after(model.name, meta["covers"]).count()
    if behind < SAVE_BEHIND:
        return False
    copy = copy_for(model.name, model.dims)
    if copy.index is None:
        return False
    _save(copy, path)
    copy.file_mtime = path.stat().st_mtime
    return True
