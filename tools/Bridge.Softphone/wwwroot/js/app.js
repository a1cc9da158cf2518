// The softphone page: call / hang up, the keypad, level meters, the live transcript with interruptions, and per
// turn the time from the end of the caller's speech to the first audio heard. The page's state is also on
// <body data-*> (state, heard-ms, heard-peak, turns), which the browser tests read.

import { PhoneLine } from './phone-line.js';

const $ = (id) => document.getElementById(id);
const ui = {
  agentChoice: $('agent-choice'), agent: $('agent'),
  number: $('number'), call: $('call'), hangup: $('hangup'), status: $('status'),
  inputLevel: $('input-level'), outputLevel: $('output-level'),
  transcript: $('transcript'), transcriptNote: $('transcript-note'), steps: $('steps'),
};
let line = null;
let callerTurnsWithoutLatency = [];

function setState(state, text) {
  document.body.dataset.state = state;
  ui.status.textContent = text;
  const inCall = state === 'calling' || state === 'connected';
  ui.call.disabled = inCall;
  ui.hangup.disabled = !inCall;
  ui.number.disabled = inCall;
  ui.agent.disabled = inCall;
}

// The agents of the profiles the api and the worker read: choosing one puts its number in "Number called" (the
// default agent answers any number no agent lists, so it keeps the number there unless that number is another's).
async function loadAgents() {
  let agents = [];
  try {
    const response = await fetch('agents');
    agents = response.ok ? await response.json() : [];
  } catch {
    agents = [];
  }
  if (agents.length === 0) {
    return;
  }
  const listed = new Set(agents.filter((a) => a.number).map((a) => a.number));
  for (const agent of agents) {
    const option = document.createElement('option');
    option.value = agent.number ?? '';
    option.textContent = agent.isDefault
      ? `${agent.name} (default: any other number)`
      : `${agent.name} (${agent.number}${agent.voice ? `, ${agent.voice}` : ''})`;
    ui.agent.append(option);
  }
  ui.agent.addEventListener('change', () => {
    const number = ui.agent.value;
    if (number) {
      ui.number.value = number;
    } else if (listed.has(ui.number.value.trim())) {
      ui.number.value = '+15005550006';
    }
  });
  ui.number.addEventListener('input', () => {
    const number = ui.number.value.trim();
    ui.agent.value = listed.has(number) ? number : '';
  });
  ui.agent.value = listed.has(ui.number.value.trim()) ? ui.number.value.trim() : '';
  ui.agentChoice.hidden = false;
  document.body.dataset.agents = agents.map((a) => a.name).join(',');
}

loadAgents();

function addLine(kind, who, text, extraClass) {
  const item = document.createElement('li');
  item.className = [kind, extraClass].filter(Boolean).join(' ');
  if (who) {
    const label = document.createElement('span');
    label.className = 'who';
    label.textContent = who;
    item.append(label);
  }
  item.append(document.createTextNode(text));
  ui.transcript.append(item);
  item.scrollIntoView({ block: 'nearest' });
  return item;
}

function addLatency(ms) {
  const turns = Number(document.body.dataset.turns || 0) + 1;
  document.body.dataset.turns = String(turns);
  const target = callerTurnsWithoutLatency.shift() || addLine('event', null, 'Reply');
  const latency = document.createElement('span');
  latency.className = 'latency';
  latency.textContent = `reply heard ${ms} ms after you stopped speaking`;
  target.append(latency);
}

async function call() {
  ui.transcript.replaceChildren();
  ui.steps.replaceChildren();
  ui.transcriptNote.hidden = true;
  callerTurnsWithoutLatency = [];
  Object.assign(document.body.dataset, { heardMs: '0', heardPeak: '0', turns: '0', workerEnded: '' });
  setState('calling', 'Calling…');
  line = new PhoneLine(ui.number.value.trim());
  const on = (type, handler) => line.addEventListener(type, (event) => handler(event.detail));
  on('calling', (m) => setState('calling', `Calling ${m.to}… (${m.callSid})`));
  on('step', (m) => { const li = document.createElement('li'); li.textContent = m.text; ui.steps.append(li); });
  on('connected', () => setState('connected', 'Connected: talk to your agent.'));
  on('transcript', (m) => {
    if (m.kind === 'caller') {
      callerTurnsWithoutLatency.push(addLine('caller', 'You', m.text));
    } else if (m.kind === 'assistant') {
      addLine('assistant', m.interrupted ? 'Agent (interrupted; you heard)' : 'Agent', m.text, m.interrupted ? 'interrupted' : null);
    } else if (m.kind === 'local-barge-in') {
      addLine('event', null, 'You talked over audio from a replaced model stream: the worker stopped it.');
    }
  });
  on('transcript-off', (m) => { ui.transcriptNote.hidden = false; ui.transcriptNote.textContent = `No transcript: ${m.reason}. You still hear the agent.`; });
  on('clear', () => addLine('event', null, '⏹ Interrupted: the worker cleared the audio still queued for you.'));
  on('turn', (m) => addLatency(m.replyMs));
  on('dtmf', (m) => addLine('event', null, `You pressed ${m.key}`));
  on('worker-ended', (m) => { document.body.dataset.workerEnded = m.reason || 'ended'; addLine('event', null, `The media worker ended the call (${m.reason}).`); });
  on('ended', (m) => setState('ended', `Call ended: ${m.outcome}${m.error ? ` (error ${m.error})` : ''}`));
  on('error', (m) => addLine('event', null, `Error: ${m.message}`));
  on('levels', (m) => {
    ui.inputLevel.value = Math.min(1, m.input * 4);
    ui.outputLevel.value = Math.min(1, m.output * 4);
    document.body.dataset.heardMs = String(Math.round(m.audibleMs));
    document.body.dataset.heardPeak = m.peak.toFixed(3);
  });
  on('closed', () => {
    if (document.body.dataset.state !== 'ended') {
      setState('ended', 'Call ended: the connection to the softphone server closed.');
    }
  });
  try {
    await line.open();
  } catch (error) {
    line.close();
    setState('ended', `Could not start the call: ${error.message}`);
  }
}

ui.call.addEventListener('click', call);
ui.hangup.addEventListener('click', () => line && line.hangUp());
for (const key of document.querySelectorAll('.keypad button')) {
  key.addEventListener('click', () => line && line.press(key.dataset.key));
}
document.body.dataset.ready = 'true';
