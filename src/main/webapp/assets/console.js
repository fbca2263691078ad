// The operator console: status, live calls with their transcripts (pushed by the server as Server-Sent
// Events on GET /api/events), hang-up, outgoing calls, recent call records. Everything through the admin
// API with the tab's token.
import {ApiError, api, refused, signIn, token} from './session.js';

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
};

const STATE_WORDS = {
  SETTING_UP: 'setting up',
  PRE_ACCEPTED: 'ringing (pre-accepted)',
  ACCEPTED: 'accepted, waiting for media',
  ANSWERED: 'answered, connecting audio',
  DIALING: 'dialling',
  CONNECTING: 'answered, connecting audio',
  ACTIVE: 'in conversation',
  ENDED: 'ended',
};

let liveCalls = []; // CallView[] with fetchedAt
const transcripts = new Map(); // callId -> {lines: [], ended: bool, label}

// ---- helpers

function callerLabel(c) {
  if (c.channel === 'softphone') return 'Softphone (browser)';
  const number = c.from || c.to || 'unknown';
  return c.callerName ? `${c.callerName} (+${number})` : `+${number}`;
}

function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : '–';
}

function dateTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}

function handle(error, messageEl) {
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
    refused($('sign-in-message'), error.status);
    $('signed-in').hidden = true;
    $('signed-out').hidden = false;
    return;
  }
  messageEl.textContent = `Error: ${error.message}`;
}

// ---- status

async function loadStatus() {
  const list = $('status');
  let status;
  try {
    status = await api('api/status');
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      handle(e, $('calls-message'));
      return;
    }
    list.replaceChildren(el('li', {class: 'down', text: `wavoice: not reachable (${e.message})`}));
    return;
  }
  // {ready, checks: [{name, status}], missing: [setting], notReady: [{check, what, fix, docs}]}
  const items = [el('li', {class: status.ready ? 'up' : 'down', text: `Ready: ${status.ready ? 'yes' : 'NO'}`})];
  for (const check of status.checks || []) {
    const name = check.name === 'kurento' ? 'Kurento (KMS)' : check.name;
    items.push(el('li', {class: check.status === 'UP' ? 'up' : 'down', text: `${name}: ${check.status}`}));
  }
  const openai = (status.missing || []).some((k) => k.startsWith('wavoice.openai.'));
  items.push(el('li', {
    class: openai ? 'down' : 'up',
    text: openai ? 'OpenAI: not configured — set wavoice.openai.api-key' : 'OpenAI: configured (each call opens its own session)',
  }));
  list.replaceChildren(...items);
  const notReady = $('not-ready');
  notReady.hidden = status.ready;
  $('not-ready-facts').replaceChildren(...(status.notReady || []).map((f) => el('li', {class: 'down'},
    `${f.what}. ${f.fix[0].toUpperCase()}${f.fix.slice(1)}. `,
    el('a', {href: f.docs, target: '_blank', rel: 'noopener', text: `Read ${f.docs}`}))));
}

async function loadDoctor() {
  let report;
  try {
    report = await api('api/doctor');
  } catch (e) {
    $('doctor').hidden = false;
    $('doctor-summary').textContent = `The doctor could not examine the setup. Error: ${e.message}`;
    $('doctor-results').replaceChildren();
    return;
  }
  // {checks: [{id, status: PASS|WARN|FAIL|UNKNOWN, summary, fix}], ready, checkedAt}
  const checks = (report && report.checks) || [];
  $('doctor').hidden = false;
  $('doctor-summary').textContent = `${report.ready ? 'Ready for calls' : 'NOT ready for calls'}`
    + (report.checkedAt ? ` (checked ${dateTime(report.checkedAt)})` : '');
  $('doctor-results').replaceChildren(...checks.map((c) => el('li', {
    class: c.status === 'PASS' ? 'up' : 'down',
    text: `${c.id}: ${c.status}${c.summary ? ' — ' + c.summary : ''}${c.fix ? ' Fix: ' + c.fix : ''}`,
  })));
}

// ---- live calls

async function loadCalls() {
  try {
    const calls = await api('api/calls');
    const now = Date.now();
    liveCalls = calls.map((c) => ({...c, fetchedAt: now}));
    // a successful load clears a load error, never the outcome of an operator's action
    if ($('calls-message').textContent.startsWith('Error: ')) {
      $('calls-message').textContent = '';
    }
  } catch (e) {
    handle(e, $('calls-message'));
    return;
  }
  for (const c of liveCalls) {
    const t = transcriptOf(c.callId);
    t.label = callerLabel(c);
    t.ended = false;
  }
  renderCalls();
  renderTranscripts();
}

function renderCalls() {
  const body = $('calls');
  if (!liveCalls.length) {
    body.replaceChildren(el('tr', {}, el('td', {colspan: 6, class: 'empty', text: 'No live calls.'})));
    return;
  }
  body.replaceChildren(...liveCalls.map((c) => el('tr', {'data-call': c.callId},
    el('td', {'data-label': 'Caller', text: callerLabel(c)}),
    el('td', {'data-label': 'Channel', text: c.channel}),
    el('td', {'data-label': 'State', class: 'state', text: STATE_WORDS[c.state] || c.state}),
    el('td', {'data-label': 'Duration', class: 'num duration', 'data-ms': c.durationMs, 'data-at': c.fetchedAt,
      text: c.acceptedAt ? duration(c.durationMs) : 'not answered yet'}),
    el('td', {'data-label': 'Codec', text: c.codec}),
    el('td', {class: 'actions'}, el('button', {type: 'button', text: 'Hang up', onclick: () => hangUp(c)})))));
}

function tickDurations() {
  for (const cell of document.querySelectorAll('#calls td.duration[data-ms]')) {
    const call = liveCalls.find((c) => c.callId === cell.closest('tr').dataset.call);
    if (call && call.acceptedAt) {
      cell.textContent = duration(call.durationMs + (Date.now() - call.fetchedAt));
    }
  }
}

async function hangUp(call) {
  try {
    await api(`api/calls/${encodeURIComponent(call.callId)}/hangup`, {method: 'POST'});
    $('calls-message').textContent = `OK: hanging up ${callerLabel(call)}.`;
  } catch (e) {
    handle(e, $('calls-message'));
  }
}

// ---- transcripts

function transcriptOf(callId) {
  if (!transcripts.has(callId)) {
    transcripts.set(callId, {lines: [], ended: false, label: callId});
  }
  return transcripts.get(callId);
}

function renderTranscripts() {
  const box = $('transcripts');
  const articles = [];
  for (const [callId, t] of transcripts) {
    const lines = t.lines.length
      ? t.lines.map((l) => el('li', {},
        el('time', {datetime: l.at, text: time(l.at)}),
        el('span', {class: 'speaker', text: l.speaker === 'bot' ? 'Agent: ' : 'Caller: '}),
        el('span', {class: 'text', text: l.text})))
      : [el('li', {class: 'empty', text: 'Nothing said yet.'})];
    articles.push(el('article', {'data-call': callId},
      el('h3', {text: `Transcript: ${t.label}${t.ended ? ' (ended)' : ''}`}),
      el('ol', {class: 'transcript', 'aria-live': 'polite'}, ...lines)));
  }
  box.replaceChildren(...articles);
  for (const list of box.querySelectorAll('ol.transcript')) list.scrollTop = list.scrollHeight;
}

// ---- live feed (Server-Sent Events over fetch, so the token goes in a header)

async function feed() {
  const state = $('feed-state');
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch('api/events', {headers: {Authorization: `Bearer ${token()}`, Accept: 'text/event-stream'}});
      if (response.status === 401 || response.status === 403) {
        handle(new ApiError(response.status, 'unauthorized', ''), state);
        return;
      }
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      state.textContent = 'Live feed: connected.';
      attempt = 0;
      await readEvents(response.body, onEvent);
      state.textContent = 'Live feed: closed by the server, reconnecting…';
    } catch (e) {
      state.textContent = `Live feed: lost (${e.message}), reconnecting…`;
    }
    if (!token()) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(10000, 1000 * 2 ** attempt)));
    loadCalls();
  }
}

async function readEvents(body, handler) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue; // comment (heartbeat)
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') name = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length) handler(name, JSON.parse(data.join('\n')));
    }
  }
}

function onEvent(name, event) {
  if (name === 'transcript') {
    const t = transcriptOf(event.callId);
    if (!t.lines.some((l) => l.at === event.at && l.speaker === event.speaker && l.text === event.text)) {
      t.lines.push(event);
    }
    renderTranscripts();
  } else if (name === 'state') {
    const t = transcriptOf(event.callId);
    if (event.state === 'ENDED') {
      t.ended = true;
      loadRecordsUntilEnded(event.callId, 20);
    }
    loadCalls();
  }
}

// ---- outgoing call

$('dial').addEventListener('submit', async (event) => {
  event.preventDefault();
  const to = $('dial-to').value.trim();
  $('dial-message').textContent = `Calling ${to}…`;
  try {
    const request = await api('api/calls', {method: 'POST', body: {to}});
    // 202: Meta needs the user's call permission first; the call is placed when they accept
    $('dial-message').textContent = request.callId
      ? `OK: call placed, id ${request.callId}. It shows under Live calls while it rings.`
      : `Asked ${request.to} for call permission (request ${request.requestId}, ${request.state}); the call is placed when they accept.`;
  } catch (e) {
    handle(e, $('dial-message'));
  }
});

// ---- records

// a record is written behind its call (through a queue): look again until the call's end has landed
async function loadRecordsUntilEnded(callId, tries) {
  const records = await loadRecords();
  const record = records.find((r) => r.callId === callId);
  if (record && record.outcome === 'IN_PROGRESS' && tries > 1) {
    setTimeout(() => loadRecordsUntilEnded(callId, tries - 1), 500);
  }
}

async function loadRecords() {
  const body = $('records');
  let records;
  try {
    records = await api('api/records?limit=20');
  } catch (e) {
    body.replaceChildren(el('tr', {}, el('td', {colspan: 9, class: 'empty', text: `Error: ${e.message}`})));
    return [];
  }
  if (!records.length) {
    body.replaceChildren(el('tr', {}, el('td', {colspan: 9, class: 'empty', text: 'No calls yet.'})));
    return records;
  }
  body.replaceChildren(...records.map((r) => el('tr', {'data-call': r.callId},
    el('td', {'data-label': 'Started', text: dateTime(r.startedAt)}),
    el('td', {'data-label': 'Caller', text: callerLabel(r)}),
    el('td', {'data-label': 'Channel', text: r.channel}),
    el('td', {'data-label': 'Outcome', class: 'outcome', text: r.outcome}),
    el('td', {'data-label': 'Why it ended', class: 'reason', text: r.endReason ? `${r.endReason}${r.endDetail ? ': ' + r.endDetail : ''}` : 'in progress'}),
    el('td', {'data-label': 'Talk time', class: 'num', text: r.talkTimeMs != null ? duration(r.talkTimeMs) : '–'}),
    el('td', {'data-label': 'Tokens', class: 'num', text: String(r.totalTokens)}),
    el('td', {'data-label': 'Cost', class: 'num', text: r.usage ? `$${r.usage.estimatedCostUsd.toFixed(4)}` : '–'}),
    el('td', {class: 'actions'}, el('button', {type: 'button', text: 'Details', onclick: () => showRecord(r.callId)})))));
  return records;
}

async function showRecord(callId) {
  const box = $('record-detail');
  box.hidden = false;
  box.replaceChildren(el('p', {text: 'Loading…'}));
  let r;
  try {
    r = await api(`api/calls/${encodeURIComponent(callId)}`);
  } catch (e) {
    box.replaceChildren(el('p', {class: 'message', text: `Error: ${e.message}`}));
    return;
  }
  const facts = [
    ['Call id', r.callId], ['Caller', callerLabel(r)], ['Channel', r.channel], ['Direction', r.direction],
    ['Codec', r.codec], ['Outcome', r.outcome], ['Why it ended', `${r.endReason || 'in progress'}${r.endDetail ? ': ' + r.endDetail : ''}`],
    ['Started', dateTime(r.startedAt)], ['Answered', dateTime(r.acceptedAt)],
    ['Media at accept', r.mediaAtAccept == null ? '–' : r.mediaAtAccept ? 'connected' : 'not connected (accepted without media)'],
    ['First agent audio', dateTime(r.firstBotAudioAt)],
    ['Ended', dateTime(r.endedAt)], ['Talk time', r.talkTimeMs != null ? duration(r.talkTimeMs) : '–'],
    ['Tokens', r.usage ? `${r.totalTokens} (input text ${r.usage.inputTextTokens}, input audio ${r.usage.inputAudioTokens}, cached ${r.usage.inputCachedTokens}, output text ${r.usage.outputTextTokens}, output audio ${r.usage.outputAudioTokens})` : '–'],
    ['Estimated cost', r.usage ? `$${r.usage.estimatedCostUsd.toFixed(4)}` : '–'],
    ['Barge-ins', String(r.bargeIns)], ['Kurento', r.kmsUrl || '–'],
    ['Errors', r.errors && r.errors.length ? r.errors.join('; ') : 'none'],
  ];
  box.replaceChildren(
    el('h3', {text: `Call ${r.callId}`}),
    el('dl', {class: 'facts'}, ...facts.flatMap(([k, v]) => [el('dt', {text: k}), el('dd', {text: v})])),
    el('h3', {text: 'Timeline'}),
    el('ol', {class: 'timeline'}, ...(r.timeline && r.timeline.length
      ? r.timeline.map((step) => el('li', {},
        el('span', {class: 'num', text: `+${step.atMs} ms `}),
        el('span', {class: 'event', text: step.event})))
      : [el('li', {class: 'empty', text: 'No timeline.'})])),
    el('h3', {text: 'Transcript'}),
    el('ol', {class: 'transcript record-transcript'}, ...(r.transcript && r.transcript.length
      ? r.transcript.map((l) => el('li', {},
        el('time', {datetime: l.at, text: time(l.at)}),
        el('span', {class: 'speaker', text: l.speaker === 'bot' ? 'Agent: ' : 'Caller: '}),
        el('span', {class: 'text', text: l.text})))
      : [el('li', {class: 'empty', text: 'No transcript.'})])),
    el('h3', {text: 'Recording'}),
    recordingPlayer(r.callId));
  box.scrollIntoView({block: 'nearest'});
}

// The recording is fetched with the bearer token (never put in a URL) and played from a blob URL.
let recordingUrl = null;

function recordingPlayer(callId) {
  if (recordingUrl) {
    URL.revokeObjectURL(recordingUrl);
    recordingUrl = null;
  }
  const slot = el('div', {class: 'recording'}, el('p', {text: 'Loading…'}));
  fetch(`api/calls/${encodeURIComponent(callId)}/recording`, {headers: {Authorization: `Bearer ${token()}`}})
    .then(async (response) => {
      if (response.status === 404) {
        slot.replaceChildren(el('p', {class: 'empty', text: 'Not recorded.'}));
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      recordingUrl = URL.createObjectURL(await response.blob());
      slot.replaceChildren(el('audio', {controls: '', preload: 'metadata', src: recordingUrl}),
        el('p', {class: 'hint', text: 'Caller on the left, agent on the right.'}));
    })
    .catch((e) => slot.replaceChildren(el('p', {class: 'message', text: `Error: ${e.message}`})));
  return slot;
}

// ---- start

let started = false;
signIn({
  form: $('sign-in'),
  input: $('token'),
  message: $('sign-in-message'),
  signedOut: $('signed-out'),
  signedIn: $('signed-in'),
  signOut: $('sign-out'),
  onSignedIn: () => {
    $('sign-out').hidden = false;
    if (started) return;
    started = true;
    loadStatus();
    loadDoctor();
    loadCalls();
    loadRecords();
    feed();
    setInterval(tickDurations, 1000);
    setInterval(loadStatus, 15000);
  },
});
