'use strict';
// The Strata console. Every figure comes from the services' own APIs through the console's gateway
// (/api/<service>/...), with the signed-in caller's bearer token: a service answers exactly what it would answer
// the caller directly, so a tenant sees its own groups only. Each figure is also written to a data attribute of
// the element that shows it, so that tests (and people) can compare the page with the API.
// Text from the services (names, reasons) is only ever set as text, never as HTML.

const TOKEN_KEY = 'strata.token';
const STATUS_COLOURS = {ok: '#2e7d32', warning: '#f9a825', critical: '#ef6c00', exceeded: '#c62828', unlimited: '#78909c'};
const RUNNING = new Set(['queued', 'running']);

const state = {token: null, caller: null, group: null, timers: [], charts: new Map()};

const $ = (selector) => document.querySelector(selector);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('data-')) node.setAttribute(name, String(value));
    else node[name] = value;
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(child === null || child === undefined ? '' : String(child)));
  }
  return node;
}

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
    this.status = status;
    this.problem = problem || {};
  }
}

async function api(service, path) {
  const response = await fetch('/api/' + service + path, {
    headers: {Authorization: 'Bearer ' + state.token, Accept: 'application/json'}
  });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = {detail: text.slice(0, 300)}; }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** Loads one part of a view; a failure shows in the error box and leaves the rest of the view working. */
async function part(name, load) {
  try {
    await load();
  } catch (e) {
    showError(name, e);
  }
}

function showError(where, e) {
  const box = $('#error');
  const status = e instanceof ApiError ? e.status : '';
  const type = e instanceof ApiError && e.problem.type ? ' (' + e.problem.type.split('/').pop() + ')' : '';
  const line = el('div', {class: 'error-line', 'data-where': where, 'data-status': status},
    where + ': ' + (status ? status + type + ' ' : '') + e.message);
  box.append(line);
  box.hidden = false;
}

function clearErrors() {
  const box = $('#error');
  box.replaceChildren();
  box.hidden = true;
}

function formatNumber(n) {
  return n === null || n === undefined ? '-' : Number(n).toLocaleString('en-US');
}

function formatBytes(n) {
  if (n === null || n === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Number(n), unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return (unit === 0 ? value : value.toFixed(1)) + ' ' + units[unit];
}

function formatDuration(seconds) {
  if (seconds === null || seconds === undefined) return '-';
  const s = Math.round(seconds);
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

function formatTime(iso) {
  return iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '-';
}

function chart(container) {
  let instance = state.charts.get(container);
  if (!instance || instance.isDisposed()) {
    instance = echarts.init(container, null, {renderer: 'canvas'});
    state.charts.set(container, instance);
  }
  return instance;
}

function disposeCharts() {
  for (const instance of state.charts.values()) instance.dispose();
  state.charts.clear();
}

function stopTimers() {
  state.timers.forEach(clearTimeout);
  state.timers = [];
}

function later(fn, ms) {
  state.timers.push(setTimeout(fn, ms));
}

// ---- sign-in ---------------------------------------------------------------------------------------------

async function signIn(token) {
  state.token = token.trim();
  try {
    state.caller = await api('ingest', '/me');
  } catch (e) {
    state.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn();
    showError('sign-in', e);
    return false;
  }
  sessionStorage.setItem(TOKEN_KEY, state.token);
  const caller = state.caller;
  $('#caller').textContent = caller.subject + (caller.roles.length ? ' (' + caller.roles.join(', ') + ')' : '');
  $('#caller').dataset.subject = caller.subject;
  $('#caller').dataset.allGroups = caller.allGroups;
  const select = $('#group-select');
  select.replaceChildren(el('option', {value: ''}, caller.tenants.length ? 'choose a group' : 'no group in this token'),
    ...caller.tenants.map((id) => el('option', {value: id}, id)));
  $('#admin-tools').hidden = !caller.allGroups;
  $('#nav').hidden = false;
  $('#sign-in-panel').hidden = true;
  return true;
}

function showSignIn() {
  $('#nav').hidden = true;
  $('#group-view').hidden = true;
  $('#admin-view').hidden = true;
  $('#sign-in-panel').hidden = false;
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  state.caller = null;
  stopTimers();
  disposeCharts();
  location.hash = '#/';
  showSignIn();
}

// ---- routing ---------------------------------------------------------------------------------------------

async function route() {
  stopTimers();
  clearErrors();
  if (!state.token) {
    showSignIn();
    return;
  }
  const hash = location.hash || '#/';
  const group = hash.match(/^#\/groups\/([0-9a-fA-F-]{36})$/);
  $('#group-view').hidden = true;
  $('#admin-view').hidden = true;
  disposeCharts();
  if (group) {
    $('#group-select').value = state.caller.tenants.includes(group[1]) ? group[1] : '';
    await showGroup(group[1].toLowerCase());
  } else if (hash === '#/admin') {
    await showAdmin();
  } else if (state.caller.tenants.length === 1 && !state.caller.allGroups) {
    location.hash = '#/groups/' + state.caller.tenants[0];
  } else if (state.caller.allGroups) {
    location.hash = '#/admin';
  }
}

// ---- one group -------------------------------------------------------------------------------------------

async function showGroup(groupId) {
  state.group = groupId;
  $('#group-id').textContent = groupId;
  $('#group-view').dataset.groupId = groupId;
  const view = $('#group-view');
  view.dataset.loaded = 'false';
  // Nothing of the group shows unless the services let this caller read it.
  for (const id of ['#quotas', '#quota-warnings', '#imports', '#top-content tbody', '#top-creators tbody', '#archival tbody']) {
    $(id).replaceChildren();
  }
  try {
    await loadQuotas(groupId);
  } catch (e) {
    showError('quotas', e);
    view.hidden = true;
    view.dataset.loaded = 'refused';
    return;
  }
  view.hidden = false;
  // Charts drawn while the view was hidden had no size: draw them again at the size they have now.
  state.charts.forEach((c) => c.resize());
  await Promise.all([
    part('history', () => loadHistory(groupId)),
    part('events', () => loadEvents(groupId)),
    part('top content', () => loadTopContent(groupId)),
    part('top creators', () => loadTopCreators(groupId)),
    part('archival', () => loadArchival(groupId)),
    part('imports', () => loadImports(groupId)),
  ]);
  $('#refreshed-at').textContent = formatTime(new Date().toISOString());
  view.dataset.loaded = 'true';
  // Refreshes the figures that move; imports poll on their own schedule.
  later(() => state.group === groupId && refreshGroup(groupId), 15000);
}

async function refreshGroup(groupId) {
  await Promise.all([
    part('quotas', () => loadQuotas(groupId)),
    part('events', () => loadEvents(groupId)),
    part('archival', () => loadArchival(groupId)),
  ]);
  $('#refreshed-at').textContent = formatTime(new Date().toISOString());
  later(() => state.group === groupId && refreshGroup(groupId), 15000);
}

async function loadQuotas(groupId) {
  const answer = await api('quota', '/groups/' + groupId + '/quotas');
  $('#group-plan').textContent = answer.plan + ' plan';
  $('#group-view').dataset.plan = answer.plan;
  const container = $('#quotas');
  container.replaceChildren();
  const metrics = Object.keys(answer.quotas);
  for (const metric of metrics) {
    const q = answer.quotas[metric];
    const dial = el('div', {class: 'dial'});
    const card = el('div', {
      class: 'gauge', 'data-metric': metric, 'data-current': q.current, 'data-limit': q.limit === null ? '' : q.limit,
      'data-percent': q.percentUsed === null ? '' : q.percentUsed, 'data-status': q.status
    }, el('strong', {}, metric), dial,
      el('div', {class: 'figure status-' + q.status}, formatNumber(q.current) + ' of '
        + (q.limit === null ? 'unlimited' : formatNumber(q.limit)) + ' · ' + q.status));
    container.append(card);
    const percent = q.percentUsed === null ? 0 : Math.min(q.percentUsed, 100);
    chart(dial).setOption({
      animation: false,
      series: [{
        type: 'gauge', min: 0, max: 100, progress: {show: true, width: 10},
        axisLine: {lineStyle: {width: 10, color: [[0.8, '#e8f5e9'], [0.95, '#fff8e1'], [1, '#ffebee']]}},
        itemStyle: {color: STATUS_COLOURS[q.status] || STATUS_COLOURS.ok},
        axisTick: {show: false}, splitLine: {show: false}, axisLabel: {show: false}, pointer: {show: false},
        detail: {valueAnimation: false, fontSize: 18, offsetCenter: [0, '10%'],
          formatter: () => q.percentUsed === null ? '∞' : q.percentUsed.toFixed(1) + '%'},
        data: [{value: percent}]
      }]
    });
  }
  const warnings = $('#quota-warnings');
  warnings.replaceChildren(...answer.warnings.map((w) => el('li', {
    class: 'status-' + w.status, 'data-metric': w.metric, 'data-status': w.status
  }, w.metric + ': ' + formatNumber(w.current) + ' of ' + formatNumber(w.limit) + ' (' + w.percentUsed.toFixed(1)
    + '%, ' + w.status + ')')));
  const select = $('#history-metric');
  if (!select.options.length) {
    for (const metric of metrics.filter((m) => m !== 'events_retention_days')) {
      select.append(el('option', {value: metric}, metric));
    }
    select.value = metrics.includes('entities_total') ? 'entities_total' : select.options[0].value;
  }
}

async function loadHistory(groupId) {
  const metric = $('#history-metric').value || 'entities_total';
  const answer = await api('quota', '/groups/' + groupId + '/quotas/history?metric=' + encodeURIComponent(metric) + '&days=30');
  const container = $('#history');
  container.dataset.metric = answer.metric;
  container.dataset.values = JSON.stringify(answer.days.map((d) => d.value));
  container.dataset.days = JSON.stringify(answer.days.map((d) => d.day));
  chart(container).setOption({
    animation: false,
    tooltip: {trigger: 'axis'},
    grid: {left: 60, right: 20, top: 20, bottom: 30},
    xAxis: {type: 'category', data: answer.days.map((d) => d.day)},
    yAxis: {type: 'value', name: answer.unit},
    series: [{name: answer.metric + ' (end of day)', type: 'line', data: answer.days.map((d) => d.value)},
      {name: 'change', type: 'bar', data: answer.days.map((d) => d.delta), itemStyle: {color: '#9fb3c8'}}]
  }, true);
}

async function loadEvents(groupId) {
  const answer = await api('metrics', '/groups/' + groupId + '/metrics/events?days=30');
  const container = $('#events');
  const totals = {};
  for (const type of answer.types) totals[type] = answer.days.reduce((sum, d) => sum + (d.byType[type] || 0), 0);
  container.dataset.total = answer.days.reduce((sum, d) => sum + d.total, 0);
  container.dataset.totals = JSON.stringify(totals);
  container.dataset.from = answer.from;
  container.dataset.to = answer.to;
  chart(container).setOption({
    animation: false,
    tooltip: {trigger: 'axis'},
    legend: {top: 0},
    grid: {left: 50, right: 20, top: 40, bottom: 30},
    xAxis: {type: 'category', data: answer.days.map((d) => d.date)},
    yAxis: {type: 'value'},
    series: answer.types.map((type) => ({
      name: type, type: 'bar', stack: 'events', data: answer.days.map((d) => d.byType[type] || 0)
    }))
  }, true);
}

async function loadTopContent(groupId) {
  const answer = await api('metrics', '/groups/' + groupId + '/metrics');
  const rows = answer._computed.topContentByEngagement.map((c) => el('tr', {
    'data-entity-id': c.entityId, 'data-connections': c.connectionCount
  }, el('td', {}, c.name || c.entityId), el('td', {}, c.type), el('td', {class: 'num'}, formatNumber(c.connectionCount))));
  $('#top-content tbody').replaceChildren(...(rows.length ? rows : [emptyRow(3, 'no content yet')]));
}

async function loadTopCreators(groupId) {
  const answer = await api('metrics', '/groups/' + groupId + '/metrics/creators?limit=10');
  const rows = answer.creators.map((c) => el('tr', {
    'data-creator-id': c.creatorId, 'data-followers': c.totalFollowers, 'data-content': c.contentCount,
    'data-events': c.totalEvents
  }, el('td', {}, c.name || c.creatorId), el('td', {class: 'num'}, formatNumber(c.totalFollowers)),
    el('td', {class: 'num'}, formatNumber(c.contentCount)), el('td', {class: 'num'}, formatNumber(c.totalEvents)),
    el('td', {}, formatTime(c.lastActive))));
  $('#top-creators tbody').replaceChildren(...(rows.length ? rows : [emptyRow(5, 'no creators yet')]));
}

async function loadArchival(groupId) {
  const answer = await api('archival', '/groups/' + groupId + '/archival/runs?limit=10');
  const rows = answer.runs.map((r) => el('tr', {
    'data-run-id': r.runId, 'data-status': r.status, 'data-archived': r.archived, 'data-objects': r.objects,
    'data-bytes': r.bytes
  }, el('td', {}, r.runId.slice(0, 8)), el('td', {}, r.status), el('td', {}, formatTime(r.startedAt)),
    el('td', {class: 'num'}, formatNumber(r.archived)), el('td', {class: 'num'}, formatNumber(r.objects)),
    el('td', {class: 'num'}, formatBytes(r.bytes))));
  $('#archival tbody').replaceChildren(...(rows.length ? rows : [emptyRow(6, 'no archival run has touched this group')]));
}

async function loadImports(groupId) {
  let running = false;
  try {
    const answer = await api('ingest', '/groups/' + groupId + '/imports?limit=10');
    const rows = answer.imports.map((job) => {
      running = running || RUNNING.has(job.status);
      const percent = Math.max(0, Math.min(100, job.percent || 0));
      return el('div', {
        class: 'import', 'data-import-id': job.id, 'data-status': job.status, 'data-percent': job.percent,
        'data-processed': job.processed, 'data-created': job.created, 'data-failed': job.failed
      }, el('div', {}, el('strong', {}, job.status), ' ', job.format, ' · ', formatBytes(job.bytes), ' · ',
        formatTime(job.createdAt)),
      el('progress', {max: 100, value: percent}),
      el('div', {class: 'stats'}, percent.toFixed(1) + '% · ' + formatNumber(job.processed) + ' items'
        + (job.itemsPerSecond ? ' · ' + formatNumber(Math.round(job.itemsPerSecond)) + '/s' : '')
        + (RUNNING.has(job.status) ? ' · ETA ' + formatDuration(job.etaSeconds) : '')
        + (job.failed ? ' · ' + formatNumber(job.failed) + ' failed' : '')));
    });
    $('#imports').replaceChildren(...(rows.length ? rows : [el('p', {class: 'empty'}, 'no import job yet')]));
  } finally {
    // While a job runs its bar moves every second; otherwise new jobs show within five.
    later(() => state.group === groupId && part('imports', () => loadImports(groupId)), running ? 1000 : 5000);
  }
}

function emptyRow(columns, text) {
  return el('tr', {}, el('td', {class: 'empty', colSpan: columns}, text));
}

// ---- all groups (admin) ----------------------------------------------------------------------------------

async function showAdmin() {
  state.group = null;
  const view = $('#admin-view');
  view.dataset.loaded = 'false';
  try {
    await loadNearest();
  } catch (e) {
    showError('all groups', e);
    view.dataset.loaded = 'refused';
    return;
  }
  view.hidden = false;
  state.charts.forEach((c) => c.resize());
  await Promise.all([part('lag', loadLag), part('quarantine', loadQuarantine)]);
  $('#admin-refreshed-at').textContent = formatTime(new Date().toISOString());
  view.dataset.loaded = 'true';
  later(() => location.hash === '#/admin' && refreshAdmin(), 15000);
}

async function refreshAdmin() {
  await Promise.all([part('all groups', loadNearest), part('lag', loadLag), part('quarantine', loadQuarantine)]);
  $('#admin-refreshed-at').textContent = formatTime(new Date().toISOString());
  later(() => location.hash === '#/admin' && refreshAdmin(), 15000);
}

async function loadNearest() {
  const answer = await api('quota', '/admin/quotas/groups?limit=20');
  $('#nearest').dataset.totalGroups = answer.totalGroups;
  const rows = answer.groups.map((g) => el('tr', {
    'data-group-id': g.groupId, 'data-percent': g.highestPercentUsed, 'data-status': g.status,
    'data-metric': g.nearestMetric
  }, el('td', {}, el('a', {href: '#/groups/' + g.groupId}, g.groupId)), el('td', {}, g.plan),
    el('td', {class: 'status-' + g.status}, g.status), el('td', {}, g.nearestMetric || '-'),
    el('td', {class: 'num'}, g.highestPercentUsed.toFixed(1) + '%')));
  $('#nearest tbody').replaceChildren(...(rows.length ? rows : [emptyRow(5, 'no group yet')]));
  const shown = answer.groups.slice(0, 10).reverse();
  chart($('#nearest-chart')).setOption({
    animation: false,
    grid: {left: 290, right: 30, top: 10, bottom: 30},
    xAxis: {type: 'value', max: (v) => Math.max(100, v.max)},
    yAxis: {type: 'category', data: shown.map((g) => g.groupId + ' ' + (g.nearestMetric || ''))},
    series: [{type: 'bar', data: shown.map((g) => ({value: g.highestPercentUsed,
      itemStyle: {color: STATUS_COLOURS[g.status === 'healthy' ? 'ok' : g.status] || STATUS_COLOURS.ok}}))}]
  }, true);
}

async function loadLag() {
  const list = $('#lag');
  const [quota, metrics] = await Promise.allSettled([api('quota', '/admin/quotas/lag'),
    api('metrics', '/admin/projections/lag')]);
  const items = [];
  if (quota.status === 'fulfilled') {
    list.dataset.quotaLag = quota.value.totalLag;
    items.push(el('dt', {}, 'quota-service, records behind'), el('dd', {'data-service': 'quota'}, formatNumber(quota.value.totalLag)));
  } else {
    showError('quota lag', quota.reason);
  }
  if (metrics.status === 'fulfilled') {
    const m = metrics.value;
    list.dataset.metricsP99Ms = m.p99Ms === null ? '' : m.p99Ms;
    items.push(el('dt', {}, 'metrics-service, publication to projection p99'),
      el('dd', {'data-service': 'metrics'}, m.p99Ms === null ? 'no batch yet' : formatNumber(m.p99Ms) + ' ms'
        + ' (' + formatNumber(m.events) + ' events)'));
  } else {
    showError('metrics lag', metrics.reason);
  }
  list.replaceChildren(...items);
}

async function loadQuarantine() {
  const services = ['quota', 'metrics'];
  const answers = await Promise.allSettled(services.map((s) => api(s, '/admin/stream-consumer/quarantine?limit=50')));
  const counts = $('#quarantine');
  const items = [];
  const rows = [];
  answers.forEach((answer, i) => {
    const service = services[i];
    if (answer.status !== 'fulfilled') {
      showError(service + ' quarantine', answer.reason);
      return;
    }
    counts.dataset[service] = answer.value.length;
    items.push(el('dt', {}, service + '-service'), el('dd', {'data-service': service}, formatNumber(answer.value.length)
      + (answer.value.length === 50 ? '+' : '') + ' set aside'));
    for (const entry of answer.value) {
      rows.push(el('tr', {'data-service': service, 'data-offset': entry.partition + ':' + entry.offset},
        el('td', {}, service), el('td', {}, entry.partition + ':' + entry.offset), el('td', {}, entry.kind),
        el('td', {}, entry.reason), el('td', {}, formatTime(entry.rejectedAt))));
    }
  });
  counts.replaceChildren(...items);
  $('#quarantine-list tbody').replaceChildren(...(rows.length ? rows : [emptyRow(5, 'nothing set aside')]));
}

// ---- start -----------------------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', async () => {
  $('#sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    if (await signIn($('#token').value)) await route();
  });
  $('#sign-out').addEventListener('click', signOut);
  $('#group-select').addEventListener('change', (event) => {
    if (event.target.value) location.hash = '#/groups/' + event.target.value;
  });
  $('#group-open').addEventListener('click', () => {
    const id = $('#group-input').value.trim();
    if (id) location.hash = '#/groups/' + id;
  });
  $('#history-metric').addEventListener('change', () => state.group && part('history', () => loadHistory(state.group)));
  $('#refresh').addEventListener('click', () => state.group && showGroup(state.group));
  window.addEventListener('hashchange', route);
  window.addEventListener('resize', () => state.charts.forEach((c) => c.resize()));
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved && await signIn(saved)) {
    await route();
  } else {
    showSignIn();
  }
  document.body.dataset.ready = 'true';
});
