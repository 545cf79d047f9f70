#!/usr/bin/env python3
"""Speed and memory of `sparsemax` and `entmax` (α = 1.5) against the package's own `softmax`, and against the
`entmax` package (PyTorch, CPU), at one thread.

    python tools/bench_sparsemax.py [--repeat 7] [--skip-reference]

Logits are float32, drawn from N(0, 3²) with a fixed seed, at the shapes 4096×1000, 65536×10 and 256×50257.
`run()` returns a list of dicts, one per shape and function: the best of `repeat` times in milliseconds,
the time as a multiple of `softmax`'s in the same run, and the peak memory allocated during one call, beyond
the input, as a multiple of the input's size (measured with `tracemalloc`; the output itself, one input's
worth, is included). `reference()` times the `entmax` package's default functions (`sparsemax`,
`entmax15`, on `dim=-1`) on the same arrays; it imports torch, so call it only where torch is installed.
`table()` joins both and adds the speed-up over the `entmax` package.
"""
import argparse, time, tracemalloc
import numpy as np

SHAPES = ((4096, 1000), (65536, 10), (256, 50257))


def logits(shape, seed=0):
    "float32 logits drawn from N(0, 3²)."
    return (3 * np.random.default_rng(seed).standard_normal(shape)).astype(np.float32)


def best_ms(f, repeat):
    "The best of `repeat` timed calls of `f()`, in milliseconds (after one untimed call)."
    f()
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter(); f(); best = min(best, time.perf_counter() - start)
    return 1e3 * best


def peak_extra(f, x):
    "Peak bytes allocated during `f()` (tracemalloc), as a multiple of `x.nbytes`."
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        f()
        return tracemalloc.get_traced_memory()[1] / x.nbytes
    finally:
        tracemalloc.stop()


def ours():
    "{name: function of an array}: the package's softmax, sparsemax and entmax at α = 1.5."
    from softmax_nb import softmax, sparsemax, entmax
    return {'softmax': softmax, 'sparsemax': sparsemax, 'entmax 1.5': lambda x: entmax(x, 1.5)}


def run(repeat=7, shapes=SHAPES):
    "Time and memory of our functions at one thread: a list of dicts."
    from softmax_nb import set_num_threads
    from threadpoolctl import threadpool_limits
    old, rows = set_num_threads(1), []
    try:
        with threadpool_limits(1):
            for shape in shapes:
                x, base = logits(shape), None
                for name, f in ours().items():
                    ms = best_ms(lambda: f(x), repeat)
                    base = base or ms
                    rows.append(dict(shape=f'{shape[0]}x{shape[1]}', function=name, ms=ms, vs_softmax=ms / base,
                                     extra_memory=peak_extra(lambda: f(x), x)))
    finally:
        set_num_threads(old)
    return rows


def reference(repeat=7, shapes=SHAPES):
    "Time of the `entmax` package's `sparsemax` and `entmax15` (PyTorch, CPU, one thread): a list of dicts."
    import torch, entmax
    old, rows = torch.get_num_threads(), []
    torch.set_num_threads(1)
    try:
        with torch.no_grad():
            for shape in shapes:
                x = torch.from_numpy(logits(shape))
                for name, f in (('sparsemax', entmax.sparsemax), ('entmax 1.5', entmax.entmax15)):
                    rows.append(dict(shape=f'{shape[0]}x{shape[1]}', function=name,
                                     reference_ms=best_ms(lambda: f(x, dim=-1), repeat)))
    finally:
        torch.set_num_threads(old)
    return rows


def table(repeat=7, with_reference=True):
    "`run()` joined with `reference()`: adds `reference_ms` and `speedup` (the `entmax` package's time over ours)."
    rows = run(repeat)
    if with_reference:
        theirs = {(r['shape'], r['function']): r['reference_ms'] for r in reference(repeat)}
        for r in rows:
            if (r['shape'], r['function']) in theirs:
                r['reference_ms'] = theirs[r['shape'], r['function']]
                r['speedup'] = r['reference_ms'] / r['ms']
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=7)
    parser.add_argument('--skip-reference', action='store_true', help='do not time the entmax package (no torch needed)')
    args = parser.parse_args()
    print(f"{'shape':>10} {'function':>11} {'ms':>8} {'x softmax':>10} {'extra mem':>10} {'entmax pkg ms':>14} {'speed-up':>9}")
    for r in table(args.repeat, not args.skip_reference):
        ref = f"{r['reference_ms']:>14.1f} {r['speedup']:>8.1f}x" if 'speedup' in r else ''
        print(f"{r['shape']:>10} {r['function']:>11} {r['ms']:>8.1f} {r['vs_softmax']:>9.2f}x {r['extra_memory']:>9.2f}x {ref}")


if __name__ == '__main__':
    main()
