// Locality atlas — page wiring: state ⇄ URL hash, controls, legend, map, panels.
//
// Test hook (stable contract for browser tests):
//   window.atlas = { map, ready, whenDrawn(), state, classes, clusters, readyAt }
//   - ready: Promise resolved (with performance.now() ms) after the first `idle` with the choropleth applied.
//   - whenDrawn(): Promise resolved once the current indicator's choropleth has been drawn.
//   - document.body.dataset.mapReady: "true" when the map shows the current choropleth, "false" while changing.
//   - document.body.dataset.indicator: id of the indicator whose classes are drawn.
//   - document.body.dataset.mapMode: what the map shows: "values" (the choropleth), "lisa" or "gi" (cluster classes);
//     atlas.clusters holds the clusters API's answer drawn in a cluster mode (null otherwise).
import { el, $, getJSON, available, fmtNum, debounce, STATIC, serverOnly } from './util.js';
import { createMap, loadBasemap, useArchive } from './map.js';
import { renderLsoa, renderLocality, renderScatter, renderCustom, setDistrict } from './panels.js';

const DEFAULTS = { indicator: 'iod25_imd_score', scheme: 'quantile', k: 5, palette: '', locality: '', lsoa: '', tab: '', mode: 'values' };
// What the comparison sets against the opening indicator: the first the catalogue holds (a
// district's folder has no Output Area disability figures), as the board pack's scatter chooses.
const OPENING_COMPARED_WITH = ['census21_disabled', 'census21_bad_health'];
const MODES = ['values', 'lisa', 'gi'];
const TABS = ['lsoa', 'locality', 'compare', 'custom'];
const motion = () => (matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 500);

const state = { ...DEFAULTS };
const catalogue = new Map(); // id → indicator metadata
const themes = new Map(); // theme id → { name, description }, in the order the server gives
const lsoaNames = new Map(); // code → name
const values = new Map(); // indicator id → Map(code → {numerator, denominator, value})
let localities = [];
let districts = [];
let placeName = 'the district'; // the district the atlas describes, from the catalogue
let placeCode = ''; // its code
const ENGLAND = 'E92000001'; // the place of England's atlas

// Names the district wherever the page speaks of it, and says which boundaries it is drawn on.
function showPlace(place) {
  if (!place?.name) return;
  placeName = place.name;
  placeCode = place.code;
  setDistrict(place.name);
  document.title = `${place.name} locality health atlas`;
  for (const node of document.querySelectorAll('[data-place]')) node.textContent = place.name;
  if (place.code === ENGLAND) {
    // England's atlas: every district is an area, each read against England, and an LSOA against
    // its own district and England.
    $('#intro-areas').textContent = 'every district of England, each LSOA compared with its district and England';
    $('#lsoa-benchmarks').textContent = 'its district and England';
  }
  const all = $('#locality option[value=""]');
  if (all) all.textContent = `All of ${place.name}`;
  $('#lsoa-find')?.setAttribute('placeholder', `e.g. an LSOA name (${place.name} 001A) or code`);
  const generalised = $('#generalisation');
  if (generalised) generalised.textContent = `LSOA boundaries: ${place.boundaries}.`;
}
let atlas; // map wrapper from map.js
let classes = null;
let clusters = null; // the clusters API's answer while the map shows cluster classes
let classSeq = 0;
const custom = { picked: new Set(), polygon: null };

let resolveReady;
const hook = window.atlas = {
  map: null, state, classes: null, clusters: null, readyAt: null,
  ready: new Promise((r) => { resolveReady = r; }),
  whenDrawn: () => hook.ready.then(() => (document.body.dataset.mapReady === 'true' ? true : drawn())),
};
let drawnWaiters = [];
const drawn = () => new Promise((r) => drawnWaiters.push(r));

// ---------- messages ----------

function showMessage(text) { const m = $('#message'); m.textContent = text; m.hidden = false; }
function clearMessage() { $('#message').hidden = true; }

// ---------- URL hash ----------

function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  const out = { ...DEFAULTS };
  for (const key of ['indicator', 'scheme', 'palette', 'locality', 'lsoa', 'tab']) if (p.get(key)) out[key] = p.get(key);
  if (MODES.includes(p.get('mode'))) out.mode = p.get('mode');
  const k = parseInt(p.get('k'), 10);
  if (k >= 3 && k <= 9) out.k = k;
  const m = (p.get('map') || '').split('/').map(Number);
  out.view = m.length === 3 && m.every(Number.isFinite) ? { zoom: m[0], lat: m[1], lon: m[2] } : null;
  return out;
}

function writeHash() {
  const parts = [['indicator', state.indicator], ['scheme', state.scheme], ['k', state.k]];
  if (state.palette) parts.push(['palette', state.palette]);
  if (state.mode !== 'values') parts.push(['mode', state.mode]);
  if (state.locality) parts.push(['locality', state.locality]);
  if (state.lsoa) parts.push(['lsoa', state.lsoa]);
  if (state.tab) parts.push(['tab', state.tab]);
  let hash = parts.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  if (hook.map) {
    const c = hook.map.getCenter();
    hash += `&map=${hook.map.getZoom().toFixed(2)}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`;
  }
  if (location.hash.slice(1) !== hash) history.replaceState(null, '', `#${hash}`);
}
const writeHashSoon = debounce(writeHash, 250);

// ---------- indicator pickers ----------

function fillIndicatorSelect(select, filter = '', keep) {
  const q = filter.trim().toLowerCase();
  const groups = new Map();
  let n = 0;
  for (const ind of catalogue.values()) {
    const theme = themes.get(ind.theme)?.name || ind.topic;
    const hay = `${ind.name} ${ind.id} ${ind.topic} ${theme} ${ind.period}`.toLowerCase();
    if (q && !q.split(/\s+/).every((w) => hay.includes(w)) && ind.id !== keep) continue;
    if (ind.id !== keep || !q || hay.includes(q)) n++;
    if (!groups.has(ind.theme)) {
      groups.set(ind.theme, el('optgroup', { label: theme, title: themes.get(ind.theme)?.description }));
    }
    groups.get(ind.theme).append(el('option', { value: ind.id }, `${ind.name} (${ind.period})`));
  }
  // Themes in the server's order: the strategy's, not the alphabet's.
  const order = [...themes.keys()];
  const rank = (k) => (order.includes(k) ? order.indexOf(k) : order.length);
  select.replaceChildren(...[...groups.keys()].sort((a, b) => rank(a) - rank(b)).map((k) => groups.get(k)));
  if (keep) select.value = keep;
  return n;
}

function describeIndicator() {
  const m = catalogue.get(state.indicator);
  if (!m) return;
  // The benchmarks comparisons use, then MHCLG's own published figures for this place and England,
  // which are kept beside them and not compared (England's atlas holds one for every district).
  const figures = (role) => (m.comparators || [])
    .filter((c) => c.role === role && (role === 'benchmark' || c.area_code === placeCode || c.area_code === ENGLAND))
    .map((c) => `${c.area_name} ${fmtNum(c.value, m.unit)}`).join(', ');
  const benchmarks = figures('benchmark'), published = figures('published');
  $('#indicator-about').replaceChildren(
    el('strong', {}, `${m.name}`), ` (${m.unit}, ${m.period}). ${m.definition} `,
    benchmarks ? `Benchmarks: ${benchmarks}. ` : '',
    published ? `Published by MHCLG, not compared: ${published}. ` : '',
    el('span.muted', {}, `Source: ${m.source}.`));
  $('#scheme').querySelector('[value=decile]').disabled = m.value_type !== 'decile';
}

// ---------- classes, legend, choropleth ----------

function classesUrl() {
  const p = new URLSearchParams({ scheme: state.scheme, k: state.k });
  if (state.palette) p.set('palette', state.palette);
  return `/api/indicators/${encodeURIComponent(state.indicator)}/classes?${p}`;
}

async function fetchClasses() {
  try {
    return await getJSON(classesUrl());
  } catch (e) {
    if (e.status !== 400 && e.status !== 404) throw e;
    // Unknown indicator or unusable scheme/palette (e.g. from an old link): say so and fall back.
    showMessage(`Could not use that map setting (${e.message}); showing the default instead.`);
    if (e.status === 404 || !catalogue.has(state.indicator)) state.indicator = DEFAULTS.indicator;
    state.scheme = DEFAULTS.scheme; state.palette = '';
    syncControls();
    return getJSON(classesUrl());
  }
}

function renderLegend() {
  const m = catalogue.get(state.indicator);
  const body = $('#legend-body');
  if (clusters) { renderClusterLegend(m, body); return; }
  if (!classes) { body.replaceChildren(el('p.na', {}, 'No classes available.')); return; }
  const area = classes.geography === 'msoa' ? 'MSOA' : 'LSOA';
  const row = (colour, label, count) => el('li', {},
    el('span.swatch', { 'aria-hidden': 'true' }, ''), el('span.label', {}, label),
    el('span.count', {}, `${count} ${area}${count === 1 ? '' : 's'}`));
  const items = classes.classes.map((c) => row(c.colour, c.label, c.count));
  items.push(row(classes.no_data.colour, classes.no_data.label, classes.no_data.count));
  const cols = [...classes.classes.map((c) => c.colour), classes.no_data.colour];
  items.forEach((li, i) => { li.firstChild.style.background = cols[i]; });
  // Where England's benchmark falls among the classes (class j holds lower < value <= upper; the
  // first is closed below).
  const england = (m?.comparators || []).find((c) => c.role === 'benchmark' && c.area_code === ENGLAND);
  const cls = classes.classes;
  const place = !england || !cls.length ? null
    : england.value < cls[0].lower ? 'below every class'
      : england.value > cls[cls.length - 1].upper ? 'above every class'
        : `in the class ${cls.find((c, i) => (i === 0 || england.value > c.lower) && england.value <= c.upper)?.label}`;
  body.replaceChildren(
    el('p.legend-title', {}, m ? `${m.name} (${m.unit}, ${m.period})` : state.indicator),
    el('ul.legend', { 'aria-label': 'Classes' }, items),
    ...(place ? [el('p', { id: 'legend-england' }, `England: ${fmtNum(england.value, m.unit)}, ${place}.`)] : []),
    el('p.muted', {}, `${classes.method}. Palette ${classes.palette}${classes.reversed ? ' (reversed so darker is worse)' : ''}.`));
}

// The cluster classes with their colours, counts and meanings, and how significance was judged: all as the
// server words them (the FDR correction at α, the permutations, seed and weights).
function renderClusterLegend(m, body) {
  const c = clusters;
  const items = c.map_legend.map((e) => {
    const li = el('li', {}, el('span.swatch', { 'aria-hidden': 'true' }, ''), el('span.label', {}, e.label),
      el('span.count', {}, `${e.count} LSOA${e.count === 1 ? '' : 's'}`));
    li.firstChild.style.background = e.colour;
    return li;
  });
  const method = c.parameters.method === 'gi' ? 'Hot and cold spots: Getis-Ord Gi*' : 'Clusters and hidden pockets: local Moran\'s I';
  const meaning = el('details.legend-meaning', {}, el('summary', {}, 'What the colours mean'),
    el('dl', {}, ...c.map_legend.flatMap((e) => [el('dt', {}, e.label), el('dd', {}, e.description)])));
  body.replaceChildren(
    el('p.legend-title', {}, m ? `${m.name} (${m.unit}, ${m.period})` : state.indicator),
    el('p.legend-method', {}, method),
    el('ul.legend', { 'aria-label': 'Cluster classes' }, items),
    el('p.muted', {}, c.map_note),
    el('p.muted', {}, c.global.words),
    meaning);
}

// The cluster map is offered where the indicator has LSOA values; otherwise the reason is shown.
function clusterReason() { return catalogue.get(state.indicator)?.no_clusters || ''; }
function shownMode() { return state.mode !== 'values' && !clusterReason() ? state.mode : 'values'; }

function syncMode() {
  const why = clusterReason();
  const shown = shownMode();
  for (const mode of MODES) {
    const radio = $(`#show-${mode}`);
    radio.checked = mode === shown;
    radio.disabled = mode !== 'values' && Boolean(why);
  }
  const note = $('#map-show-why');
  note.hidden = !why;
  note.textContent = why ? `No cluster map: ${why}.` : '';
  $('#classing').disabled = shown !== 'values';
}

function clustersUrl(method) {
  return `/api/indicators/${encodeURIComponent(state.indicator)}/clusters?method=${method}`;
}

function renderMapExport() {
  if (clusters) { renderClusterExport(); return; }
  const area = state.locality || 'district';
  const p = new URLSearchParams({ indicator: state.indicator, area, scheme: state.scheme, k: state.k });
  if (state.palette) p.set('palette', state.palette);
  const out = $('#map-export-body');
  available('charts', `/charts/map.svg?${p}`).then(async (ok) => {
    if (!ok) { out.replaceChildren(STATIC ? serverOnly('Map figures') : 'Map figures are not available from this server.'); return; }
    const a = (href, text, file) => el('a', { href, download: file }, text);
    const links = [a(`/charts/map.svg?${p}`, 'SVG', 'map.svg'), a(`/charts/map.png?${p}&size=2x`, 'PNG', 'map.png'),
      a(`/charts/map.png?${p}&size=print`, 'PNG (print)', 'map-print.png')];
    if (await available('export', `/export/map.csv?${p}`)) {
      links.push(a(`/export/map.csv?${p}`, 'CSV', 'map.csv'),
        a(`/export/lsoa.geojson?indicator=${encodeURIComponent(state.indicator)}`, 'GeoJSON', `${state.indicator}.geojson`));
    }
    out.replaceChildren(`${area === 'district' ? placeName : 'Locality'} map: `, ...links.flatMap((l, i) => (i ? [' · ', l] : [l])));
  });
}

// Downloads of the cluster figure ("clusters and hidden pockets") and the CSV behind it.
function renderClusterExport() {
  if (STATIC) { $('#map-export-body').replaceChildren(serverOnly('Cluster map figures')); return; }
  const p = new URLSearchParams({ indicator: state.indicator, method: clusters.parameters.method });
  if (state.locality) p.set('locality', state.locality);
  const a = (href, text, file) => el('a', { href, download: file }, text);
  const links = [a(`/charts/clusters.svg?${p}`, 'SVG', 'clusters.svg'), a(`/charts/clusters.png?${p}&size=2x`, 'PNG', 'clusters.png'),
    a(`/charts/clusters.png?${p}&size=print`, 'PNG (print)', 'clusters-print.png'), a(`/export/clusters.csv?${p}`, 'CSV', 'clusters.csv')];
  $('#map-export-body').replaceChildren('Cluster map: ', ...links.flatMap((l, i) => (i ? [' · ', l] : [l])));
}

async function loadValues(id) {
  if (values.has(id)) return values.get(id);
  // The server answers for the indicator's own geography (LSOAs, or MSOAs for MSOA indicators).
  const v = await getJSON(`/api/indicators/${encodeURIComponent(id)}/values`);
  const m = new Map(v.values.map((r) => [r.code, r]));
  values.set(id, m);
  if (!lsoaNames.size && v.level === 'lsoa') {
    for (const r of v.values) lsoaNames.set(r.code, r.name);
    $('#lsoa-options').replaceChildren(...[...lsoaNames].sort((a, b) => a[1].localeCompare(b[1]))
      .map(([code, name]) => el('option', { value: `${name} (${code})` })));
  }
  return m;
}

async function applyIndicator() {
  const seq = ++classSeq;
  document.body.dataset.mapReady = 'false';
  let cls;
  try { cls = await fetchClasses(); } catch (e) { showMessage(`The map classes could not be loaded: ${e.message}`); return; }
  if (seq !== classSeq) return;
  const mode = shownMode();
  let answer = null;
  if (mode !== 'values') {
    try { answer = await getJSON(clustersUrl(mode)); } catch (e) { showMessage(`The cluster map could not be loaded: ${e.message}`); }
    if (seq !== classSeq) return;
  }
  classes = hook.classes = cls;
  clusters = hook.clusters = answer;
  syncMode();
  describeIndicator();
  renderLegend();
  renderMapExport();
  loadValues(state.indicator).catch(() => {});
  writeHash();
  if (!atlas) return;
  if (answer) atlas.setClusters(state.indicator, answer);
  else atlas.setIndicator(state.indicator, cls);
  refreshPanels();
  await new Promise((r) => { hook.map.once('idle', r); hook.map.triggerRepaint(); });
  if (seq !== classSeq) return;
  markDrawn();
}

function markDrawn() {
  document.body.dataset.indicator = state.indicator;
  document.body.dataset.mapMode = clusters ? clusters.parameters.method : 'values';
  document.body.dataset.mapReady = 'true';
  drawnWaiters.forEach((r) => r(true));
  drawnWaiters = [];
}

// ---------- tabs ----------

function selectTab(name, focus = false) {
  for (const t of TABS) {
    const tab = $(`#tab-${t}`), pane = $(`#pane-${t}`);
    const on = t === name;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    pane.hidden = !on;
    if (on && focus) tab.focus();
  }
  state.tab = name === 'lsoa' ? '' : name;
  writeHashSoon();
}

function wireTabs() {
  const tabs = TABS.map((t) => $(`#tab-${t}`));
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => selectTab(TABS[i]));
    tab.addEventListener('keydown', (e) => {
      const d = { ArrowRight: 1, ArrowLeft: -1, Home: -i, End: TABS.length - 1 - i }[e.key];
      if (d === undefined) return;
      e.preventDefault();
      selectTab(TABS[(i + d + TABS.length) % TABS.length], true);
    });
  });
}

// ---------- phone layout: the map first, the controls and the details in drawers over it ----------

const narrow = matchMedia('(max-width: 700px)');

// Opens one drawer ('controls' or 'panel'), or closes both (''); on wide screens the CSS ignores it.
function setDrawer(name) {
  if (name) document.body.dataset.drawer = name; else delete document.body.dataset.drawer;
  for (const d of ['controls', 'panel']) $(`#drawer-${d}`).setAttribute('aria-expanded', String(d === name));
}

// How much of the map's foot an open drawer covers, in pixels (none on wide screens).
function coveredByDrawer() {
  const drawer = narrow.matches && document.body.dataset.drawer && $(`#${document.body.dataset.drawer}`);
  return drawer ? drawer.getBoundingClientRect().height : 0;
}

// Padding that frames a place in the part of the map a drawer leaves uncovered.
function framing(padding) {
  const covered = coveredByDrawer();
  const left = hook.map.getContainer().clientHeight - covered;
  return covered && left > 2 * padding + 80 ? { top: padding, left: padding, right: padding, bottom: covered + padding } : padding;
}

// What the user just asked for is in the details: on a phone, show them.
const revealDetails = () => { if (narrow.matches) setDrawer('panel'); };

function wireDrawers() {
  for (const d of ['controls', 'panel']) {
    $(`#drawer-${d}`).addEventListener('click', () => setDrawer(document.body.dataset.drawer === d ? '' : d));
    $(`#${d}`).addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || !narrow.matches || document.body.dataset.drawer !== d) return;
      setDrawer('');
      $(`#drawer-${d}`).focus();
    });
  }
}

// ---------- panels ----------

const ctx = {
  catalogue,
  get indicator() { return state.indicator; },
  // England's atlas, unless given a list, has districts and no localities to compare.
  get hasLocalities() { return localities.some((l) => !l.context); },
  // A district of England's atlas, by code.
  isDistrict: (id) => districts.some((d) => d.code === id),
  zoomTo: ([lon, lat]) => hook.map.easeTo({ center: [lon, lat], zoom: Math.max(hook.map.getZoom(), 14), offset: [0, -coveredByDrawer() / 2], duration: motion() }),
  zoomToLocality: (id) => zoomToLocality(id),
  addToArea: (code) => { toggleCustom(code, true); selectTab('custom', true); revealDetails(); },
};

async function openLsoa(code, { fly = false, focus = false, tab = true } = {}) {
  state.lsoa = code;
  if (tab) selectTab('lsoa');
  atlas?.setSelected(code);
  writeHashSoon();
  try {
    const lsoa = await renderLsoa($('#pane-lsoa'), code, ctx);
    if (fly && lsoa.interior_point) ctx.zoomTo(lsoa.interior_point);
    if (focus) $('#lsoa-title').focus();
  } catch (e) {
    $('#pane-lsoa').replaceChildren(el('p.na', {}, `Could not load LSOA ${code}: ${e.message}`));
  }
}

async function openLocality(id, { zoom = true, tab = true } = {}) {
  state.locality = id;
  $('#locality').value = id;
  writeHashSoon();
  renderMapExport();
  if (!ctx.isDistrict(id)) atlas?.setDistrict(null);
  if (!id) { $('#pane-locality').replaceChildren(el('p.muted', {}, 'Choose a locality to see its profile.')); return; }
  if (tab) selectTab('locality');
  if (zoom) zoomToLocality(id);
  try {
    const prof = await renderLocality($('#pane-locality'), id, ctx);
    if (ctx.isDistrict(id) && state.locality === id) atlas?.setDistrict(prof.lsoas.map((l) => l.code));
  } catch (e) {
    $('#pane-locality').replaceChildren(el('p.na', {}, `Could not load the locality profile: ${e.message}`));
  }
}

function refreshPanels() {
  if (state.locality) openLocality(state.locality, { zoom: false, tab: false });
  if (state.lsoa) openLsoa(state.lsoa, { tab: false });
  const out = $('#compare-out');
  if (out.childElementCount) renderScatter(out, $('#compare-x').value, $('#compare-y').value, ctx);
}

async function zoomToLocality(id) {
  const d = districts.find((x) => x.code === id);
  let bb = d ? [d.bounds.slice(0, 2), d.bounds.slice(2)] : atlas?.localityBounds(id);
  if (!bb) {
    // Outline tiles not loaded (zoomed in elsewhere): use the LSOAs' interior points.
    const loc = localities.find((l) => l.id === id);
    if (!loc) return;
    const pts = await Promise.all(loc.lsoas.map((l) => getJSON(`/api/lsoa/${l.code}`).then((d) => d.interior_point, () => null)));
    bb = new maplibregl.LngLatBounds();
    pts.filter(Boolean).forEach((p) => bb.extend(p));
    if (bb.isEmpty()) return;
  }
  hook.map.fitBounds(bb, { padding: framing(48), maxZoom: 15, duration: motion() });
}

// What the footer says of the localities' LSOA lists: England's atlas has none, and a district
// prepared without a list has its wards, made of the LSOAs ONS's best-fit lookup gives them.
function describeLocalities() {
  const note = $('#locality-note');
  note.hidden = !localities.length;
  if (localities.length && localities.every((l) => l.lsoas.every((x) => x.confidence === 'best_fit_ward'))) {
    note.textContent = "Localities are electoral wards (2024), each made of the LSOAs ONS's best-fit lookup assigns to it, so their outlines follow LSOAs, not the wards' own boundaries.";
  }
}

// ---------- GP practices ----------

// An atlas without practice locations (the sources hold them for Coventry only) says so instead of
// offering layers that draw nothing, and does not credit their sources.
function showPractices(count) {
  if (count !== 0) return;
  const box = $('#practices');
  for (const child of box.children) if (child.tagName !== 'LEGEND') child.hidden = true;
  box.append(el('p.hint', { id: 'practices-none' }, `The sources hold GP practice locations for Coventry only: none are drawn for ${placeName}.`));
  $('#practice-attribution').hidden = true;
}

// The practices drawn in the view, as buttons that open each one's popup: the keyboard's way to them.
let practicesListed = null;
function renderPracticeList() {
  const list = $('#practice-list');
  const shown = atlas?.practicesInView();
  // Rebuilt only when the practices change, so that keyboard focus in the list is kept.
  const key = shown ? shown.map((f) => f.properties.code).join() : '';
  if (key === practicesListed) return;
  practicesListed = key;
  if (shown === null || shown === undefined) {
    list.replaceChildren(el('li.muted', {}, 'Zoom in to see GP practices.'));
    return;
  }
  if (!shown.length) { list.replaceChildren(el('li.muted', {}, 'No practice shown in this view.')); return; }
  list.replaceChildren(...shown.map((f) => el('li', {}, el('button', {
    type: 'button', onclick: (e) => atlas.openPractice(f, e.currentTarget),
  }, `${f.properties.name}${f.properties.status === 'open' ? '' : ' (closed)'}`))));
}

function wirePractices() {
  const apply = () => {
    atlas.setPracticeLayers({ open: $('#practices-open').checked, closed: $('#practices-closed').checked });
    hook.map.triggerRepaint();
  };
  $('#practices-open').addEventListener('change', apply);
  $('#practices-closed').addEventListener('change', apply);
  hook.map.on('idle', renderPracticeList);
}

// ---------- custom area ----------

function toggleCustom(code, forceOn = false) {
  if (custom.polygon) { custom.polygon = null; atlas.clearDrawing(); }
  if (custom.picked.has(code) && !forceOn) custom.picked.delete(code);
  else custom.picked.add(code);
  renderCustomList();
}

function renderCustomList() {
  atlas?.setPicked([...custom.picked]);
  const list = $('#custom-list');
  list.replaceChildren(...[...custom.picked].map((code) => el('li', {},
    `${lsoaNames.get(code) || code} `,
    el('button.remove', { type: 'button', 'aria-label': `Remove ${lsoaNames.get(code) || code}`, onclick: () => toggleCustom(code) }, '×'))));
  if (custom.polygon) list.replaceChildren(el('li', {}, `Drawn polygon with ${custom.polygon.coordinates[0].length - 1} corners`));
  if (!list.childElementCount) list.append(el('li.muted', {}, 'None yet.'));
  $('#custom-run').disabled = !custom.picked.size && !custom.polygon;
  updateModeText();
}

function updateModeText() {
  const mode = atlas?.mode || 'browse';
  const t = $('#map-mode');
  t.hidden = mode === 'browse';
  t.textContent = mode === 'draw'
    ? 'Drawing: click each corner; double-click or press Enter to finish, Escape to cancel.'
    : `Selection mode: click LSOAs to add or remove them (${custom.picked.size} selected).`;
  $('#mode-select').setAttribute('aria-pressed', String(mode === 'select'));
  $('#mode-draw').setAttribute('aria-pressed', String(mode === 'draw'));
}

async function runCustom() {
  const body = custom.polygon || { lsoas: [...custom.picked] };
  try {
    const prof = await renderCustom($('#custom-out'), body, ctx);
    if (custom.polygon) atlas.setPicked(prof.lsoas.map((l) => l.code));
    $('#custom-title').focus();
  } catch (e) {
    $('#custom-out').replaceChildren(el('p.na', {}, `The custom area could not be profiled: ${e.message}`));
  }
}

function wireCustom() {
  $('#mode-select').addEventListener('click', () => atlas.setMode(atlas.mode === 'select' ? 'browse' : 'select'));
  $('#mode-draw').addEventListener('click', () => {
    if (atlas.mode === 'draw') { atlas.setMode('browse'); return; }
    custom.picked.clear(); custom.polygon = null; renderCustomList();
    atlas.setMode('draw');
    hook.map.getCanvas().focus();
  });
  $('#custom-clear').addEventListener('click', () => {
    custom.picked.clear(); custom.polygon = null; atlas.clearDrawing(); atlas.setMode('browse');
    renderCustomList(); $('#custom-out').replaceChildren();
  });
  $('#custom-run').addEventListener('click', runCustom);
}

// ---------- controls ----------

function syncControls() {
  $('#indicator').value = state.indicator;
  $('#scheme').value = state.scheme;
  $('#k').value = String(state.k);
  $('#k').disabled = state.scheme === 'decile';
  $('#palette').value = state.palette;
  $('#locality').value = state.locality;
}

function findLsoa() {
  const text = $('#lsoa-find').value.trim();
  const code = (text.match(/E01\d{6}/i) || [])[0]?.toUpperCase()
    || [...lsoaNames].find(([, n]) => n.toLowerCase() === text.toLowerCase())?.[0];
  if (!code || (lsoaNames.size && !lsoaNames.has(code))) {
    showMessage(`No ${placeName} LSOA matches “${text}”. Pick one from the list of suggestions.`);
    return null;
  }
  clearMessage();
  return code;
}

function wireControls() {
  $('#controls-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const code = findLsoa();
    if (code) { revealDetails(); openLsoa(code, { fly: true, focus: true }); }
  });
  $('#lsoa-add').addEventListener('click', () => { const c = findLsoa(); if (c) ctx.addToArea(c); });
  const search = $('#indicator-search');
  search.addEventListener('input', () => {
    const n = fillIndicatorSelect($('#indicator'), search.value, state.indicator);
    $('#indicator-count').textContent = search.value ? `${n} of ${catalogue.size} indicators match` : '';
  });
  search.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const q = search.value.trim().toLowerCase();
    const hit = q && [...catalogue.values()].find((m) => q.split(/\s+/).every((w) =>
      `${m.name} ${m.id} ${m.topic} ${m.period}`.toLowerCase().includes(w)));
    if (hit && hit.id !== state.indicator) { state.indicator = hit.id; syncControls(); applyIndicator(); }
  });
  $('#indicator').addEventListener('change', (e) => {
    state.indicator = e.target.value;
    if (state.scheme === 'decile' && catalogue.get(state.indicator)?.value_type !== 'decile') state.scheme = 'quantile';
    syncControls(); clearMessage(); applyIndicator();
  });
  $('#scheme').addEventListener('change', (e) => { state.scheme = e.target.value; syncControls(); applyIndicator(); });
  $('#k').addEventListener('change', (e) => { state.k = Number(e.target.value); applyIndicator(); });
  $('#palette').addEventListener('change', (e) => { state.palette = e.target.value; applyIndicator(); });
  for (const mode of MODES) {
    $(`#show-${mode}`).addEventListener('change', (e) => {
      if (!e.target.checked) return;
      state.mode = mode; clearMessage(); applyIndicator();
    });
  }
  $('#locality').addEventListener('change', (e) => { if (e.target.value) revealDetails(); openLocality(e.target.value); });
  $('#compare-form').addEventListener('submit', (e) => {
    e.preventDefault();
    renderScatter($('#compare-out'), $('#compare-x').value, $('#compare-y').value, ctx);
  });
}

// Links pasted into the same tab: apply the new hash.
function onHashChange() {
  const h = readHash();
  const changed = ['indicator', 'scheme', 'k', 'palette', 'mode'].some((k) => h[k] !== state[k]);
  Object.assign(state, { indicator: h.indicator, scheme: h.scheme, k: h.k, palette: h.palette, mode: h.mode });
  syncControls();
  if (changed) applyIndicator();
  if (h.view) hook.map.jumpTo({ center: [h.view.lon, h.view.lat], zoom: h.view.zoom });
  if (h.locality !== state.locality) openLocality(h.locality, { zoom: !h.view });
  if (h.lsoa && h.lsoa !== state.lsoa) openLsoa(h.lsoa, { tab: !h.tab });
  if (h.tab && TABS.includes(h.tab)) selectTab(h.tab);
}

// ---------- static copy ----------

// A static copy (`locality-atlas export site`) has no server to compute on request: custom areas and
// other palettes are switched off, and the page says so.
function staticCopy() {
  $('#palette').disabled = true;
  $('#palette').after(el('span.hint', {}, serverOnly('Other palettes')));
  for (const id of ['mode-select', 'mode-draw', 'custom-clear', 'custom-run', 'lsoa-add']) $(`#${id}`).disabled = true;
  $('#pane-custom').prepend(el('p.server-only', { id: 'custom-static' }, serverOnly('Custom areas')));
  $('header.top').append(el('p.server-only', {}, 'A static copy of the atlas: custom areas, other palettes and most map ',
    'and chart downloads need the atlas server (locality-atlas serve).'));
  $('footer.attribution').append(el('p', {}, 'Tiles read from one PMTiles archive with ',
    el('a', { href: 'vendor/pmtiles/LICENSE.txt' }, 'pmtiles.js'), ' (BSD-3-Clause).'));
}

// ---------- start ----------

// Creates the map once the TileJSON and the first classes are known.
function startMap(tilejson, basemap, view) {
  const units = {
    unit: (id) => catalogue.get(id)?.unit,
    name: (id) => catalogue.get(id)?.name || id,
    interval: (id, code) => values.get(id)?.get(code)?.ci95 ?? null,
  };
  atlas = createMap({
    container: 'map', tilejson, basemap, indicator: state.indicator, classes, view, units,
    onPick: (code, how) => { if (how === 'toggle' && !STATIC) toggleCustom(code); else { revealDetails(); openLsoa(code); } },
    onModeChange: (mode, polygon) => {
      if (mode === 'drawn') { custom.polygon = polygon; renderCustomList(); revealDetails(); runCustom(); return; }
      // Picking and drawing happen on the map: on a phone the drawer makes way.
      if (mode !== 'browse' && narrow.matches) setDrawer('');
      updateModeText();
    },
    onMove: writeHashSoon,
  });
  hook.map = atlas.map;
  wirePractices();
  hook.timing = { mapCreated: performance.now() };
  hook.map.once('load', () => { hook.timing.styleLoaded = performance.now(); });
  hook.map.once('idle', () => {
    hook.readyAt = hook.timing.ready = performance.now();
    markDrawn();
    resolveReady(hook.readyAt);
    if (state.locality && !view) zoomToLocality(state.locality);
    writeHash();
  });
  hook.map.on('error', (e) => showMessage(`Map error: ${e.error?.message || 'tiles could not be loaded'}`));
}

async function boot() {
  const start = readHash();
  Object.assign(state, { ...start, view: undefined });
  delete state.view;
  wireTabs(); wireControls(); wireCustom(); wireDrawers();
  if (STATIC) staticCopy();

  // The map needs only the TileJSON and the classes, so it starts before the catalogue arrives.
  const catalogueP = getJSON('/api/indicators');
  const early = getJSON(classesUrl()).catch(() => null);
  const basemapP = loadBasemap().catch((e) => { showMessage(`The basemap could not be loaded (${e.message}); the map is drawn without it.`); return null; });
  let cat, tilejson, basemap;
  try {
    tilejson = await getJSON('/tiles/lsoa.json');
    await useArchive(tilejson);
    const first = await early;
    basemap = await basemapP;
    if (first) { classes = hook.classes = first; startMap(tilejson, basemap, start.view); }
    cat = await catalogueP;
  } catch (e) {
    showMessage(`The atlas could not start: ${e.message}. Reload the page to try again.`);
    $('#legend-body').replaceChildren(el('p.na', {}, 'No data.'));
    return;
  }
  showPlace(cat.place);
  showPractices(cat.gp_practices);
  // A district figure copied to every LSOA has no map: the profile shows it as the district against England.
  for (const t of cat.themes || []) themes.set(t.id, t);
  for (const ind of cat.indicators) if (!ind.district_figure) catalogue.set(ind.id, ind);
  if (!catalogue.has(state.indicator)) {
    showMessage(`Unknown indicator “${state.indicator}” in the link; showing the default instead.`);
    state.indicator = DEFAULTS.indicator;
  }
  $('#palette').replaceChildren(el('option', { value: '' }, 'Default for this indicator'),
    ...(cat.palettes || []).map((p) => el('option', { value: p.name }, p.colour_blind_safe ? p.name : `${p.name} (not colour-blind safe)`)));
  fillIndicatorSelect($('#indicator'), '', state.indicator);
  fillIndicatorSelect($('#compare-x'), '', 'iod25_imd_score');
  const openingY = OPENING_COMPARED_WITH.find((id) => catalogue.has(id)) || state.indicator;
  fillIndicatorSelect($('#compare-y'), '', state.indicator === 'iod25_imd_score' ? openingY : state.indicator);
  syncControls();
  if (!atlas) {
    try {
      classes = hook.classes = await fetchClasses();
    } catch (e) {
      showMessage(`The map classes could not be loaded: ${e.message}`);
    }
    startMap(tilejson, basemap, start.view);
  }
  describeIndicator(); renderLegend(); renderMapExport(); syncControls(); syncMode();
  // A link to a cluster map: applied now that the catalogue says whether it has one.
  if (shownMode() !== 'values') hook.ready.then(() => applyIndicator());

  loadValues(state.indicator).catch((e) => showMessage(`LSOA list could not be loaded: ${e.message}`));
  getJSON('/api/localities').then((d) => {
    localities = d.localities.map((l) => ({ ...l, context: l.lsoas.every((x) => x.confidence === 'ward_context') }));
    districts = d.districts || [];
    describeLocalities();
    if (districts.length && !localities.length) $('label[for="locality"]').textContent = $('#tab-locality').textContent = 'District';
    $('#locality').append(...localities.map((l) => el('option', { value: l.id }, l.name)), ...districts.map((x) => el('option', { value: x.code }, x.name)));
    atlas.setContextLocalities(localities.filter((l) => l.context).map((l) => l.id));
    if (state.locality && ![...$('#locality').options].some((o) => o.value === state.locality)) {
      showMessage(`Unknown locality “${state.locality}” in the link.`);
      state.locality = '';
    }
    $('#locality').value = state.locality;
    if (state.locality) openLocality(state.locality, { zoom: false, tab: !start.tab });
  }).catch((e) => showMessage(`Localities could not be loaded: ${e.message}`));
  if (state.lsoa) openLsoa(state.lsoa, { tab: !start.tab && !start.locality });
  if (start.tab && TABS.includes(start.tab)) selectTab(start.tab);
  if (start.tab === 'compare') renderScatter($('#compare-out'), $('#compare-x').value, $('#compare-y').value, ctx);
  renderCustomList();
  window.addEventListener('hashchange', onHashChange);
}

boot();
