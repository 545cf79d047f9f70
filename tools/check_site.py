#!/usr/bin/env python3
"""Open every page of the built site in headless Chromium and check what a reader would see.

    python tools/check_site.py [--site _site] [--chromium /usr/bin/chromium] [--mathjax-dir DIR]

Run `python tools/build_site.py` first. Uses the `playwright` Python package to drive the system's
Chromium (Debian's `chromium`; never `playwright install`), with no network: pages that load MathJax
from its CDN get it from the local copy in `--mathjax-dir` (Debian's libjs-mathjax), so the pages
checked are byte for byte the pages published. For each page in `_site/site.json`:

- it loads with no JavaScript errors, console errors or failed requests, and no id is used twice;
- its title is the notebook's title;
- its math was typeset by MathJax (MathJax elements present, no MathJax errors, no raw `$` TeX left in
  the visible text outside code);
- every figure stored in the notebook is shown, as an image with non-zero size;
- every exported function of `softmax_nb` (each module's `__all__`) has its show_doc block, with a
  visible signature, on the page nbdev's doc links give for it;
- at a phone's width (a 390-px viewport) the page does not scroll sideways: the document is no wider than
  the viewport (one pixel of tolerance); wide tables, formulas and code scroll inside their own boxes;
- a phone (390 x 844 px) opens on the page, not on the list of pages: at load the sidebar's links are hidden,
  the page's title and its first paragraph lie wholly within the first screen, and the search box is on it
  and uncovered; the menu button is a <button> with aria-controls naming the sidebar and aria-expanded; it
  is driven by the keyboard (focus + Enter opens it and takes focus to the first link, Escape closes it
  and gives focus back to the button, Space opens it) and by a click (closes it), and each time the links
  and aria-expanded must follow; with the menu open the page still does not scroll sideways; Tab from the
  menu button reaches the search box, and typing into it there shows results on the screen;
- on a desktop (1280 px) the menu button is not shown and every link of the sidebar is;
- when `--mathjax-output` is given, every formula was typeset by that MathJax output (CommonHTML, as published);
- every explorable figure stored in the notebook is on the page, and it is driven like a reader would: its
  slider is focused and moved with the arrow keys and End, then set by an input event, and each move must
  change the value shown beside it and the image (to one that has loaded); a screenshot of each is kept;
- the page is at most 4 MB (and the whole site at most 20 MB, with at least three pages carrying an explorable);
- every cell with `#| code-fold: true` in its notebook is a closed <details> whose code shows once it
  is opened, and at least one such cell exists on the site; no `#| hide` cell's code is on the page;

then, across the site:

- every link inside the site resolves to a page that exists, and to an element with the link's #id;
- the search box finds every page title, section heading and exported name, linking to the right
  page and id, and following a result opens that page at that id.

Full-page screenshots (folded cells closed) go to `_site/screenshots/<page>.png`, the phone's first screen
to `<page>-phone.png` (menu closed, as the page opens) and `<page>-phone-menu.png` (menu opened by the
keyboard), one of each explorable after it was moved to `<page>-explorable-<n>.png` (and at phone width,
`<page>-explorable-<n>-phone.png`), and one of the search box showing its results to `search.png` (on the phone, `search-phone.png`). Exits non-zero if any check fails.
"""
import argparse, contextlib, importlib, json, mimetypes, os, re, shutil, sys, tempfile, time
from pathlib import Path
from urllib.parse import urlparse, unquote

ROOT = Path(__file__).absolute().parent.parent
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync']
HIDDEN_DIRECTIVES = {'hide', 'export', 'exporti', 'default_exp'}   # cells nbdev keeps off the docs

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
  sections: Array.from(document.querySelectorAll('article h2[id]')).filter(h => !h.closest('.showdoc'))
    .map(h => ({id: h.id, text: Array.from(h.childNodes).filter(n => !(n.classList && n.classList.contains('anchor-link')))
                                     .map(n => n.textContent).join('').trim()})),
  code: Array.from(document.querySelectorAll('article .input_area pre')).map(p => p.textContent),
  title: document.title,
  h1: (document.querySelector('h1.title') || {}).textContent,
  mathjax_output: (() => { const MJ = window.MathJax;   // the output jax that typeset each formula (MathJax 2)
    return MJ && MJ.Hub && MJ.Hub.getAllJax ? Array.from(new Set(MJ.Hub.getAllJax().map(j => j.outputJax))) : null; })(),
  menu_button_shown: !!document.querySelector('.menu-button') && document.querySelector('.menu-button').checkVisibility(),
  sidebar_links: Array.from(document.querySelectorAll('.sidebar a')).map(a => a.checkVisibility() && a.getBoundingClientRect().width > 0),
})"""

# Every folded cell: closed or not, whether its code is visible, then the same after a click on its summary.
FOLDS = """() => Array.from(document.querySelectorAll('article details.code-fold')).map(d => {
  const pre = d.querySelector('pre'), shown = () => !!pre && pre.checkVisibility() && pre.getBoundingClientRect().height > 0;
  const before = {open: d.open, shown: shown(), summary: d.querySelector('summary').textContent.trim()};
  d.querySelector('summary').click();
  return Object.assign(before, {open_after: d.open, shown_after: shown(), code: pre ? pre.textContent : ''});
})"""


PHONE = {'width': 390, 'height': 844}
# The document's width at the viewport's width, and the outermost elements that stick out of the viewport
# without an ancestor that clips or scrolls them (what makes the page scroll sideways).
PAGE_WIDTH = """() => {
  const W = document.documentElement.clientWidth, out = [];
  const free = el => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
                         if (getComputedStyle(a).overflowX !== 'visible') return false; return true; };
  const sticks = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > W + 1 && free(el); };
  for (const el of document.querySelectorAll('body *'))
    if (sticks(el) && !(el.parentElement && sticks(el.parentElement)))
      out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> to ${Math.round(el.getBoundingClientRect().right)} px: ${(el.textContent || '').trim().slice(0, 50)}`);
  return {width: document.documentElement.scrollWidth, viewport: W, wide: out.slice(0, 5)};
}"""


# What a phone shows: the menu button and the sidebar it controls, the title, the first paragraph and the search box.
PHONE_STATE = """() => {
  const H = window.innerHeight, W = document.documentElement.clientWidth;
  const box = el => { if (!el) return null; const r = el.getBoundingClientRect();
    return {top: Math.round(r.top), bottom: Math.round(r.bottom), left: Math.round(r.left), right: Math.round(r.right),
            shown: el.checkVisibility() && r.width > 0 && r.height > 0, on_screen: r.top >= 0 && r.bottom <= H && r.left >= 0 && r.right <= W + 1}; };
  const b = document.querySelector('.menu-button'), links = Array.from(document.querySelectorAll('.sidebar a'));
  const controls = b && document.getElementById(b.getAttribute('aria-controls') || '');
  const p = Array.from(document.querySelectorAll('article p')).find(p => p.checkVisibility() && p.textContent.trim());
  const s = document.getElementById('search-box'), sr = s && s.getBoundingClientRect();
  const hit = sr && document.elementFromPoint(sr.left + sr.width / 2, sr.top + sr.height / 2);
  const results = Array.from(document.querySelectorAll('#search-results a'));
  return {button: b && Object.assign(box(b), {tag: b.tagName.toLowerCase(), type: b.getAttribute('type'), expanded: b.getAttribute('aria-expanded'),
            controls_sidebar: !!controls && links.length > 0 && links.every(a => controls.contains(a)),
            name: b.getAttribute('aria-label') || b.textContent.trim()}),
          links: links.length, links_shown: links.filter(a => box(a).shown).length,
          focus: document.activeElement === b ? 'button' : document.activeElement === s ? 'search'
                 : (controls && controls.contains(document.activeElement)) ? 'menu' : (document.activeElement || {}).tagName,
          h1: box(document.querySelector('h1.title')), p: p && Object.assign(box(p), {text: p.textContent.trim().slice(0, 60)}),
          search: s && Object.assign(box(s), {uncovered: hit === s}),
          results: results.length, first_result: results.length ? box(results[0]) : null,
          width: document.documentElement.scrollWidth, viewport: W, height: H};
}"""


# The state of one explorable figure: its slider, the value shown beside it, and its image (once decoded).
EXPLORABLE_STATE = """async root => {
  const e = document.getElementById(root), i = e.querySelector('input[type=range]'), img = e.querySelector('img');
  try { await img.decode(); } catch (err) {}
  const r = img.getBoundingClientRect(), o = e.querySelector('output');
  return {value: +i.value, min: +i.min, max: +i.max, label: o ? o.textContent : null, src: img.currentSrc || img.src,
          loaded: img.complete && img.naturalWidth > 0, width: r.width, height: r.height, focused: document.activeElement === i};
}"""
SET_BY_INPUT = """root => { const i = document.getElementById(root).querySelector('input[type=range]');
  i.value = i.min; i.dispatchEvent(new Event('input', {bubbles: true})); }"""
MAX_PAGE_BYTES, MAX_SITE_BYTES = 4_000_000, 20_000_000


def squash(code): return ' '.join(code.split())


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


def notebook_cells(pages):
    "{page: {'folded': [code], 'hidden': [code]}}, read from the notebooks in nbs/ with nbdev's directive parser."
    import nbformat
    from nbdev.process import extract_directives, first_code_ln
    out = {}
    for fname, meta in pages.items():
        cells = out[fname] = {'folded': [], 'hidden': []}
        for c in nbformat.read(ROOT/'nbs'/meta['notebook'], as_version=4).cells:
            if c.cell_type != 'code': continue
            dirs = {k.rstrip(':'): ' '.join(v).strip('"\'') for k, v in extract_directives(c, remove=False).items()}
            lines = c.source.splitlines(True)
            start = first_code_ln(lines)
            code = '' if start is None else ''.join(lines[start:])
            if dirs.keys() & HIDDEN_DIRECTIVES or dirs.get('include') == 'false':
                if 'hide' in dirs and code.strip(): cells['hidden'].append(code)
            elif dirs.get('code-fold') == 'true' and dirs.get('echo') != 'false':
                cells['folded'].append(code)
    return out


@contextlib.contextmanager
def browser(chromium, mathjax_url, mathjax_dir):
    "A headless Chromium context with no network: MathJax's CDN is served from the local copy, all else aborts."
    from playwright.sync_api import sync_playwright
    base = mathjax_url.split('?')[0].rsplit('/', 1)[0] + '/'
    def route(r):
        url = r.request.url.split('?')[0]
        local = Path(mathjax_dir)/url[len(base):] if url.startswith(base) else None
        if local is None or not local.is_file(): return r.abort('internetdisconnected')
        r.fulfill(status=200, body=local.read_bytes(), content_type=mimetypes.guess_type(local.name)[0] or 'application/octet-stream',
                  headers={'Access-Control-Allow-Origin': '*'})
    profile = tempfile.mkdtemp(prefix='softmax-nb-chromium-')
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(profile, executable_path=chromium, headless=True, args=CHROMIUM_FLAGS,
                                                        viewport={'width': 1280, 'height': 900})
            ctx.route(re.compile(r'^(https?|wss?)://'), route)
            yield ctx
            ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def watch(page):
    "Collect the page's JavaScript errors, console errors and failed requests."
    errors = []
    page.on('pageerror', lambda e: errors.append(f'JavaScript error: {e}'))
    page.on('console', lambda m: m.type == 'error' and not mathjax_blank_probe(m.text, m.location.get('url'))
            and errors.append(f'console error: {m.text} ({m.location.get("url")})'))
    page.on('requestfailed', lambda r: not mathjax_blank_probe('', r.url) and errors.append(f'failed request: {r.url} ({r.failure})'))
    return errors


def drive_explorables(page, shot):
    "Move the slider of each explorable figure by keyboard and by an input event; record each state, and a screenshot of each."
    runs = []
    for n, root in enumerate(page.eval_on_selector_all('article .explorable[id]', 'es => es.map(e => e.id)'), 1):
        state = lambda: page.evaluate(EXPLORABLE_STATE, root)
        states = [state()]
        key = 'ArrowLeft' if states[0]['value'] == states[0]['max'] else 'ArrowRight'
        page.focus(f'[id="{root}"] input[type=range]')
        for _ in range(3): page.keyboard.press(key)
        states.append(state())
        page.keyboard.press('End')
        states.append(state())
        page.evaluate(SET_BY_INPUT, root)
        states.append(state())
        page.keyboard.press('Home')
        for _ in range(len(states) + 2): page.keyboard.press('ArrowRight')   # leave it away from where it started, for the screenshot
        states.append(state())
        page.locator(f'[id="{root}"]').screenshot(path=str(shot.with_name(f'{shot.stem}-explorable-{n}.png')))
        runs.append(dict(id=root, moves=[f'{key} x3', 'End', 'input event to min', 'Home then ArrowRight'], states=states))
    return runs


def visit(ctx, site, fname, shot, timeout):
    "Load one page, let MathJax finish, read what is on it, take the screenshot, drive its explorables, then open every folded cell."
    page = ctx.new_page()
    page.set_default_timeout(timeout * 1000)
    errors = watch(page)
    page.goto((site/fname).as_uri(), wait_until='load')
    mathjax = page.evaluate(WAIT_MATHJAX)
    page.wait_for_timeout(100)
    facts = page.evaluate(PAGE_FACTS)
    text = page.evaluate(VISIBLE_TEXT)
    page.screenshot(path=str(shot), full_page=True)
    facts.update(explorables=drive_explorables(page, shot), folds=page.evaluate(FOLDS), mathjax=mathjax, text=text, errors=errors)
    page.close()
    return facts


def visit_phone(ctx, site, fname, shot, timeout):
    "Load one page in a phone-sized viewport, as a phone would first lay it out, measure its width and photograph its explorables."
    page = ctx.new_page()
    page.set_default_timeout(timeout * 1000)
    page.set_viewport_size(PHONE)
    page.goto((site/fname).as_uri(), wait_until='load')
    page.evaluate(WAIT_MATHJAX)
    page.wait_for_timeout(100)
    width = page.evaluate(PAGE_WIDTH)
    menu = drive_menu(page, shot)
    for n, root in enumerate(page.eval_on_selector_all('article .explorable[id]', 'es => es.map(e => e.id)'), 1):
        page.focus(f'[id="{root}"] input[type=range]')
        page.keyboard.press('ArrowRight')
        page.locator(f'[id="{root}"]').screenshot(path=str(shot.with_name(f'{shot.stem}-explorable-{n}-phone.png')))
    page.close()
    return width, menu


def drive_menu(page, shot):
    """Open and close the phone's menu as a reader would, keyboard first, recording the state after each step;
    then reach the search box with Tab from the menu button and search from there. Two screenshots of the first screen."""
    state = lambda: page.evaluate(PHONE_STATE)
    steps = [('load', state())]
    page.screenshot(path=str(shot.with_name(f'{shot.stem}-phone.png')))
    if not steps[0][1]['button'] or not steps[0][1]['button']['shown']: return steps
    page.focus('.menu-button')
    page.keyboard.press('Enter')
    steps.append(('focus + Enter', state()))
    page.screenshot(path=str(shot.with_name(f'{shot.stem}-phone-menu.png')))
    page.keyboard.press('Escape')
    steps.append(('Escape', state()))
    page.keyboard.press('Space')
    steps.append(('Space', state()))
    page.click('.menu-button')
    steps.append(('click', state()))
    page.focus('.menu-button')
    for tabs in range(1, 6):
        page.keyboard.press('Tab')
        if page.evaluate("document.activeElement.id === 'search-box'"): break
    page.keyboard.type('softmax')
    steps.append((f'Tab x{tabs} + typing "softmax"', state()))
    if shot.stem == 'index': page.screenshot(path=str(shot.with_name('search-phone.png')))
    page.keyboard.press('Escape')
    return steps


# ---------------------------------------------------------------- checks of one page

def check_errors(meta, f):
    dup = sorted({i for i in f['ids'] if i and f['ids'].count(i) > 1})
    return f['errors'] + ([f'ids used more than once: {dup}'] if dup else [])


def check_title(meta, f):
    if f['h1'] == meta['title'] and meta['title'] in f['title']: return []
    return [f'title is {f["h1"]!r} / {f["title"]!r}, expected the notebook title {meta["title"]!r}']


def check_math(meta, f):
    out = []
    if meta['math'] and not f['mathjax']: out.append('MathJax did not load')
    if meta['math'] and not f['math']: out.append('no typeset math (no MathJax elements) on a page that has math')
    if f['math_errors']: out.append(f'{f["math_errors"]} MathJax errors')
    raw = re.findall(r'\$\$|\$[^$\s][^$]*\$|\\\(|\\\[|\\frac|\\sigma', f['text'])
    return out + ([f'raw TeX visible: {raw[:5]}'] if raw else [])


def check_figures(meta, f):
    imgs = f['images']
    shown = [i for i in imgs if i['complete'] and i['nw'] > 0 and i['w'] > 0 and i['h'] > 0]
    out = [f'{len(imgs) - len(shown)} of {len(imgs)} images not shown: {imgs}'] if len(shown) != len(imgs) else []
    if len(imgs) < meta['figures']: out.append(f'{len(imgs)} images on the page, but the notebook stores {meta["figures"]} figures')
    return out


def check_api(f, names):
    "Every show_doc block is complete, and every exported name of this page has one at nbdev's anchor."
    out = [f'show_doc block for {b["name"]} is incomplete: {b}' for b in f['showdoc']
           if not (b['visible'] and b['id'] and b['signature'].strip() and b['source'])]
    blocks = {b['id']: b for b in f['showdoc']}
    for anchor, name in names.items():
        b = blocks.get(anchor)
        if not b: out.append(f'exported {name} has no show_doc block with id #{anchor}'); continue
        if b['heading'] != name or not re.search(rf'\b(def|class)\s+{re.escape(name.split(".")[-1])}\b', b['signature']):
            out.append(f'show_doc block #{anchor} does not show the signature of {name}: {b}')
    return out


def check_phone(f):
    w = f['phone']
    if w['width'] <= PHONE['width'] + 1: return []
    return [f'at {PHONE["width"]} px the page is {w["width"]} px wide and scrolls sideways; too wide: ' + '; '.join(w['wide'])]


def check_menu(f):
    "A phone opens on the page; the menu button opens and closes the page list, by keyboard and by click; the search box is reachable."
    steps, out = dict(f['menu']), []
    at = steps['load']
    b = at['button']
    if not b or not b['shown'] or not b['on_screen']: out.append(f'at {PHONE["width"]} x {PHONE["height"]} px there is no menu button on the first screen: {b}')
    elif b['tag'] != 'button' or b['type'] != 'button' or not b['controls_sidebar'] or not b['name']:
        out.append(f'the menu button must be a <button type="button"> with a name and aria-controls naming the sidebar: {b}')
    if at['links_shown']: out.append(f'at load the phone shows {at["links_shown"]} of the sidebar\'s {at["links"]} links; they belong behind the menu button')
    for what in ('h1', 'p'):
        if not at[what] or not at[what]['on_screen']:
            out.append(f'the page\'s {"title" if what == "h1" else "first paragraph"} is not wholly on the first screen '
                       f'({PHONE["width"]} x {PHONE["height"]} px): {at[what]}')
    if not at['search'] or not at['search']['on_screen'] or not at['search']['uncovered']: out.append(f'the search box is not on the first screen, uncovered: {at["search"]}')
    if len(steps) == 1: return out   # no menu button to drive
    want = {'load': ('false', None), 'focus + Enter': ('true', 'menu'), 'Escape': ('false', 'button'), 'Space': ('true', 'menu'), 'click': ('false', None)}
    for step, (expanded, focus) in want.items():
        st = steps.get(step)
        if st is None: out.append(f'the menu was not driven past "{step}"'); continue
        shown = st['links_shown'] == st['links'] if expanded == 'true' else st['links_shown'] == 0
        if st['button']['expanded'] != expanded or not shown or (focus and st['focus'] != focus):
            out.append(f'after {step} the menu should be {"open" if expanded == "true" else "closed"} (aria-expanded={expanded}'
                       f'{", focus on the " + focus if focus else ""}): aria-expanded={st["button"]["expanded"]}, '
                       f'{st["links_shown"]} of {st["links"]} links shown, focus on {st["focus"]}')
        if st['width'] > st['viewport'] + 1: out.append(f'after {step} the page is {st["width"]} px wide and scrolls sideways')
    search = [st for step, st in steps.items() if step.startswith('Tab')]
    if not search or search[0]['focus'] != 'search': out.append('Tab from the menu button does not reach the search box within 5 presses')
    elif not search[0]['results'] or not search[0]['first_result']['on_screen']:
        out.append(f'searching from the phone shows no result on the screen: {search[0]["results"]} results, first at {search[0]["first_result"]}')
    return out


def check_desktop(f):
    "On a desktop the page list is always shown and the menu button is not."
    out = ['on a desktop the menu button is shown'] if f['menu_button_shown'] else []
    if not f['sidebar_links'] or not all(f['sidebar_links']): out.append(f'on a desktop {f["sidebar_links"].count(False)} of the sidebar\'s {len(f["sidebar_links"])} links are hidden')
    return out


def check_mathjax_output(meta, f, expected):
    if not expected or not meta['math'] or f['mathjax_output'] == [expected]: return []
    return [f'formulas were typeset by MathJax output {f["mathjax_output"]}, not {expected} as on the published site']


def check_explorables(meta, f, nbytes):
    "Each explorable the notebook stores is on the page, and every move of its slider changed its value, label and image."
    out = [] if len(f['explorables']) == meta['explorables'] else [
        f'{len(f["explorables"])} explorable figures on the page, but the notebook stores {meta["explorables"]}']
    for run in f['explorables']:
        states = run['states']
        for move, (a, b) in zip(run['moves'], zip(states, states[1:])):
            if not b['loaded'] or not b['width'] or not b['height']: out.append(f'explorable {run["id"]}: after {move} its image is not shown: {b}')
            if a['value'] == b['value'] or a['label'] == b['label'] or a['src'] == b['src']:
                out.append(f'explorable {run["id"]}: {move} did not move the slider, the value shown and the image '
                           f'(value {a["value"]} -> {b["value"]}, label {a["label"]!r} -> {b["label"]!r}, image changed: {a["src"] != b["src"]})')
        if not states[1]['focused']: out.append(f'explorable {run["id"]}: its slider does not take the keyboard focus')
        if states[2]['value'] != states[2]['max'] or states[3]['value'] != states[3]['min']:
            out.append(f'explorable {run["id"]}: End or an input event did not reach the end of the slider: {states[2:4]}')
    if nbytes > MAX_PAGE_BYTES: out.append(f'the page is {nbytes / 1e6:.2f} MB, more than {MAX_PAGE_BYTES / 1e6:g} MB')
    return out


def check_folding(f, folded):
    "Each `#| code-fold: true` cell of the notebook is one closed <details> that shows its code once opened."
    closed = [d for d in f['folds'] if not d['open']]
    out = [] if len(closed) == len(folded) else [f'{len(closed)} folded cells on the page, the notebook has {len(folded)} with `#| code-fold: true`']
    for d in closed:
        if d['shown'] or not d['open_after'] or not d['shown_after']:
            out.append(f'folded cell "{d["summary"]}" does not hide its code until opened: {dict(d, code=d["code"][:60])}')
    on_page = {squash(d['code']) for d in closed}
    out += [f'cell with `#| code-fold: true` is not a closed <details>: {squash(c)[:80]!r}' for c in folded if squash(c) not in on_page]
    return out


def check_hidden(f, hidden):
    shown = {squash(c) for c in f['code']}
    return [f'the code of a `#| hide` cell is on the page: {squash(c)[:80]!r}' for c in hidden if squash(c) in shown]


# ---------------------------------------------------------------- checks across the site

def check_links(facts, site, doc_prefix):
    "{page: [problems]}: internal links reach an existing page and id; none goes to the published site."
    out = {}
    for fname, f in facts.items():
        for link in f['links']:
            u, bad = urlparse(link['href']), None
            if u.scheme in ('http', 'https', 'mailto'):
                if link['href'].startswith(doc_prefix): bad = f'link to the published site instead of this one: {link["raw"]}'
            elif u.scheme != 'file': bad = f'unexpected link {link["raw"]}'
            elif not Path(unquote(u.path)).is_file() or not Path(unquote(u.path)).resolve().is_relative_to(site):
                bad = f'broken link {link["raw"]}'
            elif u.fragment and u.fragment not in facts.get(Path(unquote(u.path)).name, {}).get('ids', []):
                bad = f'link {link["raw"]}: {Path(unquote(u.path)).name} has no element with id {u.fragment!r}'
            if bad: out.setdefault(fname, []).append(bad)
    return out


def search_targets(api, pages, facts):
    "[(query, expected href)]: every exported name, page title and section heading."
    return ([(name, f'{fname}#{anchor}') for fname, names in api.items() for anchor, name in names.items()]
            + [(meta['title'], fname) for fname, meta in pages.items()]
            + [(s['text'], f'{fname}#{s["id"]}') for fname, f in facts.items() for s in f['sections']])


def search(page, query):
    page.fill('#search-box', query)
    return page.eval_on_selector_all('#search-results a', 'as => as.map(a => a.getAttribute("href"))')


def check_search(ctx, site, want, follow, shot):
    "Type each query into the search box of the first page; then follow the result for each query in `follow`."
    page, out = ctx.new_page(), []
    errors = watch(page)
    page.goto((site/'index.html').as_uri(), wait_until='load')
    for query, href in want:
        hits = search(page, query)
        if href not in hits: out.append(f'search for {query!r} does not offer {href}; it offers {hits}')
    for query, href in follow:
        if href not in search(page, query): continue   # reported above
        if not shot.exists(): page.screenshot(path=str(shot))
        page.click(f'#search-results a[href="{href}"]')
        page.wait_for_load_state('load')
        fname, _, frag = href.partition('#')
        at = urlparse(page.url)
        if Path(unquote(at.path)).name != fname or at.fragment != frag or not page.query_selector(f'[id="{frag}"]'):
            out.append(f'following the search result for {query!r} ({href}) opened {page.url}')
    page.close()
    return out + errors


# ---------------------------------------------------------------- main

def check_pages(ctx, site, pages, shots, api, cells, timeout, mathjax_output):
    "Visit every page; returns what each page showed and its problems."
    facts, failures = {}, {}
    for fname, meta in pages.items():
        t = time.time()
        f = facts[fname] = visit(ctx, site, fname, shots/fname.replace('.html', '.png'), timeout)
        f['phone'], f['menu'] = visit_phone(ctx, site, fname, shots/fname.replace('.html', '.png'), timeout)
        problems = (check_errors(meta, f) + check_title(meta, f) + check_math(meta, f) + check_figures(meta, f)
                    + check_api(f, api.get(fname, {})) + check_phone(f) + check_menu(f) + check_desktop(f) + check_mathjax_output(meta, f, mathjax_output)
                    + check_explorables(meta, f, (site/fname).stat().st_size) + check_folding(f, cells[fname]['folded']) + check_hidden(f, cells[fname]['hidden']))
        if problems: failures[fname] = problems
        driven = f', {len(f["explorables"])} explorables driven' if f['explorables'] else ''
        print(f'  {fname:<22} {time.time()-t:5.1f}s  {f["mathjax"] or "no MathJax"}{" " + "/".join(f["mathjax_output"]) if f["mathjax_output"] else ""}: {f["math"]} formulas, '
              f'{len(f["images"])} figures, {len(f["showdoc"])} API docs, {len(f["folds"])} folded cells, {len(f["links"])} links, '
              f'{f["phone"]["width"]} px wide at {PHONE["width"]} px, {phone_fold(f)}, {(site/fname).stat().st_size / 1e6:.2f} MB{driven}'
              f'{"  FAILED" if problems else ""}', flush=True)
    return facts, failures


def phone_fold(f):
    "Where the first paragraph ends on the phone's first screen, for the log."
    p = dict(f['menu'])['load']['p']
    return f'first paragraph ends at {p["bottom"]} of {PHONE["height"]} px' if p else 'no first paragraph'


def main(argv=None):
    ap = argparse.ArgumentParser(description='Check the built site in headless Chromium.')
    ap.add_argument('--site', default='_site')
    ap.add_argument('--chromium', default=os.environ.get('CHROMIUM') or shutil.which('chromium') or '/usr/bin/chromium')
    ap.add_argument('--mathjax-dir', default='/usr/share/javascript/mathjax', help='local MathJax 2 that stands in for its CDN')
    ap.add_argument('--timeout', type=float, default=60, help='seconds allowed per page')
    ap.add_argument('--mathjax-output', metavar='NAME', help='the MathJax 2 output every formula must be typeset by, e.g. CommonHTML (as published)')
    args = ap.parse_args(argv)
    t0, site = time.time(), (ROOT/args.site).resolve()
    manifest = json.loads((site/'site.json').read_text())
    pages = {p['file']: p for p in manifest['pages']}
    shots = site/'screenshots'
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    api, cells = exported_api(), notebook_cells(pages)
    with browser(args.chromium, manifest['mathjax'], args.mathjax_dir) as ctx:
        print(f'check_site: Chromium {ctx.browser.version if ctx.browser else ""} at {args.chromium}, {len(pages)} pages from {site}', flush=True)
        facts, failures = check_pages(ctx, site, pages, shots, api, cells, args.timeout, args.mathjax_output)
        want = search_targets(api, pages, facts)
        # follow an API result and a section on another page than the one searched from
        follow = [w for w in want if w[0] == 'softmax'][:1] + [w for w in want if '#' in w[1] and not w[1].startswith(('index', 'softmax'))][-1:]
        site_wide = check_search(ctx, site, want, follow, shots/'search.png')
    for fname, msgs in check_links(facts, site, manifest['doc_prefix']).items(): failures.setdefault(fname, []).extend(msgs)
    site_wide += [f'API page {p} (for {", ".join(n.values())}) was not built' for p, n in api.items() if p not in pages]
    site_bytes = sum(f.stat().st_size for f in site.rglob('*') if f.is_file() and shots not in f.parents)
    if site_bytes > MAX_SITE_BYTES: site_wide.append(f'the site is {site_bytes / 1e6:.1f} MB, more than {MAX_SITE_BYTES / 1e6:g} MB')
    if sum(bool(f['explorables']) for f in facts.values()) < 3:
        site_wide.append('fewer than three pages carry an explorable figure: ' + ', '.join(p for p, f in facts.items() if f['explorables']))
    if not any(cells[p]['folded'] for p in pages):
        site_wide.append('no cell in the notebooks carries `#| code-fold: true`, so folding is untested: fold at least one long supporting cell')
    for where, msgs in list(failures.items()) + ([('the whole site', site_wide)] if site_wide else []):
        print(f'\n{where}:' + ''.join(f'\n  FAIL {m}' for m in msgs))
    print(f'check_site: {sum(len(f["links"]) for f in facts.values())} links, {sum(len(n) for n in api.values())} exported names, '
          f'{len(want)} searches, {sum(len(c["folded"]) for c in cells.values())} folded cells; screenshots in {shots}/ ({time.time()-t0:.1f}s)')
    print(f'site: {site_bytes / 1e6:.2f} MB without the screenshots; explorables: ' + ', '.join(
        f'{p} {len(f["explorables"])}' for p, f in facts.items() if f['explorables']))
    print(f'site pages: {len(pages) - len(failures)} passed, {len(failures)} failed; site-wide checks: {"FAILED" if site_wide else "passed"}')
    return 1 if failures or site_wide else 0


if __name__ == '__main__':
    sys.exit(main())
