#!/usr/bin/env python3
"""LinearClassifier against scikit-learn's linear classifiers, at one thread, every estimator at its defaults.

    python tools/bench_estimator.py [--repeat 3] [--skip-reference]

`run()` returns the table as a list of dicts (one per estimator and dataset), so that a notebook can
call it and print it. Two datasets:

- the digits, split with `train_test_split(test_size=0.25, random_state=0, stratify=y)`, standardised
  with the training part's statistics;
- `make_classification(n_samples=60000, n_features=200, n_informative=60, n_classes=10,
  n_clusters_per_class=1, random_state=0)`, standardised, the first 50000 rows for training and the last
  10000 for testing.

On each: `LinearClassifier()` (cross-entropy) against `LogisticRegression()`, and
`LinearClassifier('svm', p=2)` (the Weston–Watkins squared hinge) against `LinearSVC()` (one-vs-rest
squared hinge, a different model). The squared hinge is also run to convergence by gradient descent on
the same objective (`solver='gd', tol=1e-6`), the reference its accuracy is compared with. Fit times
are the best of `repeat` runs. `minibatch_ratio()` times one 256-row gradient-descent step against one
full-batch step on the 50000 training rows.
"""
import argparse, time, warnings
import numpy as np
from threadpoolctl import threadpool_limits


def datasets():
    "{name: (X_train, X_test, y_train, y_test)}, standardised with the training rows' statistics."
    from sklearn.datasets import load_digits, make_classification
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    digits = load_digits()
    Xtr, Xte, ytr, yte = train_test_split(digits.data, digits.target, test_size=0.25, random_state=0, stratify=digits.target)
    X, y = make_classification(n_samples=60000, n_features=200, n_informative=60, n_classes=10,
                               n_clusters_per_class=1, random_state=0)
    out = {'digits': (Xtr, Xte, ytr, yte), 'classification 50000x200': (X[:50000], X[50000:], y[:50000], y[50000:])}
    for name, (Xtr, Xte, ytr, yte) in out.items():
        scaler = StandardScaler().fit(Xtr)
        out[name] = (scaler.transform(Xtr), scaler.transform(Xte), ytr, yte)
    return out


def timed_fit(make, X, y, repeat):
    "`(model, seconds)`: the best of `repeat` fits of a fresh `make()`."
    best, model = np.inf, None
    for _ in range(repeat):
        model = make()
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')   # convergence warnings are reported in the table instead
            t0 = time.perf_counter(); model.fit(X, y); best = min(best, time.perf_counter() - t0)
    return model, best


def estimators(reference=True):
    "{(objective, name): factory}: ours and scikit-learn's, at their defaults, plus the gradient-descent reference."
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC
    from softmax_nb import LinearClassifier
    out = {('cross-entropy', "LinearClassifier()"): LinearClassifier,
           ('cross-entropy', "LogisticRegression()"): LogisticRegression,
           ('squared hinge', "LinearClassifier('svm', p=2)"): lambda: LinearClassifier('svm', p=2),
           ('squared hinge', "LinearSVC()"): LinearSVC}
    if reference:
        out['squared hinge', "LinearClassifier('svm', p=2, solver='gd', tol=1e-6)"] = \
            lambda: LinearClassifier('svm', p=2, solver='gd', tol=1e-6, n_steps=200_000)
    return out


def run(repeat=3, reference=True):
    "The table: one dict per dataset and estimator, with fit seconds, iterations, convergence and test accuracy."
    import softmax_nb
    rows = []
    with threadpool_limits(1):
        softmax_nb.set_num_threads(1)
        try:
            for data, (Xtr, Xte, ytr, yte) in datasets().items():
                for (objective, name), make in estimators(reference).items():
                    slow = 'gd' in name
                    model, seconds = timed_fit(make, Xtr, ytr, 1 if slow else repeat)
                    rows.append(dict(data=data, objective=objective, estimator=name, fit_seconds=seconds,
                                     n_iter=int(np.max(getattr(model, 'n_iter_', -1))),
                                     converged=getattr(model, 'converged_', None), test_accuracy=model.score(Xte, yte)))
        finally:
            softmax_nb.set_num_threads(None)
    return rows


def minibatch_ratio(batch_size=256, n_steps=200, repeat=3):
    "Seconds per gradient-descent step with 256-row minibatches over seconds per full-batch step, on the 50000 training rows."
    import softmax_nb
    from softmax_nb import LinearClassifier
    Xtr, _, ytr, _ = datasets()['classification 50000x200']
    per_step = {}
    with threadpool_limits(1):
        softmax_nb.set_num_threads(1)
        try:
            for b in (batch_size, None):
                def seconds(n):   # a fit of n steps; the difference of two removes the fixed start-up cost
                    return timed_fit(lambda: LinearClassifier(solver='gd', tol=0, n_steps=n, lr=0.01, batch_size=b), Xtr, ytr, repeat)[1]
                per_step[b] = (seconds(n_steps) - seconds(0)) / n_steps
        finally:
            softmax_nb.set_num_threads(None)
    return per_step[batch_size] / per_step[None], per_step


def show(rows):
    "Print the table, with each of ours against scikit-learn's."
    print(f"{'data':26} {'objective':14} {'estimator':55} {'fit s':>8} {'iter':>6} {'conv':>5} {'test acc':>9}")
    for r in rows:
        print(f"{r['data']:26} {r['objective']:14} {r['estimator']:55} {r['fit_seconds']:8.3f} {r['n_iter']:6d} "
              f"{str(r['converged']):>5} {r['test_accuracy']:9.4f}")


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--skip-reference', action='store_true', help="skip the long gradient-descent reference run")
    parser.add_argument('--skip-minibatch', action='store_true')
    args = parser.parse_args()
    show(run(args.repeat, not args.skip_reference))
    if not args.skip_minibatch:
        ratio, per_step = minibatch_ratio()
        print(f"\nminibatch step / full-batch step: {ratio:.3f} "
              f"({1e3 * per_step[256]:.2f} ms against {1e3 * per_step[None]:.2f} ms)")
