// The search box of the softmax-nb site (copied to _site/search.js by tools/build_site.py).
// It searches page titles, section headings and API names in the JSON index that the build writes
// into every page (<script type="application/json" id="search-index">), so it needs no server and
// no network, and works from file:// too. Enter follows the first result, Escape closes the list.
(function () {
  const box = document.getElementById('search-box');
  const list = document.getElementById('search-results');
  const data = document.getElementById('search-index');
  if (!box || !list || !data) return;
  const index = JSON.parse(data.textContent);
  const kindOrder = {api: 0, page: 1, section: 2};
  const kindName = {api: 'API', page: 'page', section: 'section'};

  // 0 exact, 1 prefix, 2 a word starts with the query, 3 contains it, 4 contains every word; -1 no match
  function rank(entry, q) {
    const t = entry.t.toLowerCase();
    if (t === q) return 0;
    if (t.startsWith(q)) return 1;
    if (t.split(/[^\p{L}\p{N}_]+/u).some(w => w.startsWith(q))) return 2;
    if (t.includes(q)) return 3;
    const words = q.split(/\s+/);
    return words.length > 1 && words.every(w => t.includes(w)) ? 4 : -1;
  }

  function item(entry) {
    const li = document.createElement('li'), a = document.createElement('a');
    a.href = entry.u;
    a.className = 'search-hit search-' + entry.k;
    const title = document.createElement('span'), where = document.createElement('span');
    title.className = 'hit-title'; title.textContent = entry.t;
    where.className = 'hit-where'; where.textContent = kindName[entry.k] + (entry.p ? ' · ' + entry.p : '');
    a.append(title, where);
    a.addEventListener('click', () => { list.hidden = true; });
    li.append(a);
    return li;
  }

  function update() {
    const q = box.value.trim().toLowerCase();
    list.replaceChildren();
    if (!q) { list.hidden = true; return; }
    const hits = index.map(e => [rank(e, q), e]).filter(h => h[0] >= 0)
      .sort((a, b) => a[0] - b[0] || kindOrder[a[1].k] - kindOrder[b[1].k] || a[1].t.length - b[1].t.length)
      .slice(0, 12);
    if (!hits.length) {
      const li = document.createElement('li');
      li.className = 'search-none'; li.textContent = 'No page, heading or API name matches.';
      list.append(li);
    }
    hits.forEach(h => list.append(item(h[1])));
    list.hidden = false;
  }

  box.addEventListener('input', update);
  box.addEventListener('focus', update);
  box.addEventListener('keydown', e => {
    const first = list.querySelector('a');
    if (e.key === 'Enter' && first) { e.preventDefault(); first.click(); }
    else if (e.key === 'Escape') { box.value = ''; update(); }
    else if (e.key === 'ArrowDown' && first) { e.preventDefault(); first.focus(); }
  });
  document.addEventListener('click', e => { if (!e.target.closest('.search')) list.hidden = true; });
})();
