"""
Similar-claim lookup at a million claims on PostgreSQL: single requests of similar_claims(),
p50/p95, after the vectors are in the table and the index file is built; and what the vectors
cost: encoding time per claim, measured on a sample, extrapolated to the whole table.

    DATABASE_URL=postgres://…/fc_xling_million .venv/bin/python bench/similar_million.py \
        [--sample 2000] [--queries 200] [--noise 0.02]

Run it against a copy of a big database (it writes ClaimVector rows and the index file under
CLAIM_INDEX_DIR). Encoding a million claims takes hours on two shared cores, so only `--sample`
distinct texts are encoded (that is the measured cost); every other claim gets a vector near
one of them (the real vector plus Gaussian noise of a random scale up to `--noise`,
renormalised), which keeps the model's clustered geometry for the index. The queries are the
retellings of tests/similarity, in English, Ukrainian and Russian, so each request encodes its
text as the desk does.
"""

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

BASE_DIR = Path(__file__).resolve().parent.parent


def fill_vectors(sample: int, noise: float) -> None:
    from django.db import connection
    from django.utils import timezone

    from claims import vectors
    from claims.models import Claim, ClaimVector

    encoder = vectors.encoder()
    have = ClaimVector.objects.filter(model=encoder.name).count()
    total = Claim.objects.count()
    if have >= total:
        print(f"{have} vectors already stored for {total} claims")
        return
    texts = list(Claim.objects.values_list("text", flat=True).distinct().order_by("text"))
    rng = np.random.default_rng(16)
    chosen = [texts[i] for i in rng.permutation(len(texts))[:sample]]
    started = time.perf_counter()
    real = np.vstack([encoder.encode(chosen[k : k + 64]) for k in range(0, len(chosen), 64)])
    batch_cost = (time.perf_counter() - started) / len(chosen)
    started = time.perf_counter()
    for text in chosen[:50]:
        encoder.encode([text])
    single_cost = (time.perf_counter() - started) / min(50, len(chosen))
    print(f"encoder {encoder.name}: {batch_cost * 1000:.1f} ms per claim in batches of 64, "
          f"{single_cost * 1000:.1f} ms one at a time ({len(chosen)} distinct texts); "
          f"{total} claims would take {batch_cost * total / 3600:.1f} h on one thread")  # fmt: skip
    position = {text: i for i, text in enumerate(chosen)}
    rows = list(Claim.objects.order_by("pk").values_list("pk", "text"))  # before COPY starts
    now = timezone.now()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        columns = "claim_id, model, dims, vector, text_hash, computed_at"
        with raw.copy(f"COPY claims_claimvector ({columns}) FROM STDIN") as copy:
            for begin in range(0, len(rows), 10_000):
                block = rows[begin : begin + 10_000]
                bases = np.array(
                    [
                        position.get(text)
                        if text in position
                        else int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest())
                        % len(real)
                        for _, text in block
                    ]
                )
                scale = rng.uniform(0.1, 1.0, (len(block), 1)).astype(np.float32) * noise
                made = real[bases] + rng.normal(0, 1, (len(block), real.shape[1])).astype(
                    np.float32
                ) * scale * np.array([[text not in position] for _, text in block])
                made /= np.linalg.norm(made, axis=1, keepdims=True)
                for (pk, _), vector in zip(block, made, strict=True):
                    copy.write_row(
                        (pk, encoder.name, encoder.dims, vectors.to_bytes(vector), "bench", now)
                    )
    print(f"stored {total} vectors in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--noise", type=float, default=0.06)
    args = parser.parse_args()
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from django.db import connection

    from claims import vector_index, vectors
    from claims.importer.similar import similar_claims

    assert connection.vendor == "postgresql", "run it with DATABASE_URL=postgres://…"
    fill_vectors(args.sample, args.noise)
    encoder = vectors.encoder()
    path = vector_index.index_path(encoder.name)
    if not path.exists():
        started = time.perf_counter()
        count, _ = vector_index.build(encoder.name, encoder.dims)
        print(f"index file of {count} vectors built in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    vector_index.copy_for(encoder.name, encoder.dims)
    print(f"index loaded by this process in {time.perf_counter() - started:.1f} s")
    lines = (BASE_DIR / "tests" / "similarity" / "claims.jsonl").read_text().splitlines()
    queries = [
        text for line in lines for lang in ("en", "uk", "ru") for text in json.loads(line)[lang]
    ]
    queries = (queries * (args.queries // len(queries) + 1))[: args.queries]
    similar_claims(queries[0])  # warm: the model, the dictionaries, the connection
    times = []
    for text in queries:
        started = time.perf_counter()
        similar_claims(text)
        times.append((time.perf_counter() - started) * 1000)
    encode_times = []
    for text in queries[:50]:
        started = time.perf_counter()
        encoder.encode([text])
        encode_times.append((time.perf_counter() - started) * 1000)
    covers = vector_index.copy_for(encoder.name, encoder.dims).covers
    p50, p95 = np.percentile(times, 50), np.percentile(times, 95)
    print(f"similar_claims at {covers} vector ids, {len(times)} single requests: "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms")  # fmt: skip
    print(f"of which encoding the text: p50 {np.percentile(encode_times, 50):.1f} ms, "
          f"p95 {np.percentile(encode_times, 95):.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
