// The runtime's HTTP API. The browser authenticates with the HttpOnly session cookie it got for the access token;
// the runtime also checks the Origin of every state-changing request, which fetch() sends by itself.

export class ApiError extends Error {
  constructor(status, kind, message) {
    super(message);
    this.status = status;
    this.kind = kind;
  }
}

let onUnauthorized = () => {};
export function whenUnauthorized(handler) { onUnauthorized = handler; }

async function failure(response) {
  const text = await response.text();
  let error = null;
  try { error = JSON.parse(text).error; } catch { /* not JSON */ }
  if (response.status === 401) onUnauthorized();
  return new ApiError(response.status, error?.kind ?? `HTTP_${response.status}`,
    error?.message ?? (text.slice(0, 300) || response.statusText));
}

export async function api(path, {method = 'GET', body} = {}) {
  const response = await fetch(`/api${path}`, {
    method,
    headers: body === undefined ? {} : {'Content-Type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return null;
  return response.json();
}

/** POSTs and reads the answer as Server-Sent Events: calls onEvent({type, ...data}) for each. */
export async function streamEvents(path, body, onEvent, signal) {
  const response = await fetch(`/api${path}`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json', 'Accept': 'text/event-stream'},
    body: JSON.stringify(body),
    credentials: 'same-origin',
    signal,
  });
  if (!response.ok) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter(line => line.startsWith('data:')).map(line => line.slice(5).trim()).join('\n');
      if (!data) continue;
      try {
        onEvent(JSON.parse(data));
      } catch (e) {
        onEvent({type: 'Error', message: `the runtime sent an event the UI cannot read: ${e.message}`});
      }
    }
  }
}
