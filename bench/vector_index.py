"""
Nearest-neighbour libraries at a million claim vectors: recall@10 against exact search, and
single-query latency (p50/p95), for usearch, faiss-cpu (HNSW) and voyager, whichever is
installed.

    python bench/vector_index.py --real vectors.npy --size 1000000 [--libraries usearch,faiss]

`--real` is an .npy of real encoded claims (bench/similarity.py's pool); encoding a million
distinct claims takes hours on two cores, so the rest are synthetic: a real vector plus
Gaussian noise of a random scale (up to `--noise`), renormalised, which keeps the model's
clustered geometry (the hard case for HNSW) rather than uniform random points. The queries
are fresh variants, not in the index. Besides strict recall@10 the bench prints recall@10 that
counts a neighbour as found when its cosine ties the 10th true one within 0.001 (in a cluster
of near-copies many are equally near).
"""

import argparse
import time

import numpy as np

QUERIES = 300
K = 10


def synthetic(
    real: np.ndarray, size: int, noise: float, seed: int = 16, keep_real: bool = True
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((size, real.shape[1]), dtype=np.float32)
    step = 100_000
    for start in range(0, size, step):
        n = min(step, size - start)
        base = real[rng.integers(0, len(real), n)]
        scale = rng.uniform(0.1, 1.0, (n, 1)).astype(np.float32) * noise
        block = base + rng.normal(0, 1, base.shape).astype(np.float32) * scale
        out[start : start + n] = block / np.linalg.norm(block, axis=1, keepdims=True)
    if keep_real:
        out[: len(real)] = real[: min(len(real), size)]
    return out


def exact(vectors: np.ndarray, queries: np.ndarray) -> np.ndarray:
    scores = queries @ vectors.T
    return np.argsort(-scores, axis=1)[:, :K]


def timed_queries(search, queries: np.ndarray) -> tuple[np.ndarray, list[float]]:
    found, times = [], []
    for query in queries:
        started = time.perf_counter()
        found.append(search(query))
        times.append((time.perf_counter() - started) * 1000)
    return np.array(found), times


def build_usearch(vectors):
    from usearch.index import Index

    index = Index(ndim=vectors.shape[1], metric="cos", dtype="f16", connectivity=16)
    index.add(np.arange(len(vectors)), vectors, threads=2)

    def search(query):
        return index.search(query, K, exact=False).keys[:K]

    return search


def build_faiss(vectors):
    import faiss

    faiss.omp_set_num_threads(2)
    index = faiss.IndexHNSWFlat(vectors.shape[1], 16, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 128
    index.add(vectors)
    index.hnsw.efSearch = 64

    def search(query):
        return index.search(query.reshape(1, -1), K)[1][0]

    return search


def build_voyager(vectors):
    from voyager import Index, Space, StorageDataType

    index = Index(
        Space.Cosine,
        num_dimensions=vectors.shape[1],
        M=16,
        ef_construction=128,
        storage_data_type=StorageDataType.Float8,
    )
    index.add_items(vectors, num_threads=2)

    def search(query):
        return index.query(query, k=K, query_ef=64)[0]

    return search


BUILDERS = {"usearch": build_usearch, "faiss": build_faiss, "voyager": build_voyager}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--real", required=True)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--noise", type=float, default=0.02)
    parser.add_argument("--libraries", default="usearch,faiss,voyager")
    args = parser.parse_args()
    real = np.load(args.real).astype(np.float32)
    vectors = synthetic(real, args.size, args.noise)
    queries = synthetic(real, QUERIES, args.noise, seed=99, keep_real=False)
    started = time.perf_counter()
    truth = exact(vectors, queries)
    _, numpy_times = timed_queries(lambda q: np.argpartition(-(vectors @ q), K)[:K], queries[:50])
    print(f"{args.size} vectors x {vectors.shape[1]} ({len(real)} real), exact truth in "
          f"{time.perf_counter() - started:.0f} s; numpy exact p95 "
          f"{np.percentile(numpy_times, 95):.1f} ms")  # fmt: skip
    for name in args.libraries.split(","):
        try:
            builder = BUILDERS[name]
            started = time.perf_counter()
            search = builder(vectors)
            built = time.perf_counter() - started
        except ImportError as error:
            print(f"{name}: not installed ({error})")
            continue
        found, times = timed_queries(search, queries)
        recall = np.mean([len(set(f) & set(t)) / K for f, t in zip(found, truth, strict=True)])
        tenth = np.array([vectors[t[-1]] @ q for t, q in zip(truth, queries, strict=True)])
        tied = np.mean(
            [
                np.mean([vectors[j] @ q >= bar - 0.001 for j in f[:K] if j >= 0])
                for f, q, bar in zip(found, queries, tenth, strict=True)
            ]
        )
        print(f"{name}: build {built:.0f} s, recall@{K} {recall:.3f} (ties {tied:.3f}), "
              f"p50 {np.percentile(times, 50):.2f} ms, p95 {np.percentile(times, 95):.2f} ms",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
