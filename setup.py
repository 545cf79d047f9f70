"""Packaging for softmax-nb, driven by `settings.ini` (nbdev 2's single source of metadata).

nbdev's template setup.py imports `pkg_resources`, which setuptools 82 removed; this one
only needs the standard library and setuptools itself.
"""
from configparser import ConfigParser
import setuptools

config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

for key in 'version description keywords author author_email license min_python lib_name user'.split():
    if key not in cfg: raise KeyError(f'settings.ini is missing the required key {key!r}')

# SPDX identifiers: setuptools now wants a license expression, not a License classifier.
licenses = {'apache2': 'Apache-2.0', 'mit': 'MIT', 'bsd3': 'BSD-3-Clause'}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable',
            '6 - Mature', '7 - Inactive']
py_versions = '3.10 3.11 3.12 3.13 3.14'.split()

def version_tuple(v): return tuple(int(part) for part in v.split('.'))

min_python = cfg['min_python']
license_expression = licenses.get(cfg['license'].lower(), cfg['license'])
requirements = cfg.get('requirements', '').split()
dev_requirements = cfg.get('dev_requirements', '').split()
array_api_requirements = cfg.get('array_api_requirements', '').split()
fast_requirements = cfg.get('fast_requirements', '').split()
dask_requirements = cfg.get('dask_requirements', '').split()

setuptools.setup(
    name=cfg['lib_name'],
    version=cfg['version'],
    description=cfg['description'],
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    keywords=cfg['keywords'],
    author=cfg['author'],
    author_email=cfg['author_email'],
    license=license_expression,
    license_files=['LICENSE'],
    url=cfg['git_url'],
    classifiers=[f'Development Status :: {statuses[int(cfg["status"]) - 1]}',
                 f'Intended Audience :: {cfg["audience"].title()}',
                 'Natural Language :: English']
                + [f'Programming Language :: Python :: {v}' for v in py_versions
                   if version_tuple(v) >= version_tuple(min_python)],
    packages=setuptools.find_packages(include=[cfg['lib_path'], cfg['lib_path'] + '.*']),
    include_package_data=True,
    install_requires=requirements,
    extras_require={'dev': dev_requirements, 'fast': fast_requirements, 'array-api': array_api_requirements, 'dask': dask_requirements},
    python_requires='>=' + min_python,
    zip_safe=False,
    entry_points={'nbdev': [f'{cfg["lib_path"]}={cfg["lib_path"]}._modidx:d']},
)
