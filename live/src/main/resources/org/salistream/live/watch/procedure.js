// One procedure's live page: frames with the mask's outline and boxes, pushed by the server
// (Server-Sent Events), drawn as they come; a newer frame replaces one still decoding, so the page never
// falls behind the video. The capture-to-screen latency is measured here, once the frame is drawn, and
// reported back to the server now and then (/api/screen-latency).
'use strict';

const id = new URLSearchParams(location.search).get('id') || '';
const canvas = document.getElementById('screen');
const context = canvas.getContext('2d');
const banner = document.getElementById('banner');
const timeline = document.getElementById('timeline');
const el = name => document.getElementById(name);
document.getElementById('title').textContent = id;
document.title = 'SALI Stream: ' + id;

// What tests and the latency benchmark read: frames drawn, the last one, the alert state, latencies (ms).
const viewer = window.saliViewer = { framesDrawn: 0, lastFrameIndex: -1, alertOpen: false, ended: false, latencies: [] };
let pending = null;
let drawing = false;
let unreported = [];

function image(dataUrl) {
  const img = new Image();
  img.src = dataUrl;
  return img.decode().then(() => img);
}

async function draw() {
  if (drawing || !pending) {
    return;
  }
  drawing = true;
  const f = pending;
  pending = null;
  try {
    const [frame, overlay] = await Promise.all([image(f.frame), image(f.overlay)]);
    if (canvas.width !== f.width || canvas.height !== f.height) {
      canvas.width = f.width;
      canvas.height = f.height;
    }
    context.drawImage(frame, 0, 0);
    context.drawImage(overlay, 0, 0);
    const latency = Date.now() - f.captureUs / 1000;
    viewer.framesDrawn++;
    viewer.lastFrameIndex = f.frameIndex;
    viewer.latencies.push(latency);
    if (viewer.latencies.length > 1000) {
      viewer.latencies.shift();
    }
    unreported.push(latency);
    el('waiting').hidden = true;
    el('frame').textContent = '#' + f.frameIndex + (f.exact ? '' : ' (mask of #' + f.maskIndex + ')');
    el('probability').textContent = f.maxProbability.toFixed(2) + (f.boxes.length ? ' · ' + f.boxes.length + ' region(s)' : '');
    el('fps').textContent = f.fps.toFixed(1);
    el('latency').textContent = Math.round(latency) + ' ms (median ' + Math.round(median(viewer.latencies)) + ' ms)';
    setAlert(f.alert);
  } catch (e) {
    // an image that does not decode: skip this frame
  } finally {
    drawing = false;
    if (pending) {
      draw();
    }
  }
}

function median(values) {
  const s = values.slice().sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
}

function setAlert(open) {
  viewer.alertOpen = open;
  banner.hidden = !open;
  document.body.classList.toggle('alerting', open);
}

function addAlert(a) {
  const item = document.createElement('li');
  item.className = a.type === 'APPEARED' ? 'appeared' : 'cleared';
  item.textContent = (a.type === 'APPEARED' ? 'polyp appeared' : 'cleared') + ' at frame #' + a.frameIndex
      + ' (frames ' + a.firstFrameIndex + '–' + a.lastFrameIndex + ', confidence ' + a.confidence.toFixed(2) + ')';
  timeline.prepend(item);
  setAlert(a.open);
}

function setState(s) {
  viewer.ended = s.ended;
  el('state').textContent = s.ended ? 'ended after frame #' + s.endIndex : 'streaming';
  setAlert(s.alert);
}

setInterval(() => {
  if (unreported.length) {
    const samples = unreported;
    unreported = [];
    fetch('/api/screen-latency', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ procedure: id, samples }) }).catch(() => {});
  }
}, 2000);

const events = new EventSource('/events?procedure=' + encodeURIComponent(id));
events.addEventListener('open', () => { el('connection').textContent = 'live'; });
events.addEventListener('error', () => { el('connection').textContent = 'reconnecting…'; });
events.addEventListener('frame', e => { pending = JSON.parse(e.data); draw(); });
events.addEventListener('alert', e => addAlert(JSON.parse(e.data)));
events.addEventListener('state', e => setState(JSON.parse(e.data)));
