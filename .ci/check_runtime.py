"""Run in a venv that has `pip install .` and nothing else: the package must need only numpy and matplotlib."""
import importlib.metadata as md, re

requires = md.requires('softmax-nb') or []
runtime = sorted({re.split(r'[ ;<>=!~\[]', r)[0].lower() for r in requires if 'extra ==' not in r})
assert runtime == ['matplotlib', 'numpy'], f'runtime requirements should be numpy and matplotlib only, got {runtime}'

import sys
import softmax_nb
assert 'sklearn' not in sys.modules, 'import softmax_nb imported scikit-learn'
public = [n for n in getattr(softmax_nb, '__all__', []) if not n.startswith('_')]
assert public, 'softmax_nb exports no public names at the top level'
for name in public: assert getattr(softmax_nb, name) is not None
for banned in ('nbdev', 'fastcore', 'scipy', 'sympy', 'sklearn', 'torch', 'hypothesis'):
    try: md.version(banned)
    except md.PackageNotFoundError: continue
    raise AssertionError(f'{banned} is installed in the runtime-only environment')
print(f'softmax_nb {softmax_nb.__version__} imports with {runtime} only; top level exports {len(public)} names')
