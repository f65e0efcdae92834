// The MapLibre map: style (the optional basemap, choropleth or cluster classes, labels), GP practices, hover
// tooltip, picking and polygon drawing.
import { el, fmtValue, fmtCI, getJSON, STATIC, HttpError } from './util.js';

// The no-data grey comes with the classes from the server; without classes nothing is filled.
const noData = (classes) => classes?.no_data?.colour ?? 'rgba(0, 0, 0, 0)';
// GP practices: the dot colour of the static map figure (src/render/figures/map.rs, PRACTICE_COLOUR).
export const PRACTICE_COLOUR = '#7b3294';
// The practice layers, open above closed; the tiles carry practices from zoom 11 (TileJSON).
const PRACTICE_LAYERS = ['gp-practices', 'gp-practices-closed'];
const PRACTICE_MIN_ZOOM = 11;

// CSP build: the worker is a same-origin script, not a blob: URL. Start it while the page fetches data.
maplibregl.setWorkerUrl('vendor/maplibre-gl/maplibre-gl-csp-worker.js');
maplibregl.prewarm();
const EMPTY = { type: 'FeatureCollection', features: [] };

// Smallest double above x: classes hold lower < value <= upper, while `step` starts a class AT its stop,
// so each stop sits just above the previous class's upper bound.
function nextUp(x) {
  if (!Number.isFinite(x)) return x;
  if (x === 0) return Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const i = new BigInt64Array(f.buffer);
  i[0] += x > 0 ? 1n : -1n;
  return f[0];
}

// fill-color: no-data colour where the tile lacks the property (suppressed/unpublished), else a step.
export function fillExpression(id, classes) {
  const nodata = noData(classes);
  if (!classes || !classes.classes.length) return nodata;
  const step = ['step', ['to-number', ['get', id]], classes.classes[0].colour];
  let last = -Infinity;
  for (let i = 1; i < classes.classes.length; i++) {
    const stop = nextUp(classes.classes[i - 1].upper);
    if (stop > last) { step.push(stop, classes.classes[i].colour); last = stop; }
    else step[step.length - 1] = classes.classes[i].colour; // empty class: same stop, later colour wins
  }
  // A step needs a stop: with one class (a district of one LSOA) every value takes its colour.
  return ['case', ['has', id], step.length > 3 ? step : step[2], nodata];
}

// Tile URLs that carry only the indicator drawn (the identifying fields always come); a static
// copy's archive holds whole tiles.
const withFields = (urls, id) => (STATIC ? urls
  : urls.map((u) => `${u}${u.includes('?') ? '&' : '?'}fields=${encodeURIComponent(id)}`));

// A static copy's TileJSON names its PMTiles archive (`pmtiles://ARCHIVE/{z}/{x}/{y}`), read with
// HTTP range requests by pmtiles.js. A host that ignores ranges (python3 -m http.server) answers the
// first with the whole archive, which is then read from memory.
export async function useArchive(tilejson) {
  if (!STATIC) return;
  await new Promise((resolve, reject) => {
    document.head.append(el('script', { src: 'vendor/pmtiles/pmtiles.js', onload: resolve, onerror: reject }));
  });
  const protocol = new pmtiles.Protocol();
  maplibregl.addProtocol('pmtiles', protocol.tile);
  const archive = tilejson.tiles[0].replace(/^pmtiles:\/\//, '').replace(/\/\{z\}\/\{x\}\/\{y\}$/, '');
  const res = await fetch(archive, { headers: { Range: 'bytes=0-16383' } });
  if (res.status === 200) {
    const whole = await res.arrayBuffer();
    protocol.add(new pmtiles.PMTiles({
      getKey: () => archive,
      getBytes: async (offset, length) => ({ data: whole.slice(offset, offset + length) }),
    }));
  } else if (res.status === 206) {
    await res.body?.cancel();
  } else {
    throw new HttpError(res.status, `the map tiles (${archive}) could not be read`);
  }
}

// fill-color of the cluster mode: each LSOA's published class colour by code, from the clusters API's
// legend (the server owns classes and colours); LSOAs it left out take the left-out colour.
export function clusterExpression(answer) {
  const colour = new Map(answer.map_legend.map((e) => [e.class, e.colour]));
  const leftOut = colour.get('left_out') ?? 'rgba(0, 0, 0, 0)';
  if (!answer.lsoas.length) return leftOut;
  const match = ['match', ['get', 'code']];
  for (const l of answer.lsoas) match.push(l.code, colour.get(l.class) || leftOut);
  match.push(leftOut);
  return match;
}

// Which fill shows the indicator: MSOA figures are drawn on MSOAs, never on their LSOAs.
const byMsoa = (classes) => classes?.geography === 'msoa';

// The basemap the server was started with (`serve --basemap`), or null: the page's settings element holds
// it as percent-encoded JSON. A style's document is fetched here; the atlas's layers then go on top of it.
export async function loadBasemap() {
  const settings = document.querySelector('meta[name="basemap"]')?.content;
  if (!settings) return null;
  const basemap = JSON.parse(decodeURIComponent(settings));
  if (basemap.kind === 'style') basemap.style = await getJSON(basemap.url);
  return basemap;
}

// MapLibre sets attributions as HTML: the operator's text is shown as text.
const asText = (t) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Fonts of the labels. Without a glyph server (the default) MapLibre draws the text in the browser with
// the stack as CSS families, falling back to sans-serif; a basemap style's glyph server gets the fonts
// its own labels use.
function labelFonts(base) {
  const stacks = (base?.glyphs ? base.layers : []).map((l) => l.layout?.['text-font'])
    .filter((f) => Array.isArray(f) && f.every((x) => typeof x === 'string'));
  const regular = stacks.find((f) => !/bold/i.test(f.join())) || stacks[0] || ['Noto Sans Regular'];
  return { regular, bold: stacks.find((f) => /bold/i.test(f.join())) || (stacks.length ? regular : ['Noto Sans Bold']) };
}

// Ward names from zoom 11, locality names at every zoom (the tiles' label points); localities win a clash.
function labelLayers(fonts) {
  const labels = (kind) => ({ type: 'symbol', source: 'atlas', 'source-layer': 'labels', filter: ['==', ['get', 'kind'], kind] });
  return [
    { id: 'labels-wards', ...labels('ward'), minzoom: 11,
      layout: { 'text-field': ['get', 'name'], 'text-font': fonts.regular, 'text-max-width': 7, 'text-padding': 6,
        'text-size': ['interpolate', ['linear'], ['zoom'], 11, 11, 15, 15] },
      paint: { 'text-color': '#2b2b2b', 'text-halo-color': '#ffffff', 'text-halo-width': 1.6 } },
    { id: 'labels-localities', ...labels('locality'),
      layout: { 'text-field': ['get', 'name'], 'text-font': fonts.bold, 'text-max-width': 9,
        'text-size': ['interpolate', ['linear'], ['zoom'], 10, 12, 15, 17] },
      paint: { 'text-color': '#111111', 'text-halo-color': '#ffffff', 'text-halo-width': 2 } },
  ];
}

// The atlas's style, drawn over the basemap when there is one: a raster basemap is a layer above the
// background; a basemap style keeps its own sources, layers, sprite and glyphs beneath the atlas's layers.
function withBasemap(atlas, basemap) {
  if (!basemap) return atlas;
  const attribution = asText(basemap.attribution);
  if (basemap.kind === 'raster') {
    const source = { type: 'raster', tiles: [basemap.url], tileSize: 256, attribution };
    const [background, ...rest] = atlas.layers;
    return { ...atlas, sources: { basemap: source, ...atlas.sources },
      layers: [background, { id: 'basemap', type: 'raster', source: 'basemap' }, ...rest] };
  }
  // The atlas's view is the map's; the basemap style's own camera is dropped.
  const { center, zoom, bearing, pitch, ...base } = basemap.style;
  const sources = { ...base.sources, ...atlas.sources };
  const first = Object.keys(base.sources)[0];
  if (first) sources[first] = { ...sources[first], attribution: [sources[first].attribution, attribution].filter(Boolean).join(' ') };
  const own = new Set(atlas.layers.map((l) => l.id));
  return { ...base, sources, transition: atlas.transition,
    layers: [...base.layers.filter((l) => !own.has(l.id)), ...atlas.layers.filter((l) => l.id !== 'background')] };
}

// Outlines fade in as areas grow on screen. Zoomed out over a city an LSOA is a pixel or two
// across and a ward a few, so their outlines would cover the colours (inner London read as pale);
// the fill alone shows the classes there.
const fadeIn = (from, to, opacity) => ['interpolate', ['linear'], ['zoom'], from, 0, to, opacity];
const LSOA_OUTLINE = fadeIn(9, 12, 0.7);
const MSOA_OUTLINE = fadeIn(8, 11, 1);
const WARD_OUTLINE = fadeIn(9, 11, 0.8);

function style(tiles, indicator, classes, basemap) {
  const lsoa = { source: 'atlas', 'source-layer': 'lsoa' };
  const msoa = { source: 'atlas', 'source-layer': 'msoa' };
  const msoaShown = byMsoa(classes) ? 'visible' : 'none';
  const none = ['==', ['get', 'code'], ''];
  // Streets and places show through the choropleth when there is a basemap beneath it.
  const opacity = basemap ? 0.72 : 1;
  return withBasemap({
    version: 8,
    transition: { duration: 0, delay: 0 },
    sources: {
      atlas: {
        type: 'vector', tiles: withFields(tiles.tiles, indicator), minzoom: tiles.minzoom ?? 0, maxzoom: Math.min(tiles.maxzoom ?? 14, 16),
        bounds: tiles.bounds, attribution: tiles.attribution,
      },
      draw: { type: 'geojson', data: EMPTY },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#e9edf1' } },
      { id: 'lsoa-fill', type: 'fill', ...lsoa, paint: { 'fill-color': byMsoa(classes) ? noData(classes) : fillExpression(indicator, classes), 'fill-opacity': opacity, 'fill-antialias': false } },
      { id: 'lsoa-line', type: 'line', ...lsoa, paint: { 'line-color': '#ffffff', 'line-width': 0.5, 'line-opacity': LSOA_OUTLINE } },
      // England's atlas draws no district outlines: a chosen district stands out by fading the LSOAs
      // of every other.
      { id: 'lsoa-outside', type: 'fill', ...lsoa, layout: { visibility: 'none' }, paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.65 } },
      { id: 'msoa-fill', type: 'fill', ...msoa, layout: { visibility: msoaShown },
        paint: { 'fill-color': byMsoa(classes) ? fillExpression(indicator, classes) : noData(classes), 'fill-opacity': opacity, 'fill-antialias': false } },
      { id: 'msoa-line', type: 'line', ...msoa, layout: { visibility: msoaShown }, paint: { 'line-color': '#ffffff', 'line-width': 1.5, 'line-opacity': MSOA_OUTLINE } },
      { id: 'wards-line', type: 'line', source: 'atlas', 'source-layer': 'wards',
        paint: { 'line-color': '#4d4d4d', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.6, 14, 1.4], 'line-opacity': WARD_OUTLINE } },
      { id: 'localities-casing', type: 'line', source: 'atlas', 'source-layer': 'localities',
        paint: { 'line-color': '#ffffff', 'line-width': 5, 'line-opacity': 0.9 } },
      { id: 'localities-context', type: 'line', source: 'atlas', 'source-layer': 'localities', filter: ['==', ['get', 'id'], ''],
        paint: { 'line-color': '#111111', 'line-width': 1.6, 'line-dasharray': [2, 2] } },
      { id: 'localities-line', type: 'line', source: 'atlas', 'source-layer': 'localities',
        paint: { 'line-color': '#111111', 'line-width': 2.2 } },
      { id: 'lsoa-picked', type: 'line', ...lsoa, filter: none,
        paint: { 'line-color': '#1749b3', 'line-width': 3.5, 'line-dasharray': [2, 1] } },
      { id: 'lsoa-hover', type: 'line', ...lsoa, filter: none, paint: { 'line-color': '#000000', 'line-width': 2 } },
      { id: 'lsoa-selected-casing', type: 'line', ...lsoa, filter: none, paint: { 'line-color': '#ffffff', 'line-width': 6 } },
      { id: 'lsoa-selected', type: 'line', ...lsoa, filter: none, paint: { 'line-color': '#000000', 'line-width': 3 } },
      { id: 'gp-practices-closed', type: 'circle', source: 'atlas', 'source-layer': 'gp_practices', minzoom: PRACTICE_MIN_ZOOM,
        filter: ['==', ['get', 'status'], 'closed'], layout: { visibility: 'none' },
        paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 3, 15, 6], 'circle-color': '#ffffff',
          'circle-stroke-color': '#4d4d4d', 'circle-stroke-width': 1.5 } },
      { id: 'gp-practices', type: 'circle', source: 'atlas', 'source-layer': 'gp_practices', minzoom: PRACTICE_MIN_ZOOM,
        filter: ['==', ['get', 'status'], 'open'],
        paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 3.5, 15, 7], 'circle-color': PRACTICE_COLOUR,
          'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 } },
      ...labelLayers(labelFonts(basemap?.style)),
      { id: 'draw-fill', type: 'fill', source: 'draw', filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'fill-color': '#1749b3', 'fill-opacity': 0.15 } },
      { id: 'draw-line', type: 'line', source: 'draw', filter: ['!=', ['geometry-type'], 'Point'],
        paint: { 'line-color': '#1749b3', 'line-width': 2.5 } },
      { id: 'draw-points', type: 'circle', source: 'draw', filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-radius': 5, 'circle-color': '#ffffff', 'circle-stroke-color': '#1749b3', 'circle-stroke-width': 2 } },
    ],
  }, basemap);
}

// Root-relative tiles: the TileJSON's absolute URLs name the host the server saw, which behind a proxy
// may not be the page's origin.
const sameOrigin = (u) => u.replace(/^https?:\/\/[^/]+/, location.origin);

export function createMap({ container, tilejson, basemap, indicator, classes, view, units, onPick, onModeChange, onMove }) {
  const tiles = { ...tilejson, tiles: tilejson.tiles.map(sameOrigin) };
  const b = tiles.bounds || [-1.615, 52.364, -1.424, 52.465];
  const opts = {
    container, style: style(tiles, indicator, classes, basemap), attributionControl: false,
    maxBounds: [[b[0] - 0.35, b[1] - 0.22], [b[2] + 0.35, b[3] + 0.22]],
    canvasContextAttributes: { preserveDrawingBuffer: true, antialias: false },
    fadeDuration: 0,
    dragRotate: false, pitchWithRotate: false, touchPitch: false,
    boxZoom: false, // shift-click toggles LSOAs in the custom area instead
    locale: { 'Map.Title': `Choropleth map of ${tilejson.district || 'the district'} LSOAs` },
  };
  if (view) Object.assign(opts, { center: [view.lon, view.lat], zoom: view.zoom });
  else opts.bounds = [[b[0], b[1]], [b[2], b[3]]], opts.fitBoundsOptions = { padding: { top: 16, left: 16, right: 16, bottom: 64 } };
  const map = new maplibregl.Map(opts);
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  map.addControl(new maplibregl.AttributionControl({ compact: true }), 'bottom-right');
  // The page footer carries the full attribution, so the map's own starts folded behind its (i) button.
  map.once('load', () => map.getContainer().querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show'));
  map.touchZoomRotate.disableRotation();

  const state = { indicator, tilesFor: indicator, mode: 'browse', vertices: [], cursor: null, msoa: byMsoa(classes), clusters: null };
  const tooltip = el('div.tooltip', { 'aria-hidden': 'true', hidden: true });
  map.getContainer().append(tooltip);

  // Style changes wait for the map's first load (callers may run before it). Not isStyleLoaded,
  // which is false again whenever tiles are loading, when 'load' has long been and gone.
  let loaded = false;
  map.once('load', () => { loaded = true; });
  const whenLoaded = (fn) => (loaded ? fn() : map.once('load', fn));
  const setFilter = (layer, codes) => whenLoaded(() =>
    map.setFilter(layer, ['in', ['get', 'code'], ['literal', codes.length ? codes : ['']]]));

  // GP practices under a point of the map (shown layers only), one per practice.
  const practicesAt = (point) => {
    const layers = PRACTICE_LAYERS.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
    if (!layers.length) return [];
    const box = [[point.x - 4, point.y - 4], [point.x + 4, point.y + 4]];
    return unique(map.queryRenderedFeatures(box, { layers }));
  };
  const placeTooltip = ({ x, y }) => {
    const w = map.getContainer().clientWidth;
    tooltip.style.left = `${Math.min(x + 14, w - 250)}px`;
    tooltip.style.top = `${y + 14}px`;
  };

  // Popup of the practices at one place (several share a health centre's postcode); Escape closes it.
  let popup = null;
  function showPractices(features, returnFocus) {
    if (!features.length) return;
    popup?.remove();
    const node = el('div.practice-popup', { role: 'dialog', 'aria-label': 'GP practices here' },
      ...features.map((f) => describePractice(f.properties, 'h3')));
    node.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); popup?.remove(); } });
    popup = new maplibregl.Popup({ maxWidth: '300px', focusAfterOpen: true })
      .setLngLat(features[0].geometry.coordinates).setDOMContent(node).addTo(map);
    popup.on('close', () => returnFocus?.focus());
  }

  // Hover tooltip: a GP practice's name, address and status; else the LSOA name, ward, value with unit,
  // interval where the API gives counts.
  let hovered = null;
  map.on('mousemove', 'lsoa-fill', (e) => {
    const f = e.features[0];
    if (!f) return;
    const here = state.mode === 'draw' ? [] : practicesAt(e.point);
    if (here.length) {
      tooltip.replaceChildren(...here.map((x) => describePractice(x.properties, 'strong')));
      tooltip.hidden = false;
      placeTooltip(e.point);
      map.getCanvas().style.cursor = 'pointer';
      return;
    }
    const p = f.properties;
    if (hovered !== p.code) { hovered = p.code; setFilter('lsoa-hover', [p.code]); }
    const unit = units.unit(state.indicator);
    // An MSOA indicator's value belongs to the MSOA under the pointer, not to the LSOA.
    const m = state.msoa ? map.queryRenderedFeatures(e.point, { layers: ['msoa-fill'] })[0]?.properties : null;
    const v = state.msoa ? m?.[state.indicator] : p[state.indicator];
    const ci = v === undefined || state.msoa ? null : units.interval(state.indicator, p.code);
    const cluster = state.clusters && (state.clusters.lsoas.get(p.code) || 'left_out');
    tooltip.replaceChildren(el('span', {},
      el('strong', {}, p.name ?? p.code), p.name ? ` (${p.code})` : '',
      el('br'), `${units.name(state.indicator)}: `, el('b', {}, fmtValue(v ?? null, unit)),
      m ? el('span', {}, el('br'), `MSOA figure: ${m.name} (${m.neighbourhood})`) : null,
      ci ? el('span', {}, el('br'), `95% interval ${fmtCI(ci, unit)}`) : null,
      cluster ? el('span', {}, el('br'), 'Cluster map: ', el('b', {}, state.clusters.labels.get(cluster) || cluster)) : null));
    tooltip.hidden = state.mode === 'draw';
    placeTooltip(e.point);
    map.getCanvas().style.cursor = state.mode === 'draw' ? 'crosshair' : 'pointer';
  });
  map.on('mouseleave', 'lsoa-fill', () => {
    hovered = null; setFilter('lsoa-hover', []); tooltip.hidden = true;
    map.getCanvas().style.cursor = state.mode === 'draw' ? 'crosshair' : '';
  });

  // Clicks: browse → open the LSOA; select mode (or shift-click) → toggle in the custom area; draw → vertex.
  map.on('click', (e) => {
    if (state.mode === 'draw') {
      state.vertices.push([e.lngLat.lng, e.lngLat.lat]);
      redraw();
      return;
    }
    const toggle = state.mode === 'select' || e.originalEvent.shiftKey;
    const here = toggle ? [] : practicesAt(e.point);
    if (here.length) { showPractices(here); return; }
    const f = map.queryRenderedFeatures(e.point, { layers: ['lsoa-fill'] })[0];
    if (!f) return;
    onPick(f.properties.code, toggle ? 'toggle' : 'open');
  });
  map.on('dblclick', (e) => {
    if (state.mode !== 'draw') return;
    e.preventDefault();
    finishDrawing();
  });
  map.on('mousemove', (e) => {
    if (state.mode !== 'draw' || !state.vertices.length) return;
    state.cursor = [e.lngLat.lng, e.lngLat.lat];
    redraw();
  });
  map.on('moveend', () => onMove && onMove());

  function redraw() {
    const v = state.vertices;
    const features = v.map((c) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties: {} }));
    const ring = state.cursor && state.mode === 'draw' ? [...v, state.cursor] : v;
    if (ring.length >= 3 && state.mode === 'draw') {
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [...ring, ring[0]] } });
    } else if (ring.length >= 2) {
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: ring } });
    }
    if (state.mode !== 'draw' && v.length >= 3) {
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...v, v[0]]] } });
    }
    whenLoaded(() => map.getSource('draw').setData({ type: 'FeatureCollection', features }));
  }

  function setMode(mode) {
    if (state.mode === 'draw' && mode !== 'draw') state.cursor = null;
    state.mode = mode;
    if (mode === 'draw') { state.vertices = []; state.cursor = null; map.doubleClickZoom.disable(); }
    else map.doubleClickZoom.enable();
    map.getCanvas().style.cursor = mode === 'draw' ? 'crosshair' : '';
    redraw();
    onModeChange(mode);
  }

  function finishDrawing() {
    // A double-click also fires two clicks: drop the duplicate vertex they add.
    const v = state.vertices.filter((c, i, a) => i === 0 || c[0] !== a[i - 1][0] || c[1] !== a[i - 1][1]);
    state.vertices = v;
    if (v.length < 3) return false;
    const polygon = { type: 'Polygon', coordinates: [[...v, v[0]]] };
    setMode('browse');
    onModeChange('drawn', polygon);
    return true;
  }

  document.addEventListener('keydown', (e) => {
    if (state.mode !== 'draw') return;
    if (e.key === 'Enter') { e.preventDefault(); finishDrawing(); }
    else if (e.key === 'Escape') { state.vertices = []; setMode('browse'); }
    else if (e.key === 'Backspace' && state.vertices.length && e.target === map.getCanvas()) {
      e.preventDefault(); state.vertices.pop(); redraw();
    }
  });

  // Bounding box of a locality outline from the loaded tiles (null if not loaded).
  function localityBounds(id) {
    const feats = map.querySourceFeatures('atlas', { sourceLayer: 'localities', filter: ['==', ['get', 'id'], id] });
    if (!feats.length) return null;
    const bb = new maplibregl.LngLatBounds();
    for (const f of feats) {
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const poly of polys) for (const c of poly[0]) bb.extend(c);
    }
    return bb;
  }

  return {
    map,
    setIndicator(id, cls) {
      // The tiles carry one indicator's values: fetch them anew when another is drawn.
      const changed = id !== state.tilesFor;
      state.tilesFor = id;
      state.indicator = id;
      state.msoa = byMsoa(cls);
      state.clusters = null;
      whenLoaded(() => {
        const shown = state.msoa ? 'visible' : 'none';
        map.setPaintProperty('lsoa-fill', 'fill-color', state.msoa ? noData(cls) : fillExpression(id, cls));
        map.setPaintProperty('msoa-fill', 'fill-color', state.msoa ? fillExpression(id, cls) : noData(cls));
        map.setLayoutProperty('msoa-fill', 'visibility', shown);
        map.setLayoutProperty('msoa-line', 'visibility', shown);
        // Then the tiles of the new indicator, once the new colours have reached the map's
        // workers (on the next render), so that the tiles are coloured by them as they arrive.
        if (changed) map.once('render', () => map.getSource('atlas').setTiles(withFields(tiles.tiles, state.indicator)));
      });
    },
    // Colours the LSOAs by their cluster class (the clusters API's answer) instead of the choropleth.
    setClusters(id, answer) {
      state.indicator = id;
      state.msoa = false;
      state.clusters = {
        lsoas: new Map(answer.lsoas.map((l) => [l.code, l.class])),
        labels: new Map(answer.map_legend.map((e) => [e.class, e.label])),
      };
      whenLoaded(() => {
        map.setPaintProperty('lsoa-fill', 'fill-color', clusterExpression(answer));
        map.setLayoutProperty('msoa-fill', 'visibility', 'none');
        map.setLayoutProperty('msoa-line', 'visibility', 'none');
      });
    },
    setSelected(code) {
      setFilter('lsoa-selected', code ? [code] : []);
      setFilter('lsoa-selected-casing', code ? [code] : []);
    },
    setPicked: (codes) => setFilter('lsoa-picked', codes),
    // The LSOAs of the chosen district of England's atlas, or null: every LSOA outside it is faded.
    setDistrict(codes) {
      whenLoaded(() => {
        if (codes) map.setFilter('lsoa-outside', ['!', ['in', ['get', 'code'], ['literal', codes]]]);
        map.setLayoutProperty('lsoa-outside', 'visibility', codes ? 'visible' : 'none');
      });
    },
    // Localities that are only ward context (e.g. a ward extent) get a dashed outline.
    setContextLocalities(ids) {
      const list = ['literal', ids.length ? ids : ['']];
      whenLoaded(() => {
        map.setFilter('localities-context', ['in', ['get', 'id'], list]);
        map.setFilter('localities-line', ['!', ['in', ['get', 'id'], list]]);
      });
    },
    setMode,
    finishDrawing,
    clearDrawing() { state.vertices = []; redraw(); },
    get mode() { return state.mode; },
    localityBounds,
    // Shows or hides the open and the closed practices.
    setPracticeLayers({ open, closed }) {
      whenLoaded(() => {
        map.setLayoutProperty('gp-practices', 'visibility', open ? 'visible' : 'none');
        map.setLayoutProperty('gp-practices-closed', 'visibility', closed ? 'visible' : 'none');
      });
    },
    // The shown practices drawn in the current view, by name; [] below the practices' first zoom.
    practicesInView() {
      if (map.getZoom() < PRACTICE_MIN_ZOOM) return null;
      const layers = PRACTICE_LAYERS.filter((id) => map.getLayoutProperty(id, 'visibility') !== 'none');
      if (!layers.length) return [];
      return unique(map.queryRenderedFeatures({ layers })).sort((a, b) => a.properties.name.localeCompare(b.properties.name));
    },
    // Opens the popup of a practice (and of any sharing its site), returning focus to `from` when closed.
    openPractice(feature, from) {
      const [lon, lat] = feature.geometry.coordinates;
      const here = this.practicesInView()?.filter((f) => f.geometry.coordinates[0] === lon && f.geometry.coordinates[1] === lat);
      showPractices(here?.length ? here : [feature], from);
    },
  };
}

// One entry per practice: a tile's buffer repeats a practice near a tile edge.
function unique(features) {
  const seen = new Set();
  return features.filter((f) => !seen.has(f.properties.code) && seen.add(f.properties.code));
}

// A practice's name (in the given element), address and status, as nodes.
export function describePractice(p, heading) {
  return el('div.practice', {},
    el(`${heading}.practice-name`, {}, p.name), el('div', {}, p.address),
    el('div', {}, el(`span.status.${p.status === 'open' ? 'open' : 'closed'}`, {}, p.status === 'open' ? 'Open GP practice' : 'Closed GP practice'),
      ` (${p.code})`));
}
