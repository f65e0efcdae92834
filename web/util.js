// Small helpers shared by the page's modules: fetching, formatting, DOM building.

export class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

// The page runs on the atlas server, or as a static copy written by `locality-atlas export site`
// (index.html says which), where each answer the page needs is a file beside the page.
export const STATIC = document.querySelector('meta[name="atlas-mode"]')?.content === 'static';

// What a static copy says of a feature that the server computes on request.
export const serverOnly = (what) => `${what}: computed on request by the atlas server, so not in this static copy.`;

// Where the answer to an API URL is: the URL on the server; in a static copy the file holding it,
// relative to the page, its parameters (a POST body's too) sorted by name into the file name, as
// src/site/requests.rs names them. Another origin's URL (a basemap's) is left as it is.
export function siteUrl(url, body) {
  if (!STATIC || /^[a-z]+:/i.test(url)) return url;
  const [path, query = ''] = url.split('?');
  const params = [...new URLSearchParams(query), ...Object.entries(body || {}).map(([k, v]) => [k, [v].flat().join(',')])]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const file = path.replace(/^\//, '');
  const ext = /\.(json|html|svg|csv)$/.exec(file)?.[0] ?? '';
  const stem = file.slice(0, file.length - ext.length);
  if (!params.length) return `${stem}${ext || '.json'}`;
  return `${stem}/${params.map(([k, v]) => `${k}=${v}`).join('&')}${ext || '.json'}`;
}

// GET (or POST when `body` is given) JSON; throws HttpError with the API's own error text.
export async function getJSON(url, body) {
  const opts = body === undefined || STATIC ? {} : {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  };
  let res;
  try { res = await fetch(siteUrl(url, body), opts); } catch { throw new HttpError(0, 'The server did not answer.'); }
  if (STATIC && res.status === 404) throw new HttpError(404, serverOnly(url.split('?')[0]));
  if (!res.ok) {
    let msg = `${res.status} ${res.statusText}`;
    try { const e = await res.json(); msg = [e.error, e.detail].filter(Boolean).join(': ') || msg; } catch { /* not JSON */ }
    throw new HttpError(res.status, msg);
  }
  return res.json();
}

// Does the server answer this URL? Cached per key, so a missing feature costs one request. A static
// copy lists the figures it holds in its site.json.
const probes = new Map();
let figures;
export function available(key, url) {
  if (STATIC) {
    figures ??= fetch('site.json').then((r) => r.json()).then((site) => new Set(site.figures), () => new Set());
    return figures.then((held) => held.has(siteUrl(url)));
  }
  if (!probes.has(key)) {
    probes.set(key, fetch(url, { method: 'HEAD' }).then(r => r.ok, () => false));
  }
  return probes.get(key);
}

// el('p.note', {id: 'x'}, 'text', child) — tiny element builder (no innerHTML anywhere).
export function el(tag, attrs, ...kids) {
  const [name, ...classes] = tag.split('.');
  const node = document.createElement(name);
  if (classes.length) node.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k in node && typeof v !== 'string') node[k] = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat()) {
    if (kid !== undefined && kid !== null && kid !== false) node.append(kid instanceof Node ? kid : String(kid));
  }
  return node;
}

export const $ = (sel) => document.querySelector(sel);

// Number formatting: whole numbers for big values, one decimal for %, else up to 2 decimals.
export function fmtNum(v, unit = '') {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  let digits = a >= 1000 ? 0 : a >= 10 || unit === '%' ? 1 : 2;
  if (/^(rank|decile)/.test(unit) || ['people', 'children', 'people aged 60+'].includes(unit)) digits = 0;
  return v.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: unit === '%' ? digits : 0 });
}

// `missing`: what to say when there is no value (the API says whether it was withheld).
export function fmtValue(v, unit, missing = 'No value: not published by MHCLG, or withheld (small count)') {
  if (v === null || v === undefined) return missing;
  const n = fmtNum(v, unit);
  if (unit === '%') return `${n}%`;
  if (unit === 'decile') return `decile ${n}`;
  if (unit === 'score' || !unit) return n;
  return `${n} ${unit}`;
}

export function fmtCI(ci, unit) {
  if (!ci) return '';
  return `${fmtNum(ci.lower, unit)} to ${fmtNum(ci.upper, unit)}`;
}

export function debounce(fn, ms) {
  let t;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}
