#!/usr/bin/env python3
"""Open every page of the built site in headless Chromium and check what a reader would see.

    python tools/check_site.py [--site _site] [--chromium /usr/bin/chromium]

Run `python tools/build_site.py` first. Uses the `playwright` Python package to drive the system's
Chromium (Debian's `chromium`; never `playwright install`). For each page in `_site/site.json`:

- it loads with no JavaScript errors, console errors or failed requests;
- its math was typeset by MathJax (MathJax elements present, no MathJax errors, no raw `$` TeX left in
  the visible text outside code);
- every figure stored in the notebook is shown, as an image with non-zero size;
- every link inside the site resolves to a page that exists, and to an element with the link's #id;
- every exported function of `softmax_nb` (each module's `__all__`) has its show_doc block, with a
  visible signature, on the page nbdev's doc links give for it;

and saves a full-page screenshot to `_site/screenshots/<page>.png`. Exits non-zero if any check fails.
"""
import argparse, importlib, json, os, re, shutil, sys, tempfile, time
from pathlib import Path
from urllib.parse import urlparse, unquote

ROOT = Path(__file__).absolute().parent.parent
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync']

WAIT_MATHJAX = """async () => {
  const t0 = Date.now();
  while (!window.MathJax && Date.now() - t0 < 2000) await new Promise(r => setTimeout(r, 50));
  const MJ = window.MathJax;
  if (MJ && MJ.Hub && MJ.Hub.Queue) { await new Promise(r => MJ.Hub.Queue(r)); return 'MathJax ' + MJ.version; }
  if (MJ && MJ.startup && MJ.startup.promise) { await MJ.startup.promise; return 'MathJax ' + MJ.version; }
  return null;
}"""

# Text a reader sees, outside code: TeX left there means MathJax did not typeset it.
VISIBLE_TEXT = """() => {
  const skip = el => el.closest('pre, code, script, style, .MathJax, .MathJax_Display, .MathJax_Preview, mjx-container, .MJX_Assistive_MathML');
  const out = [];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = w.nextNode(); n; n = w.nextNode()) {
    const el = n.parentElement;
    if (!el || skip(el) || !el.getClientRects().length) continue;
    out.push(n.textContent);
  }
  return out.join(' ');
}"""

PAGE_FACTS = """() => ({
  math: document.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_CHTML, mjx-container').length,
  math_errors: document.querySelectorAll('.MathJax_Error, merror, mjx-merror').length,
  images: Array.from(document.querySelectorAll('article img')).map(i => {
    const r = i.getBoundingClientRect();
    return {complete: i.complete, nw: i.naturalWidth, nh: i.naturalHeight, w: r.width, h: r.height};
  }),
  links: Array.from(document.querySelectorAll('a[href]')).map(a => ({href: a.href, raw: a.getAttribute('href')})),
  ids: Array.from(document.querySelectorAll('[id], a[name]')).map(e => e.id || e.getAttribute('name')),
  showdoc: Array.from(document.querySelectorAll('.showdoc')).map(d => {
    const h = d.querySelector('h2[id], h3[id], h4[id]');
    const sig = d.querySelector('pre');
    const r = d.getBoundingClientRect();
    return {name: d.dataset.name, id: h && h.id, heading: h && h.textContent.replace(/#$/, '').trim(),
            signature: sig ? sig.textContent : '', visible: r.width > 0 && r.height > 0,
            source: !!d.querySelector('a.source-link')};
  }),
  title: document.title,
  h1: (document.querySelector('h1.title') || {}).textContent,
})"""


def mathjax_blank_probe(text, url):
    """MathJax 2's HTML-CSS output declares a font `MathJax_Blank` with `src: url(about:blank)` to time its
    font loading. On a file:// page Chromium reports that request as failed (CORS); it is by design and
    changes nothing on the page, so it is the one failure not counted."""
    return url == 'about:blank' or "font at 'about:blank'" in text


def exported_api():
    "{page: {anchor: name}} for every name in the `__all__` of each softmax_nb module, by nbdev's doc links."
    sys.path.insert(0, str(ROOT))
    modidx = importlib.import_module('softmax_nb._modidx').d
    prefix = (modidx['settings']['doc_host'].rstrip('/') + modidx['settings']['doc_baseurl']).rstrip('/') + '/'
    api = {}
    for mod, syms in modidx['syms'].items():
        public = set(getattr(importlib.import_module(mod), '__all__', []))
        for sym, (link, _src) in syms.items():
            name = sym[len(mod)+1:]
            if name not in public: continue   # only exported names; methods (Class.meth) come with their class
            page, _, anchor = (link[len(prefix):] if link.startswith(prefix) else link).partition('#')
            api.setdefault(page, {})[anchor] = name
    return api


def main(argv=None):
    ap = argparse.ArgumentParser(description='Check the built site in headless Chromium.')
    ap.add_argument('--site', default='_site')
    ap.add_argument('--chromium', default=os.environ.get('CHROMIUM') or shutil.which('chromium') or '/usr/bin/chromium')
    ap.add_argument('--timeout', type=float, default=60, help='seconds allowed per page')
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    site = (ROOT/args.site).resolve()
    manifest = json.loads((site/'site.json').read_text())
    shots = site/'screenshots'
    if shots.exists(): shutil.rmtree(shots)
    shots.mkdir(parents=True)
    api = exported_api()
    pages = {p['file']: p for p in manifest['pages']}
    failures, facts = {}, {}
    t0 = time.time()

    def fail(page, msg): failures.setdefault(page, []).append(msg)

    profile = tempfile.mkdtemp(prefix='softmax-nb-chromium-')
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                profile, executable_path=args.chromium, headless=True, args=CHROMIUM_FLAGS,
                viewport={'width': 1280, 'height': 900}, offline=True)
            print(f'check_site: {ctx.browser.version if ctx.browser else "Chromium"} at {args.chromium}, '
                  f'{len(pages)} pages from {site.relative_to(ROOT) if site.is_relative_to(ROOT) else site}', flush=True)
            for fname, meta in pages.items():
                page, errors = ctx.new_page(), []
                page.set_default_timeout(args.timeout * 1000)
                page.on('pageerror', lambda e, errors=errors: errors.append(f'JavaScript error: {e}'))
                page.on('console', lambda m, errors=errors: m.type == 'error' and not mathjax_blank_probe(m.text, m.location.get('url'))
                        and errors.append(f'console error: {m.text} ({m.location.get("url")})'))
                page.on('requestfailed', lambda r, errors=errors: not mathjax_blank_probe('', r.url)
                        and errors.append(f'failed request: {r.url} ({r.failure})'))
                t = time.time()
                page.goto((site/fname).as_uri(), wait_until='load')
                mathjax = page.evaluate(WAIT_MATHJAX)
                page.wait_for_timeout(100)
                f = page.evaluate(PAGE_FACTS)
                text = page.evaluate(VISIBLE_TEXT)
                page.screenshot(path=str(shots/fname.replace('.html', '.png')), full_page=True)
                page.close()
                facts[fname] = f
                for e in errors: fail(fname, e)
                # title
                if f['h1'] != meta['title'] or meta['title'] not in f['title']:
                    fail(fname, f'title is {f["h1"]!r} / {f["title"]!r}, expected the notebook title {meta["title"]!r}')
                # math
                if meta['math']:
                    if not mathjax: fail(fname, 'MathJax did not load')
                    if not f['math']: fail(fname, 'no typeset math (no MathJax elements) on a page that has math')
                if f['math_errors']: fail(fname, f'{f["math_errors"]} MathJax errors')
                raw = re.findall(r'\$\$|\$[^$\s][^$]*\$|\\\(|\\\[|\\frac|\\sigma', text)
                if raw: fail(fname, f'raw TeX visible: {raw[:5]}')
                # figures
                imgs = f['images']
                shown = [i for i in imgs if i['complete'] and i['nw'] > 0 and i['w'] > 0 and i['h'] > 0]
                if len(shown) != len(imgs): fail(fname, f'{len(imgs) - len(shown)} of {len(imgs)} images not shown: {imgs}')
                if len(imgs) < meta['figures']:
                    fail(fname, f'{len(imgs)} images on the page, but the notebook stores {meta["figures"]} figures')
                # API docs
                blocks = {b['id']: b for b in f['showdoc']}
                for b in f['showdoc']:
                    if not (b['visible'] and b['id'] and b['signature'].strip() and b['source']):
                        fail(fname, f'show_doc block for {b["name"]} is incomplete: {b}')
                for anchor, name in api.get(fname, {}).items():
                    b = blocks.get(anchor)
                    if not b: fail(fname, f'exported {name} has no show_doc block with id #{anchor}'); continue
                    short = name.split('.')[-1]
                    if b['heading'] != name or not re.search(rf'\b(def|class)\s+{re.escape(short)}\b', b['signature']):
                        fail(fname, f'show_doc block #{anchor} does not show the signature of {name}: {b}')
                print(f'  {fname:<22} {time.time()-t:5.1f}s  {mathjax or "no MathJax"}: {f["math"]} formulas, '
                      f'{len(shown)} figures, {len(f["showdoc"])} API docs, {len(f["links"])} links'
                      f'{"  FAILED" if fname in failures else ""}', flush=True)
            ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)

    # every exported name is on a page of the site
    for page_file, names in api.items():
        if page_file not in pages: fail(page_file, f'API page {page_file} (for {", ".join(names.values())}) was not built')
    # links, with the ids of every page known
    n_internal = 0
    for fname, f in facts.items():
        for link in f['links']:
            u = urlparse(link['href'])
            if u.scheme in ('http', 'https', 'mailto'):
                if link['href'].startswith(manifest['doc_prefix']):
                    fail(fname, f'link to the published site instead of this one: {link["raw"]}')
                continue
            n_internal += 1
            if u.scheme != 'file': fail(fname, f'unexpected link {link["raw"]}'); continue
            target = Path(unquote(u.path))
            if not target.is_file() or not target.resolve().is_relative_to(site):
                fail(fname, f'broken link {link["raw"]}'); continue
            if u.fragment and u.fragment not in facts.get(target.name, {}).get('ids', []):
                fail(fname, f'link {link["raw"]}: {target.name} has no element with id {u.fragment!r}')
    for fname in pages:
        if fname not in failures: continue
        print(f'\n{fname}:')
        for m in failures[fname]: print(f'  FAIL {m}')
    n_fail = len([p for p in failures])
    print(f'check_site: {n_internal} internal links, {sum(len(v) for v in api.values())} exported names, '
          f'screenshots in {shots.relative_to(ROOT) if shots.is_relative_to(ROOT) else shots}/ ({time.time()-t0:.1f}s)')
    print(f'site pages: {len(pages) - len([p for p in failures if p in pages])} passed, {n_fail} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
