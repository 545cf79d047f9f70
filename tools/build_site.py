#!/usr/bin/env python3
"""Build the softmax-nb website into `_site/`, and `README.md`, without Quarto.

    python tools/build_site.py [--mathjax URL] [--out DIR] [--no-readme]

nbdev publishes the site with Quarto (`nbdev_docs`), which this project cannot install everywhere it
runs. This script builds the same pages from the same processed notebooks:

1. nbdev's own notebook processing (`nbdev.serve.proc_nbs`) writes `_proc/`: front matter from each
   notebook's title cell, exported cells hidden, and a rendered `show_doc` block for every exported
   function, exactly as `nbdev_docs` hands them to Quarto.
2. nbconvert renders each processed notebook to HTML (template `tools/site_template/softmax_site`),
   honouring the Quarto cell options nbdev relies on (`echo`, `output`, `include`, `code-fold`).
3. Every page gets the title from its notebook, navigation in the reading order of `nbs/sidebar.yml`,
   the shared stylesheet `site.css` and MathJax (`--mathjax` points it at a local copy for offline use).
   Links nbdev wrote to the published site (`doc_host` + `doc_baseurl`) become relative links.
4. `README.md` is regenerated from `nbs/index.ipynb` (figures, if any, go to `index_files/`).

Stored notebook outputs are used as they are: nothing is re-executed except the cells nbdev itself runs
to render `show_doc`. `_site/site.json` lists what was built, for `tools/check_site.py`.
"""
import argparse, base64, html, json, os, re, shutil, sys, time
from pathlib import Path

ROOT = Path(__file__).absolute().parent.parent
# MathJax 2, the version Debian's libjs-mathjax ships, so that one configuration serves both.
DEFAULT_MATHJAX = 'https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/MathJax.js?config=TeX-AMS_CHTML-full'
DEBIAN_MATHJAX = 'file:///usr/share/javascript/mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML'
README_IMAGES = 'index_files/figure-commonmark'   # where nbdev_readme puts README figures
IMAGE_TYPES = ('image/png', 'image/jpeg', 'image/svg+xml')


class BuildError(Exception): pass


def log(msg=''): print(msg, flush=True)


# ---------------------------------------------------------------- reading order

def reading_order(nbs):
    "Notebooks in the order of `nbs/sidebar.yml`; every listed one must exist and every notebook be listed."
    import yaml
    sb = nbs/'sidebar.yml'
    if not sb.exists(): raise BuildError(f'{sb.relative_to(ROOT)} is missing: it gives the reading order of the pages')
    data = yaml.safe_load(sb.read_text(encoding='utf-8')) or {}
    contents = ((data.get('website') or {}).get('sidebar') or {}).get('contents')
    if not contents: raise BuildError(f'{sb.relative_to(ROOT)} has no website.sidebar.contents list')
    entries = []
    def walk(items):
        for it in items:
            if isinstance(it, str): entries.append(it)
            elif isinstance(it, dict) and 'href' in it: entries.append(it['href'])
            elif isinstance(it, dict) and 'contents' in it: walk(it['contents'])
            else: raise BuildError(f'{sb.relative_to(ROOT)}: cannot read sidebar entry {it!r}')
    walk(contents)
    missing = [e for e in entries if not (nbs/e).is_file()]
    if missing: raise BuildError(f'{sb.relative_to(ROOT)} lists notebooks that do not exist: {", ".join(missing)}')
    if len(set(entries)) != len(entries): raise BuildError(f'{sb.relative_to(ROOT)} lists a notebook twice')
    present = sorted(p.name for p in nbs.glob('*.ipynb') if not p.name.startswith(('_', '.')))
    unlisted = [p for p in present if p not in entries]
    if unlisted:
        raise BuildError(f'notebooks not listed in {sb.relative_to(ROOT)} (add them in reading order): {", ".join(unlisted)}')
    if entries[0] != 'index.ipynb': raise BuildError(f'{sb.relative_to(ROOT)} must start with index.ipynb')
    return entries


# ---------------------------------------------------------------- nbdev processing

def process_notebooks():
    "Run nbdev's docs processing (show_doc, hidden cells, front matter) into `_proc/`."
    from nbdev.serve import proc_nbs
    try: return Path(proc_nbs(force=True))
    except Exception as e:
        raise BuildError(f'nbdev could not process the notebooks for the docs:\n{e}') from e


# ---------------------------------------------------------------- cell preparation

_re_directive = re.compile(r'^\s*#\|\s*([\w-]+):?\s*(.*?)\s*$')
_re_pandoc_link = re.compile(r'\[([^\]]*)\]\(([^)\s]+)\)\{([^}]*)\}')
_re_fence_div = re.compile(r'^:::+\s*(\{([^}]*)\})?\s*$', re.M)


def split_directives(src):
    "Quarto/nbdev `#|` options at the top of a code cell, and the code without them."
    lines, opts = src.splitlines(), {}
    i = 0
    while i < len(lines):
        m = _re_directive.match(lines[i])
        if not m: break
        opts[m.group(1)] = m.group(2).strip().strip('"\'')
        i += 1
    return opts, '\n'.join(lines[i:]).strip('\n')


def pandoc_links_to_html(md):
    "`[txt](url){target=\"_blank\" ...}` (show_doc's source link) is Pandoc syntax: write it as HTML."
    def rep(m):
        attrs = m.group(3).strip()
        cls = ' class="source-link"' if m.group(1) == 'source' else ''
        return f'<a href="{html.escape(m.group(2))}"{cls} {attrs}>{m.group(1)}</a>'
    return _re_pandoc_link.sub(rep, md)


def pandoc_links_to_md(md): return _re_pandoc_link.sub(lambda m: f'[{m.group(1)}]({m.group(2)})', md)


def fenced_divs_to_html(md):
    "Quarto's `::: {.callout-note}` ... `:::` blocks as <div>s (markdown inside still renders)."
    if ':::' not in md: return md
    def rep(m):
        if m.group(1) is None: return '\n</div>\n'
        classes = ' '.join(c[1:] for c in m.group(2).split() if c.startswith('.'))
        return f'\n<div class="{html.escape(classes)}">\n'
    return _re_fence_div.sub(rep, md)


def _text(x): return ''.join(x) if isinstance(x, list) else (x or '')


def front_matter(nb, path):
    import yaml
    if not nb.cells or nb.cells[0].cell_type != 'raw' or not nb.cells[0].source.lstrip().startswith('---'):
        raise BuildError(f'{path.name}: nbdev found no front matter; the notebook needs a "# Title" markdown cell')
    fm = yaml.safe_load(nb.cells[0].source.strip().strip('-')) or {}
    if not fm.get('title'): raise BuildError(f'{path.name}: no title (the first markdown cell should be "# Title")')
    return fm


def prepare(nb, path):
    "Apply the Quarto cell options nbdev uses; returns the front matter. Cells are changed in place."
    fm = front_matter(nb, path)
    cells = []
    for cell in nb.cells[1:]:
        if cell.cell_type == 'markdown':
            src = cell.source
            if src.strip().startswith('<!-- WARNING: THIS FILE WAS AUTOGENERATED'): continue
            cell.source = fenced_divs_to_html(pandoc_links_to_html(src))
            cell.metadata['site'] = {'md': src}
            cells.append(cell)
        elif cell.cell_type == 'code':
            opts, src = split_directives(cell.get('source', ''))
            site = {}
            if opts.get('include') == 'false': continue
            if opts.get('output') == 'false': cell.outputs = []
            if opts.get('echo') == 'false' or not src: cell.metadata['transient'] = {'remove_source': True}
            if opts.get('code-fold') in ('show', 'true'):
                site['code_fold'] = opts['code-fold']
                site['code_summary'] = opts.get('code-summary', 'Code')
            m = re.match(r'show_doc\(\s*([\w.]+)', src)
            if m: site['showdoc'] = m.group(1)
            for o in cell.get('outputs', []):
                if 'data' in o and 'text/markdown' in o.data:
                    o.data['text/markdown'] = pandoc_links_to_html(_text(o.data['text/markdown']))
            if not src and not cell.get('outputs'): continue
            cell.source = src
            cell.metadata['site'] = site
            cells.append(cell)
        # raw cells other than the front matter are Quarto-only; they have no place on these pages
    nb.cells = cells
    return fm


def count_figures(nb):
    return sum(1 for c in nb.cells if c.cell_type == 'code'
               for o in c.get('outputs', []) if any(t in o.get('data', {}) for t in IMAGE_TYPES))


_re_math = re.compile(r'\$\$.+?\$\$|\$[^$\n]+\$|\\\(|\\\[', re.S)

def has_math(nb):
    for c in nb.cells:
        if c.cell_type == 'markdown' and _re_math.search(c.metadata['site']['md']): return True
        for o in c.get('outputs', []):
            if _re_math.search(_text(o.get('data', {}).get('text/markdown', ''))): return True
    return False


# ---------------------------------------------------------------- HTML

def make_exporter():
    from nbconvert import HTMLExporter
    ex = HTMLExporter(extra_template_basedirs=[str(ROOT/'tools'/'site_template')], template_name='softmax_site')
    ex.exclude_input_prompt = ex.exclude_output_prompt = True
    ex.anchor_link_text = '#'
    return ex


_re_heading = re.compile(r'<h([1-6]) id="([^"]*)">(.*?)<a class="anchor-link" href="#([^"]*)">', re.S)

def quarto_ids(body):
    """Heading ids as Quarto makes them (lower case), which is what nbdev's doc links point at.
    A show_doc heading keeps the plain id (`#softmax`); a section heading of the same name gets `-1`."""
    sd_starts = [m.end() for m in re.finditer(r'<div class="showdoc"', body)]
    heads = list(_re_heading.finditer(body))
    sd_heads = {next((h.start() for h in heads if h.start() > s), None) for s in sd_starts}
    reserved = {heads[i].group(2).lower() for i in range(len(heads)) if heads[i].start() in sd_heads}
    used, out, pos = set(), [], 0
    for h in heads:
        hid = base = h.group(2).lower()
        if h.start() not in sd_heads:
            n = 0
            while hid in reserved or hid in used: n += 1; hid = f'{base}-{n}'
        used.add(hid)
        out += [body[pos:h.start()], f'<h{h.group(1)} id="{hid}">{h.group(3)}<a class="anchor-link" href="#{hid}">']
        pos = h.end()
    return ''.join(out) + body[pos:]


def page_toc(body):
    items = []
    for m in re.finditer(r'<h2 id="([^"]*)">(.*?)<a class="anchor-link"', body, re.S):
        items.append(f'<li><a href="#{m.group(1)}">{m.group(2)}</a></li>')
    return f'<nav class="toc" aria-label="On this page"><h2>On this page</h2><ul>{"".join(items)}</ul></nav>' if len(items) > 1 else ''


def mathjax_tags(url):
    esc = html.escape(url, quote=True)
    if 'MathJax.js' in url or 'latest.js' in url:   # MathJax 2
        return ('<script type="text/x-mathjax-config">\n'
                'MathJax.Hub.Config({tex2jax: {inlineMath: [["$","$"], ["\\\\(","\\\\)"]], '
                'displayMath: [["$$","$$"], ["\\\\[","\\\\]"]], processEscapes: true, processEnvironments: true}, '
                'messageStyle: "none", "HTML-CSS": {availableFonts: ["TeX"]}});\n</script>\n'
                f'<script src="{esc}"></script>')
    return ('<script>window.MathJax = {tex: {inlineMath: [["$","$"], ["\\\\(","\\\\)"]], processEscapes: true}};</script>\n'
            f'<script id="MathJax-script" async src="{esc}"></script>')


def render_md_inline(md):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    out = markdown2html_mistune(md).strip()
    return re.sub(r'^<p>(.*)</p>$', r'\1', out, flags=re.S)


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{head_title}</title>
<meta name="description" content="{meta_desc}">
<meta name="generator" content="tools/build_site.py (nbdev {nbdev_version}, nbconvert {nbconvert_version})">
<link rel="stylesheet" href="site.css">
{mathjax}
</head>
<body>
<header class="topbar"><a class="site-title" href="index.html">{site_title}</a><a class="repo-link" href="{git_url}">GitHub</a></header>
<div class="layout">
<nav class="sidebar" aria-label="Pages">
<ol>
{sidebar}
</ol>
</nav>
<main id="content">
<header class="page-header">
<h1 class="title">{title}</h1>
{description}
</header>
<article class="notebook" data-notebook="{notebook}">
{body}
</article>
<nav class="pager" aria-label="Previous and next page">{pager}</nav>
<footer class="page-footer">Generated from <a href="{source_url}"><code>{source_name}</code></a>.</footer>
</main>
<aside class="toc-column">{toc}</aside>
</div>
</body>
</html>
"""


def build_pages(order, proc, nbs, out, cfg, mathjax):
    import nbformat, nbconvert, nbdev
    from nbdev.doclinks import _nbpath2html
    ex = make_exporter()
    pages = []
    for name in order:
        src = proc/name
        if not src.exists(): raise BuildError(f'nbdev wrote no {src.relative_to(ROOT)} for nbs/{name}')
        nb = nbformat.read(src, as_version=4)
        fm = prepare(nb, nbs/name)
        fname = fm.get('output-file') or _nbpath2html(Path(name)).name
        try: body, _ = ex.from_notebook_node(nb)
        except Exception as e: raise BuildError(f'nbconvert could not render nbs/{name}: {type(e).__name__}: {e}') from e
        pages.append(dict(notebook=name, file=fname, title=str(fm['title']), description=str(fm.get('description') or ''),
                          body=quarto_ids(body), figures=count_figures(nb), math=has_math(nb),
                          showdoc=[c.metadata['site']['showdoc'] for c in nb.cells if c.metadata.get('site', {}).get('showdoc')],
                          nb=nb))
    doc_prefix = cfg.doc_host.rstrip('/') + '/' + cfg.doc_baseurl.strip('/') + '/'
    if doc_prefix.endswith('//'): doc_prefix = doc_prefix[:-1]
    files = {p['file'] for p in pages}
    nb_pages = {p['notebook']: p['file'] for p in pages}
    ids = {p['file']: set(re.findall(r'\sid="([^"]+)"', p['body'])) for p in pages}
    unanchored, broken = [], []
    def relink(page):
        def rep(m):
            target = m.group(2)
            if target.startswith(doc_prefix): target = target[len(doc_prefix):]
            elif target.partition('#')[0] in nb_pages:   # a link to a notebook, as Quarto resolves it
                f, _, frag = target.partition('#')
                target = nb_pages[f] + ('#' + frag if frag else '')
            else: return m.group(0)
            f, _, frag = target.partition('#')
            if f not in files: broken.append(f'{page["file"]}: {m.group(2)}'); return m.group(0)
            if frag and frag not in ids[f]:
                unanchored.append(f'{frag} ({f})'); target = f   # nbdev links names it documents nowhere
            return f'{m.group(1)}"{html.escape(target)}"'
        return re.sub(r'(href=)"([^"]*)"', rep, page['body'])
    for p in pages: p['body'] = relink(p)
    if broken: raise BuildError('links to pages this site does not have:\n  ' + '\n  '.join(broken))

    def sidebar_items(cur):
        items = []
        for p in pages:
            attrs = (' class="current"', ' aria-current="page"') if p['file'] == cur else ('', '')
            items.append(f'<li{attrs[0]}><a href="{p["file"]}"{attrs[1]}>{html.escape(p["title"])}</a></li>')
        return '\n'.join(items)
    out.mkdir(parents=True, exist_ok=True)
    for i, p in enumerate(pages):
        prev_, next_ = (pages[i-1] if i else None), (pages[i+1] if i+1 < len(pages) else None)
        pager = ''.join([f'<a class="prev" rel="prev" href="{prev_["file"]}">&larr; {html.escape(prev_["title"])}</a>' if prev_ else '<span></span>',
                         f'<a class="next" rel="next" href="{next_["file"]}">{html.escape(next_["title"])} &rarr;</a>' if next_ else '<span></span>'])
        desc = p['description']
        page_html = PAGE.format(
            head_title=html.escape(p['title'] if p['file'] == 'index.html' else f'{p["title"]} – {cfg.title}'),
            meta_desc=html.escape(re.sub(r'[`*]', '', desc)), site_title=html.escape(cfg.title), git_url=html.escape(cfg.git_url),
            nbdev_version=nbdev.__version__, nbconvert_version=nbconvert.__version__,
            mathjax=mathjax_tags(mathjax), sidebar=sidebar_items(p['file']), title=html.escape(p['title']),
            description=f'<p class="description">{render_md_inline(desc)}</p>' if desc else '',
            toc=page_toc(p['body']), notebook=html.escape(p['notebook']), body=p['body'], pager=pager,
            source_url=html.escape(f'{cfg.git_url}/blob/{cfg.branch}/{cfg.nbs_path.relative_to(ROOT).as_posix()}/{p["notebook"]}'),
            source_name=f'nbs/{html.escape(p["notebook"])}')
        (out/p['file']).write_text(page_html, encoding='utf-8')
    return pages, sorted(set(unanchored))


def write_css(out):
    from pygments.formatters import HtmlFormatter
    css = (ROOT/'tools'/'site.css').read_text(encoding='utf-8')
    css += '\n/* code highlighting (Pygments, as nbconvert marks it up) */\n' + HtmlFormatter(style='default').get_style_defs('.highlight')
    (out/'site.css').write_text(css + '\n', encoding='utf-8')


# ---------------------------------------------------------------- README

def write_readme(page, cfg):
    "README.md from the processed index notebook: markdown verbatim, code and outputs as fenced blocks."
    nb = page['nb']
    img_dir = ROOT/README_IMAGES
    if img_dir.exists(): shutil.rmtree(img_dir)
    parts = [f'# {page["title"]}', '<!-- WARNING: THIS FILE WAS AUTOGENERATED FROM nbs/index.ipynb BY tools/build_site.py! DO NOT EDIT! -->']
    if page['description']: parts.append(f'> {page["description"]}')
    images = []
    for ci, c in enumerate(nb.cells):
        if c.cell_type == 'markdown':
            parts.append(c.metadata['site']['md'].strip()); continue
        if not c.metadata.get('transient', {}).get('remove_source'):
            parts.append(f'```python\n{c.source}\n```')
        for oi, o in enumerate(c.get('outputs', [])):
            if o.output_type == 'stream': parts.append(f'```\n{_text(o.text).rstrip()}\n```'); continue
            if o.output_type == 'error': raise BuildError('nbs/index.ipynb has a stored error output; README.md would show it')
            d = o.get('data', {})
            img = next((t for t in IMAGE_TYPES if t in d), None)
            if img:
                ext = {'image/png': 'png', 'image/jpeg': 'jpg', 'image/svg+xml': 'svg'}[img]
                rel = f'{README_IMAGES}/cell-{ci}-output-{oi}.{ext}'
                data = _text(d[img]).encode() if ext == 'svg' else base64.b64decode(_text(d[img]))
                img_dir.mkdir(parents=True, exist_ok=True)
                (ROOT/rel).write_bytes(data); images.append(rel)
                parts.append(f'![]({rel})')
            elif 'text/markdown' in d: parts.append(pandoc_links_to_md(re.sub(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', r'[\2](\1)', _text(d['text/markdown']))).strip())
            elif 'text/plain' in d: parts.append(f'```\n{_text(d["text/plain"]).rstrip()}\n```')
    text = '\n\n'.join(parts).rstrip() + '\n'
    (ROOT/'README.md').write_text(text, encoding='utf-8')
    return images


# ---------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mathjax', default=DEFAULT_MATHJAX, metavar='URL',
                    help=f'MathJax script to load (default: the public CDN). Offline, e.g. Debian libjs-mathjax: {DEBIAN_MATHJAX}')
    ap.add_argument('--out', default='_site', help='output folder, relative to the repository (default: _site)')
    ap.add_argument('--no-readme', action='store_true', help='do not regenerate README.md')
    args = ap.parse_args(argv)
    t0 = time.time()
    os.chdir(ROOT)
    # Build from this checkout's package, also in nbdev's worker processes.
    sys.path.insert(0, str(ROOT))
    os.environ['PYTHONPATH'] = os.pathsep.join([str(ROOT)] + [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p])
    try:
        from nbdev.config import get_config
        cfg = get_config()
        nbs, out = Path(cfg.nbs_path), (ROOT/args.out)
        order = reading_order(nbs)
        log(f'build_site: {len(order)} notebooks in the order of nbs/sidebar.yml: {", ".join(order)}')
        proc = process_notebooks()
        log(f'build_site: nbdev processed the notebooks into {proc.relative_to(ROOT)}/ ({time.time()-t0:.1f}s)')
        if out.exists(): shutil.rmtree(out)
        pages, unanchored = build_pages(order, proc, nbs, out, cfg, args.mathjax)
        write_css(out)
        manifest = dict(title=cfg.title, mathjax=args.mathjax, doc_prefix=cfg.doc_host.rstrip('/') + cfg.doc_baseurl,
                        pages=[{k: p[k] for k in ('file', 'notebook', 'title', 'figures', 'math', 'showdoc')} for p in pages])
        (out/'site.json').write_text(json.dumps(manifest, indent=1) + '\n', encoding='utf-8')
        for p in pages:
            size = (out/p['file']).stat().st_size
            log(f'  wrote {out.relative_to(ROOT)}/{p["file"]:<20} {size/1024:7.0f} KiB  from nbs/{p["notebook"]}: "{p["title"]}", '
                f'{len(p["showdoc"])} API docs, {p["figures"]} figures')
        log(f'  wrote {out.relative_to(ROOT)}/site.css, {out.relative_to(ROOT)}/site.json')
        if unanchored:
            log(f'  note: nbdev linked names that have no API doc; those links go to the top of their page: {", ".join(unanchored)}')
        if not args.no_readme:
            images = write_readme(pages[0], cfg)
            log(f'  wrote README.md from nbs/{pages[0]["notebook"]}' + (f' (+ {len(images)} figures in {README_IMAGES}/)' if images else ''))
        log(f'build_site: done in {time.time()-t0:.1f}s; MathJax from {args.mathjax}')
        log(f'  open file://{out/"index.html"}')
    except BuildError as e:
        print(f'build_site: FAILED: {e}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
