"""Words per second of the annotate pass against plain ``nlp.pipe``, plus peak memory.

Each measurement runs in its own fresh process, so peak memory (max RSS) is that phase's own.
Targets on a 2-core machine: cold ≥ 1.5 × baseline, warm ≥ 20 × cold.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import tempfile
import time

COLD_TARGET = 1.5
WARM_TARGET = 20.0


def _words(columns) -> int:
    return int(sum(len(t.split()) for part in ("question", "answer") for t in columns[part]))


def _peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def _phase(name: str, n: int, jobs: int, cache: str, queue) -> None:
    from tools.synthetic import synthetic_columns

    columns = synthetic_columns(n, seed=1941, extra_words=500)
    texts = [t for row in columns.itertuples() for t in (row.question, row.answer)]
    if name == "baseline":
        import spacy

        from mrhistory.model import resolve_model_name

        nlp = spacy.load(resolve_model_name())  # the model's full default pipeline
        start = time.perf_counter()
        for _ in nlp.pipe(texts):
            pass
    else:
        from mrhistory.annotation import annotate, pipeline

        pipeline(None)  # model load is not part of the measured pass
        start = time.perf_counter()
        annotate(columns, jobs=jobs, cache_dir=cache, progress=False)
    seconds = time.perf_counter() - start
    queue.put((name, _words(columns) / seconds, seconds, _peak_mib()))


def measure(name: str, n: int, jobs: int, cache: str):
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_phase, args=(name, n, jobs, cache, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--columns", type=int, default=300, help="synthetic columns (default 300, 400–800 words each)")
    parser.add_argument("--jobs", type=int, default=2, help="annotate worker processes (default 2 = this machine's cores)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mrhistory-bench-") as cache:
        rows = [
            measure("baseline", args.columns, 1, cache),
            measure("cold", args.columns, args.jobs, cache),
            measure("warm", args.columns, args.jobs, cache),
        ]
    print(f"annotate benchmark: {args.columns} synthetic columns, --jobs {args.jobs}")
    print(f"{'phase':<10}{'words/s':>12}{'seconds':>10}{'peak MiB':>10}")
    for name, wps, seconds, mib in rows:
        print(f"{name:<10}{wps:>12,.0f}{seconds:>10.2f}{mib:>10.0f}")
    (_, base, *_), (_, cold, *_), (_, warm, *_) = rows
    ok_cold, ok_warm = cold / base >= COLD_TARGET, warm / cold >= WARM_TARGET
    print(f"cold / baseline = {cold / base:.2f}  (target ≥ {COLD_TARGET})  {'ok' if ok_cold else 'MISSED'}")
    print(f"warm / cold     = {warm / cold:.2f}  (target ≥ {WARM_TARGET})  {'ok' if ok_warm else 'MISSED'}")
    return 0 if ok_cold and ok_warm else 1


if __name__ == "__main__":
    sys.exit(main())
