// The index page: the procedures streaming now, pushed by the server every second (Server-Sent Events).
'use strict';

const table = document.getElementById('procedures');
const body = table.querySelector('tbody');
const none = document.getElementById('none');
const connection = document.getElementById('connection');

function cell(row, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) {
    td.className = cls;
  }
  row.appendChild(td);
  return td;
}

function render(list) {
  body.replaceChildren();
  for (const p of list) {
    const row = document.createElement('tr');
    const link = document.createElement('a');
    link.href = '/procedure?id=' + encodeURIComponent(p.procedure);
    link.textContent = p.procedure;
    const first = document.createElement('td');
    first.appendChild(link);
    row.appendChild(first);
    cell(row, String(p.frames));
    cell(row, p.lastIndex >= 0 ? '#' + p.lastIndex : '–');
    cell(row, p.alert ? 'POLYP' : '', p.alert ? 'alert-cell' : '');
    cell(row, p.ended ? 'ended' : (p.idleSeconds > 5 ? 'idle ' + p.idleSeconds + ' s' : 'streaming'));
    body.appendChild(row);
  }
  table.hidden = list.length === 0;
  none.hidden = list.length > 0;
}

const events = new EventSource('/events');
events.addEventListener('open', () => { connection.textContent = 'live'; });
events.addEventListener('error', () => { connection.textContent = 'reconnecting…'; });
events.addEventListener('procedures', e => render(JSON.parse(e.data)));
