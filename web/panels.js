// Side-panel content: profile tables, chart figures with downloads, LSOA, locality and custom-area views.
import {
  el, getJSON, available, fmtNum, fmtValue, fmtCI, STATIC, siteUrl, serverOnly,
} from './util.js';

// The district the atlas describes (from /api/indicators), named wherever a figure is compared with it.
let district = 'the district';

// Sets the district's name once the catalogue has loaded.
export function setDistrict(name) { if (name) district = name; }

// ---------- charts (served by /charts and /export; may not exist on older servers) ----------

const qs = (params) => new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== '')).toString();

// A figure with the chart as <img> and links to SVG, PNG (screen, 2x, print) and CSV.
export function chartFigure({ kind, params, title, alt, note }) {
  const q = qs(params);
  const svg = `/charts/${kind}.svg?${q}`;
  const csv = `/export/${kind}.csv?${q}`;
  const body = el('div.chart-body', {}, el('p.muted', {}, 'Loading chart…'));
  const fig = el('figure.chart', { dataset: { kind } }, el('h3', {}, title), body);
  available('charts', svg).then(async (ok) => {
    if (!ok) {
      body.replaceChildren(el('p.na', {}, STATIC ? serverOnly('This chart') : 'Chart not available from this server.'));
      return;
    }
    const img = el('img', { src: siteUrl(svg), alt, decoding: 'async' });
    // The server says why a chart cannot be drawn (e.g. a ratio that no area of several LSOAs has).
    img.addEventListener('error', async () => {
      const detail = STATIC ? null : await fetch(svg).then((r) => r.json()).then((j) => j.detail).catch(() => null);
      img.replaceWith(el('p.na', {}, `This chart could not be drawn for this selection${detail ? `: ${detail}` : ''}.`));
    });
    const name = title.toLowerCase();
    const links = [
      el('a', { href: siteUrl(svg), download: `${kind}.svg`, 'aria-label': `Download ${name} as SVG` }, 'SVG'),
      // A static copy holds each figure's SVG and CSV; PNGs are drawn on request.
      ...(STATIC ? [] : [
        el('a', { href: `/charts/${kind}.png?${q}&size=2x`, download: `${kind}.png`, 'aria-label': `Download ${name} as PNG` }, 'PNG'),
        el('a', { href: `/charts/${kind}.png?${q}&size=print`, download: `${kind}-print.png`, 'aria-label': `Download ${name} as print-quality PNG` }, 'PNG (print)'),
      ]),
    ];
    if (await available('export', csv)) {
      links.push(el('a', { href: siteUrl(csv), download: `${kind}.csv`, 'aria-label': `Download the data behind ${name} as CSV` }, 'CSV'));
    }
    body.replaceChildren(img, el('figcaption', {}, note ? el('span', {}, note, ' ') : null, 'Download: ', ...links.flatMap((a, i) => (i ? [' · ', a] : [a]))));
  });
  return fig;
}

// ---------- profile table (locality, custom area, single LSOA) ----------

// A benchmark cell: its value and the server's words for the comparison (never colour alone).
function comparisonCell(cmp, unit) {
  if (!cmp) return el('td', {}, '–');
  return el('td', { dataset: { comparison: cmp.comparison || 'not_compared' } },
    el('span.num', {}, fmtNum(cmp.value, unit)), ' ',
    el(`span.comp.comp-${cmp.comparison || 'not_compared'}`, {}, cmp.label || ''),
    cmp.published ? el('span.published', { title: cmp.published.basis }, ` (published ${fmtNum(cmp.published.value, unit)})`) : null);
}

// The statistical neighbours' average, range and the server's words for where the value sits among them.
function similarCell(n, unit) {
  if (!n) return el('td.similar', {}, '–');
  return el('td.similar', { title: n.basis },
    el('span.num', {}, fmtNum(n.mean, unit)), el('span.ci', {}, ` (${fmtNum(n.lowest, unit)} to ${fmtNum(n.highest, unit)})`), ' ',
    el('span.label', {}, n.label));
}

// Names a reader can split: semicolons when a name holds a comma ("Kingston upon Hull, City of").
function nameList(names) {
  return names.join(names.some((n) => n.includes(',')) ? '; ' : ', ');
}

function valueText(ind) {
  if (ind.value !== null && ind.value !== undefined) return fmtValue(ind.value, ind.unit);
  if (ind.distribution) return 'By national decile (see reading)';
  if (ind.method === 'not_combinable') return 'No area ratio (see reading)';
  if (ind.suppressed) return `Suppressed: ${ind.suppressed}`;
  if (ind.district_figure) return 'District figure only';
  return 'Not published by MHCLG';
}

// `current`: indicator id to highlight; `values`: optional {id: value} overriding the profile's values.
export function profileTable(profile, { current, caption, values } = {}) {
  // Rows come grouped by the strategy's themes, in the server's order.
  const byTheme = new Map();
  for (const ind of profile.indicators) {
    const theme = ind.theme_name || ind.topic;
    if (!byTheme.has(theme)) byTheme.set(theme, []);
    byTheme.get(theme).push(ind);
  }
  // A column for the similar districts where the district has them.
  const similar = profile.indicators.some((ind) => ind.neighbours);
  // A whole district is read against England alone: a district column would only repeat its own
  // figures (and in England's atlas the place is England, not the district).
  const whole = profile.level === 'district' || profile.level === 'city';
  const headings = ['Indicator', 'Value (95% interval)', ...(whole ? [] : [profile.district || district]), 'England',
    ...(similar ? ['Similar districts: average (range)'] : []), 'Reading', 'Since 2019 (relative)'];
  const table = el('table.profile', { dataset: { area: profile.id } },
    el('caption', {}, caption || `Indicators for ${profile.name}`),
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', { scope: 'col' }, h)))));
  for (const [theme, inds] of byTheme) {
    const tb = el('tbody', {}, el('tr.topic', {}, el('th', { scope: 'colgroup', colSpan: headings.length }, theme)));
    for (const ind of inds) {
      const v = values && ind.id in values ? { ...ind, value: values[ind.id] } : ind;
      tb.append(el(`tr${ind.id === current ? '.current' : ''}`, { dataset: { indicator: ind.id } },
        el('th', { scope: 'row' }, ind.name, el('span.period', {}, ` ${ind.period}`)),
        el('td', { dataset: { value: v.value ?? '' } }, valueText(v),
          ind.ci95 ? el('span.ci', {}, fmtCI(ind.ci95, ind.unit)) : null,
          // A whole district's own published figure stands beside its value, having no column.
          whole && ind.district?.published && v.value != null ? el('span.published', { title: ind.district.published.basis },
            ` (published ${fmtNum(ind.district.published.value, ind.unit)})`) : null),
        whole ? null : comparisonCell(ind.district, ind.unit),
        comparisonCell(ind.england, ind.unit),
        similar ? similarCell(ind.neighbours, ind.unit) : null,
        el('td.reading', { dataset: { kind: ind.reading?.kind || '' } }, ind.reading?.text || ''),
        el('td.since', {}, ind.since_2019 ? ind.since_2019.words : '–')));
    }
    table.append(tb);
  }
  return el('div.table-wrap', { tabIndex: 0, role: 'region', 'aria-label': caption || `Indicators for ${profile.name}` }, table);
}

const note = (text) => el('p.muted', {}, text);

// ---------- LSOA ----------

export async function renderLsoa(target, code, ctx) {
  target.replaceChildren(note('Loading LSOA…'));
  const [lsoa, prof] = await Promise.all([
    getJSON(`/api/lsoa/${encodeURIComponent(code)}`),
    getJSON('/api/custom-area', { lsoas: [code] }).catch(() => null),
  ]);
  const values = Object.fromEntries(lsoa.indicators.map((i) => [i.id, i.value]));
  const cur = lsoa.indicators.find((i) => i.id === ctx.indicator);
  const curProf = prof?.indicators.find((i) => i.id === ctx.indicator);
  const imd = values.iod25_imd_decile;
  const meta = ctx.catalogue.get(ctx.indicator);
  target.replaceChildren(
    el('h2', { id: 'lsoa-title', tabIndex: -1 }, `${lsoa.name} `, el('span.code', {}, lsoa.code)),
    el('p', { id: 'lsoa-places' }, `Ward: ${lsoa.ward?.name || '–'}. `,
      // In England's atlas: the LSOA's district, and no word of localities unless it has some.
      lsoa.district ? `District: ${lsoa.district.name}. ` : '',
      lsoa.localities.length
        ? `Locality: ${lsoa.localities.map((l) => `${l.name} (${l.confidence.replace(/_/g, ' ')})`).join('; ')}.`
        : ctx.hasLocalities ? 'Not in a community locality.' : ''),
    el('p.imd', { id: 'lsoa-imd' }, 'National IMD 2025 decile: ',
      el('strong', {}, imd ? `${fmtNum(imd)}` : 'not published'),
      imd ? ' (1 = most deprived 10% of neighbourhoods in England)' : ''),
    el('dl.summary', {},
      el('dt', {}, meta ? `${meta.name} (${meta.period})` : ctx.indicator),
      el('dd', { id: 'lsoa-current-value', dataset: { value: cur?.value ?? '' } }, fmtValue(cur?.value ?? null, cur?.unit,
        cur?.suppressed ? `Withheld: ${cur.suppressed}` : 'Not published by MHCLG'),
        cur?.msoa ? ` (figure for MSOA ${cur.msoa.name}, ${cur.msoa.neighbourhood}: published for MSOAs only)` : ''),
      curProf?.ci95 ? [el('dt', {}, '95% interval'), el('dd', {}, fmtCI(curProf.ci95, curProf.unit))] : null,
      curProf ? [
        // The LSOA's own district (in England's atlas the place is England, not the district).
        el('dt', {}, `Compared with ${curProf.district?.name || district}`), el('dd', {}, `${fmtValue(curProf.district?.value, curProf.unit)} – `,
          el(`span.comp.comp-${curProf.district?.comparison}`, {}, curProf.district?.label || '')),
        el('dt', {}, 'Compared with England'), el('dd', {}, `${fmtValue(curProf.england?.value, curProf.unit)} – `,
          el(`span.comp.comp-${curProf.england?.comparison}`, {}, curProf.england?.label || '')),
        el('dt', {}, 'Reading'), el('dd', {}, curProf.reading?.text || ''),
      ] : null),
    lsoa.since_2019?.ranks?.length ? rankMoves(lsoa) : null,
    el('div.actions', {},
      el('button', { type: 'button', onclick: () => ctx.zoomTo(lsoa.interior_point) }, 'Zoom to this LSOA'),
      el('button', { type: 'button', disabled: STATIC, onclick: () => ctx.addToArea(lsoa.code) }, 'Add to custom area')),
    prof ? profileTable(prof, { current: ctx.indicator, values, caption: `All indicators for ${lsoa.name}` })
      : el('p.na', {}, 'Comparisons are not available; values only.'),
  );
  return lsoa;
}

// National position in both editions, as percentiles of England's LSOAs (never levels).
function rankMoves(lsoa) {
  const move = (m) => (m.decile_move === 0 ? 'same decile'
    : `${Math.abs(m.decile_move)} decile${Math.abs(m.decile_move) > 1 ? 's' : ''} ${m.decile_move < 0 ? 'towards' : 'away from'} the most deprived`);
  return el('table.ranks', { id: 'lsoa-ranks' },
    el('caption', {}, lsoa.since_2019.reading),
    el('thead', {}, el('tr', {}, ['Measure', 'IoD2019 percentile (decile)', 'IoD2025 percentile (decile)', 'Move']
      .map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, lsoa.since_2019.ranks.map((m) => el('tr', { dataset: { indicator: m.later } },
      el('th', { scope: 'row' }, m.name),
      el('td', {}, `${fmtNum(m.percentile_2019)} (${m.decile_2019})`),
      el('td', {}, `${fmtNum(m.percentile_2025)} (${m.decile_2025})`),
      el('td', {}, move(m))))));
}

// ---------- locality ----------

export async function renderLocality(target, id, ctx) {
  target.replaceChildren(note('Loading locality profile…'));
  const [prof, att, ineq] = await Promise.all([
    getJSON(`/api/localities/${encodeURIComponent(id)}/profile`),
    getJSON(`/api/localities/${encodeURIComponent(id)}/attention`).catch(() => null),
    // A district of England's atlas: the gradient across its own LSOAs, as its own atlas draws it.
    getJSON(`/api/inequality/${encodeURIComponent(ctx.indicator)}${ctx.isDistrict(id) ? `?district=${encodeURIComponent(id)}` : ''}`)
      .catch(() => null),
  ]);
  const meta = ctx.catalogue.get(ctx.indicator);
  const iname = meta?.name || ctx.indicator;
  const report = siteUrl(`/api/localities/${encodeURIComponent(id)}/report.html`);
  // The profile above came from this server, so its report exists: no probe, which would make the
  // server draw the whole report only to discard it.
  const reportSlot = el('p.report', {},
    el('a', { href: report, target: '_blank', rel: 'noopener' }, `Open the board pack report for ${prof.name}`));

  const whole = prof.level === 'district'; // read against England alone
  // A district of England's atlas, with no localities to set it among: its change stands beside England.
  const alone = whole && !ctx.hasLocalities;
  const against = whole ? 'England' : `${district} or England`;
  const attention = att?.attention?.length
    ? el('ul.attention', {}, att.attention.map((a) => el('li', {},
      el('strong', {}, a.name), `: ${fmtValue(a.value, a.unit)}. `, `${a.words}.`,
      a.since_2019_label ? el('span', { title: a.since_2019_words }, ` Since 2019: ${a.since_2019_label}.`) : '',
      a.flag ? el('span.flag', {}, ` ${a.flag}`) : null)))
    : el('p', {}, att ? `No indicator is significantly worse than ${against}.` : 'Attention list not available.');

  // The profile's hidden_pockets, per indicator considered.
  const pockets = (prof.hidden_pockets?.indicators || []).map((i) => el('li', {}, el('strong', {}, i.name), ': ',
    i.pockets.length ? i.pockets.map((p) => `${p.name} (${p.code})`).join(', ') : 'no LSOA worse than its neighbours',
    `; ${i.in_worse_clusters} of ${i.lsoas_tested} LSOAs in a cluster of worse values.`));
  // Indicators held here that the search could not judge, with why (too few LSOAs, no direction).
  const unsearched = (prof.hidden_pockets?.not_searched || []).filter((n) => ctx.catalogue.has(n.indicator))
    .map((n) => el('li.unsearched', {}, el('strong', {}, ctx.catalogue.get(n.indicator).name), `: not searched: ${n.reason}.`));

  const sii = ineq?.sii ? el('p.muted', { id: 'slope-index' },
    `Slope index of inequality across ${ctx.isDistrict(id) ? prof.name : district} for ${iname}: ${fmtNum(ineq.sii.value, ineq.unit)} `,
    `(95% interval ${fmtCI(ineq.sii.ci95, ineq.unit)}); `,
    ineq.rii ? `relative index ${fmtNum(ineq.rii.value)} (the slope's value at the least deprived end over its value at the most deprived end).`
      : `no relative index: ${ineq.rii_unavailable}.`)
    : ineq?.sii_unavailable ? el('p.muted', { id: 'slope-index' }, `Slope index of inequality for ${iname} not computed: ${ineq.sii_unavailable}.`) : null;
  const counterpart = meta?.counterpart;
  const changeId = counterpart ? (meta.period === 'IoD2019' ? counterpart : ctx.indicator) : null;

  target.replaceChildren(
    el('h2', { id: 'locality-title', tabIndex: -1 }, prof.name),
    el('p', {}, `${prof.lsoas.length} LSOAs. ${prof.comparison_levels}.`),
    reportSlot,
    el('div.actions', {}, el('button', { type: 'button', onclick: () => ctx.zoomToLocality(id) }, whole ? 'Zoom to district' : 'Zoom to locality')),
    el('h3', {}, 'Needs attention'),
    note(`Indicators significantly worse than ${against}; those also relatively worse than in 2019 (ratio to England of the same edition) first.`),
    el('p.muted', { id: 'age-structure' }, prof.age_structure?.words || ''),
    attention,
    el('h3', {}, 'Hidden pockets'),
    note(prof.hidden_pockets ? `${prof.hidden_pockets.method}.` : 'Not available from this server.'),
    el('ul.pockets', { id: 'hidden-pockets' }, ...pockets, ...unsearched),
    el('h3', {}, 'Profile'),
    // replaceChildren would write a null as the text "null": absent paragraphs are left out.
    ...(prof.neighbours?.length
      ? [el('p.muted', { id: 'similar-districts' }, `Similar districts: ${prof.district}'s ${prof.neighbours.length} statistical neighbours, `,
        'the English districts nearest to it in deprivation, age, density and size: ', nameList(prof.neighbours.map((n) => n.name)),
        '. The profile sets each row beside their average and range; it describes, it does not test.')]
      : []),
    ...(prof.neighbours_caution ? [el('p.caution', { id: 'similar-caution' }, el('strong', {}, 'Caution: '), prof.neighbours_caution)] : []),
    profileTable(prof, { current: ctx.indicator, caption: `Indicators for ${prof.name} compared with ${whole ? 'England' : `${district} and England`}` }),
    el('h3', {}, 'Charts'),
    chartFigure({ kind: 'spine', params: { locality: id }, title: 'Spine chart',
      alt: `Spine chart for ${prof.name}: each indicator's value against England, with the range across England's districts where published. The profile table above has the same figures.` }),
    chartFigure({ kind: 'gradient', params: { indicator: ctx.indicator, locality: id }, title: `Inequality gradient: ${iname}`,
      alt: ctx.isDistrict(id) ? `${iname} by national deprivation decile across ${prof.name}'s LSOAs.`
        : `${iname} by national deprivation decile in ${district}, with ${prof.name} marked.` }),
    ...(sii ? [sii] : []),
    chartFigure({ kind: 'ranked', params: { indicator: ctx.indicator, area: id, comparator: 'district' }, title: `Ranked LSOAs: ${iname}`,
      alt: `Bar chart of ${iname} for each LSOA in ${prof.name}, ranked, against the ${district} value.` }),
    changeId
      ? chartFigure({ kind: 'change', params: alone ? { indicator: changeId, district: id } : { indicator: changeId },
        title: `Since 2019, relative to England: ${ctx.catalogue.get(changeId)?.name || changeId}`,
        alt: `${ctx.catalogue.get(changeId)?.name || changeId} relative to England in IoD2019 and IoD2025 for ${alone ? prof.name : `each locality and ${district}`} (levels are not comparable: methods changed).` })
      : note(`Since 2019: ${iname} has no 2019 counterpart that can be compared in relative terms; the "Since 2019" column of the profile shows the indicators that do.`),
  );
  return prof;
}

// ---------- compare two indicators ----------

export function renderScatter(target, x, y, ctx) {
  const nx = ctx.catalogue.get(x)?.name || x, ny = ctx.catalogue.get(y)?.name || y;
  target.replaceChildren(
    chartFigure({ kind: 'scatter', params: { x, y }, title: `${ny} against ${nx}`,
      alt: `Scatter plot of ${ny} (vertical) against ${nx} (horizontal), one point per ${district} LSOA, localities highlighted.` }),
    ...(ctx.hasLocalities
      ? [chartFigure({ kind: 'localities', params: { indicator: ctx.indicator }, title: `Localities compared: ${ctx.catalogue.get(ctx.indicator)?.name}`,
        alt: `${ctx.catalogue.get(ctx.indicator)?.name} for each locality with 95% intervals, against ${district} and England.` })]
      : []),
  );
}

// ---------- custom area ----------

export async function renderCustom(target, body, ctx) {
  target.replaceChildren(note('Calculating the custom area profile…'));
  const prof = await getJSON('/api/custom-area', body);
  const partial = prof.lsoas.filter((l) => l.share < 0.999);
  target.replaceChildren(
    el('h3', { id: 'custom-title', tabIndex: -1 }, `Custom area: ${prof.lsoas.length} LSOAs`),
    note(partial.length
      ? `${partial.length} LSOAs are partly inside the polygon; their counts are apportioned by area.`
      : 'Whole LSOAs; counts are summed.'),
    profileTable(prof, { current: ctx.indicator, caption: `Indicators for the custom area compared with ${prof.district || district} and England` }),
  );
  return prof;
}
