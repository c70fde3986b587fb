// The chat screen: a session's transcript (stored events, then the live turn), the composer, approvals and stop.
import {api, streamEvents, ApiError} from './api.js';
import {h, clear, pretty, millis, status} from './dom.js';
import {renderMarkdown} from './markdown.js';
import {resultView, argumentsLine, headerFact} from './results.js';

/** Tool error kinds in plain words. */
const ERROR_WORDS = {
  TIMEOUT: 'took longer than its time limit and was stopped',
  MEMORY_LIMIT: 'needed more memory than it is allowed',
  OUTPUT_TOO_LARGE: 'produced more output than it is allowed',
  PERMISSION_DENIED: 'was not allowed to run',
  MODULE_TRAP: 'crashed',
  BAD_OUTPUT: 'answered with something that is not valid JSON',
  INVALID_INPUT: 'was called with arguments it does not accept',
  TOOL_ERROR: 'reported an error',
  TOO_MANY_CALLS: 'was busy with too many calls at once',
  MEMORY_BUDGET: 'waited too long for memory that other tool calls held',
  UNAVAILABLE: 'is not available',
  INTERNAL: 'failed inside the runtime',
};

export function errorInWords(tool, error) {
  const words = ERROR_WORDS[error.kind] ?? `failed (${error.kind})`;
  return `${tool} ${words}: ${error.message}`;
}

const STOP_WORDS = {
  COMPLETED: 'Done', CANCELLED: 'Stopped', MAX_STEPS: 'Stopped after the maximum number of steps',
  LOOP_DETECTED: 'Stopped: the model kept repeating a failing call', ERROR: 'Ended with an error',
  MAX_TOKENS: 'Cut off: the answer reached the model\u2019s output limit',
};

/** Renders agent events, stored or live, into a transcript element. */
class Transcript {
  constructor(element, sessionId, onChange, onContext) {
    this.element = element;
    this.sessionId = sessionId;
    this.onChange = onChange;
    this.onContext = onContext;
    this.cards = new Map();
    this.text = null;
    this.pending = false;
  }

  add(event) {
    switch (event.type) {
      case 'UserMessage':
        this.closeText();
        this.append(h('div', {class: 'message user'}, h('div', {class: 'bubble'}, event.text)));
        break;
      case 'TextDelta':
        this.appendText(event.text);
        break;
      case 'ToolCallStarted':
        this.closeText();
        this.card(event);
        break;
      case 'ApprovalRequested':
        this.cards.get(event.callId)?.ask(event);
        break;
      case 'ApprovalDecided':
        this.cards.get(event.callId)?.decided(event);
        break;
      case 'ToolCallFinished':
        this.cards.get(event.callId)?.finished(event);
        break;
      case 'FileChanged':
        this.cards.get(event.callId)?.changed(event);
        this.onChange?.(event);
        break;
      case 'ContextSummary':
        this.closeText();
        this.append(h('div', {class: 'notice'}, 'Earlier messages were summarised to fit the model\u2019s context window.'));
        break;
      case 'Error':
        this.closeText();
        this.append(h('div', {class: 'notice error', role: 'alert'}, event.message));
        break;
      case 'Notice':
        this.closeText();
        this.append(h('div', {class: 'notice info'}, event.message));
        break;
      case 'ContextUsage':
        this.onContext?.(event);
        break;
      case 'TurnFinished':
        this.closeText();
        this.append(h('div', {class: `turn-end ${event.reason.toLowerCase()}`},
          `${STOP_WORDS[event.reason] ?? event.reason} \u00b7 ${millis(event.millis)}`,
          event.usage ? ` \u00b7 ${event.usage.inputTokens} tokens in, ${event.usage.outputTokens} out` : ''));
        for (const card of this.cards.values()) card.expire();
        break;
      default:
        break; // newer event types: ignored, as the API promises
    }
  }

  appendText(text) {
    if (!this.text) {
      const body = h('div', {class: 'markdown'});
      this.text = {source: '', body};
      this.append(h('div', {class: 'message assistant'}, body));
    }
    this.text.source += text;
    if (!this.pending) { // one render per frame, however fast the tokens come
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        if (this.text) renderMarkdown(this.text.body, this.text.source);
      });
    }
  }

  closeText() {
    if (this.text) renderMarkdown(this.text.body, this.text.source);
    this.text = null;
  }

  card(event) {
    const card = new ToolCard(event, this.sessionId);
    this.cards.set(event.callId, card);
    this.append(card.element);
  }

  append(node) {
    const atBottom = this.element.scrollHeight - this.element.scrollTop - this.element.clientHeight < 80;
    this.element.append(node);
    if (atBottom) this.element.scrollTop = this.element.scrollHeight;
  }
}

/** One tool call: what was called with which arguments, its approval, its outcome. */
class ToolCard {
  constructor(event, sessionId) {
    this.sessionId = sessionId;
    this.tool = event.tool;
    this.callId = event.callId;
    this.arguments = event.arguments;
    this.badge = h('span', {class: 'badge running'}, 'running');
    this.duration = h('span', {class: 'duration'});
    this.approval = h('div', {class: 'approval', hidden: true});
    this.result = h('div', {class: 'result'});
    this.changes = h('div', {class: 'changes'});
    this.element = h('details', {class: 'tool-card', dataset: {callId: event.callId, tool: event.tool}},
      h('summary', {}, h('span', {class: 'tool-name'}, event.tool), this.badge, this.duration,
        h('span', {class: 'summary-args'}, argumentsLine(event.tool, event.arguments))),
      this.approval,
      h('div', {class: 'label'}, 'Arguments'),
      h('pre', {class: 'arguments'}, pretty(event.arguments)),
      this.result, this.changes);
  }

  ask(event) {
    this.setBadge('waiting', 'needs approval');
    document.title = 'Approval needed \u2014 BoxAgnts'; // seen from another tab
    this.element.open = true;
    const answer = async (approved, forSession) => {
      for (const button of this.approval.querySelectorAll('button')) button.disabled = true;
      try {
        await api(`/sessions/${this.sessionId}/approvals/${encodeURIComponent(this.callId)}`,
          {method: 'POST', body: {approved, forSession}});
      } catch (e) {
        clear(this.approval, h('p', {class: 'error'}, e instanceof ApiError && e.status === 404
          ? 'This request is no longer waiting: its turn has ended.' : e.message));
      }
    };
    clear(this.approval,
      h('p', {}, `The agent wants to run ${event.tool}, which can change files in the workspace.`),
      h('div', {class: 'buttons'},
        h('button', {class: 'primary', type: 'button', onclick: () => answer(true, false)}, 'Approve once'),
        h('button', {type: 'button', onclick: () => answer(true, true)}, `Always allow ${event.tool} in this session`),
        h('button', {class: 'danger', type: 'button', onclick: () => answer(false, false)}, 'Deny')));
    this.approval.hidden = false;
  }

  decided(event) {
    document.title = 'BoxAgnts';
    this.approval.hidden = false;
    this.approval.classList.add('done');
    clear(this.approval, h('p', {class: 'decided'}, event.approved
      ? (event.by.includes('session') ? 'Approved for the rest of this session.' : 'Approved.')
      : 'Denied.'));
    if (event.approved) this.setBadge('running', 'running');
  }

  finished(event) {
    this.duration.textContent = millis(event.millis);
    if (event.error) {
      this.setBadge('failed', event.error.kind === 'PERMISSION_DENIED' ? 'not run' : 'failed');
      clear(this.result, h('div', {class: 'label'}, 'Error'),
        h('p', {class: 'error'}, errorInWords(this.tool, event.error)));
    } else {
      this.setBadge('ok', 'done');
      const fact = headerFact(this.tool, event.output);
      if (fact) this.badge.after(fact);
      clear(this.result, resultView(this.tool, this.arguments, event.output));
    }
  }

  changed(event) {
    this.changes.append(h('a', {class: 'change-link', href: `#workspace/changes/${encodeURIComponent(event.path)}`},
      `${event.before === null ? 'Created' : event.after === null ? 'Deleted' : 'Changed'} ${event.path} \u2014 view diff`));
  }

  /** The turn ended: an approval nobody answered is moot. */
  expire() {
    document.title = 'BoxAgnts';
    if (this.badge.classList.contains('running') || this.badge.classList.contains('waiting')) {
      this.setBadge('failed', 'not finished');
      for (const button of this.approval.querySelectorAll('button')) button.disabled = true;
    }
  }

  setBadge(kind, text) {
    this.badge.className = `badge ${kind}`;
    this.badge.textContent = text;
  }
}

/** The chat screen and its composer. */
export class ChatView {
  constructor(element, app) {
    this.app = app;
    this.session = null;
    this.running = null;
    this.title = h('h2', {class: 'session-title'}, '');
    this.usage = h('span', {class: 'usage'});
    this.contextBar = h('span', {class: 'context-bar'}, h('span', {class: 'context-fill'}));
    this.contextText = h('span', {class: 'context-text'});
    this.context = h('span', {class: 'context-meter', id: 'context-meter', hidden: true, role: 'meter',
      'aria-label': 'How full the model\u2019s context window is', 'aria-valuemin': 0},
      this.contextBar, this.contextText);
    this.mode = h('select', {id: 'mode', 'aria-label': 'Permission mode', title: 'What tools may do without asking'},
      h('option', {value: 'ask'}, 'Ask before writes'),
      h('option', {value: 'auto-edit'}, 'Auto-edit workspace'),
      h('option', {value: 'plan'}, 'Plan (read-only)'));
    this.model = h('select', {id: 'model', 'aria-label': 'Model'});
    this.transcriptElement = h('div', {class: 'transcript', id: 'transcript', 'aria-live': 'polite'});
    this.input = h('textarea', {id: 'prompt', rows: 3, placeholder: 'Ask the agent about your workspace\u2026 (Enter sends, Shift+Enter for a new line, Esc stops)', 'aria-label': 'Message'});
    this.send = h('button', {class: 'primary', id: 'send', type: 'button', onclick: () => this.submit()}, 'Send');
    this.stop = h('button', {class: 'danger', id: 'stop', type: 'button', hidden: true, onclick: () => this.cancel()}, 'Stop');
    clear(element,
      h('div', {class: 'chat-header'}, this.title, this.usage, this.context, h('span', {class: 'spacer'}), this.mode,
        this.model),
      this.transcriptElement,
      h('div', {class: 'composer'}, this.input, h('div', {class: 'composer-buttons'}, this.send, this.stop)));
    this.input.addEventListener('keydown', event => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    document.addEventListener('keydown', event => {
      if (event.key === 'Escape' && this.running) {
        event.preventDefault();
        this.cancel();
      }
    });
  }

  async loadModels() {
    try {
      const providers = await api('/providers');
      const options = [h('option', {value: ''}, 'Automatic (first local model)')];
      const seen = new Set();
      for (const server of providers.servers.filter(s => s.reachable)) {
        for (const model of server.models) {
          options.push(h('option', {value: `${server.providerId}\u0000${model}`}, `${server.providerId} \u00b7 ${model}`));
        }
        seen.add(server.providerId);
      }
      for (const id of providers.providers.filter(p => !seen.has(p))) {
        const model = providers.configured.find(c => c.id === id)?.model ?? '';
        options.push(h('option', {value: `${id}\u0000${model}`}, `${id} \u00b7 ${model || 'default model'}`));
      }
      const previous = this.model.value;
      clear(this.model, options);
      if ([...this.model.options].some(o => o.value === previous)) this.model.value = previous;
      this.noModel = providers.providers.length === 0 ? providers.hint : null;
    } catch (e) {
      this.noModel = e.message;
    }
  }

  async open(sessionId) {
    if (this.running && !this.running.controller) this.stopFollowing();
    if (!sessionId) {
      this.session = null;
      this.title.textContent = 'No session';
      this.usage.textContent = '';
      clear(this.transcriptElement, h('div', {class: 'empty'},
        h('h3', {}, 'Start a session'), h('p', {}, 'Create one with \u201c+ New session\u201d, or just type below.')));
      return;
    }
    const data = await api(`/sessions/${sessionId}`);
    this.session = data.session;
    this.showInfo();
    this.transcript = new Transcript(clear(this.transcriptElement), sessionId, () => this.app.changesUpdated(),
      event => this.showContext(event));
    this.showContext(null);
    for (const event of data.events) this.transcript.add(event);
    this.transcript.closeText();
    if (!data.events.length) {
      this.transcriptElement.append(h('div', {class: 'empty'}, h('h3', {}, 'What should the agent do?'),
        h('p', {}, 'It works on your workspace with sandboxed tools; writes wait for your approval.'),
        this.noModel ? h('p', {class: 'error'}, this.noModel) : null));
    }
    this.transcriptElement.scrollTop = this.transcriptElement.scrollHeight;
    this.events = data.events;
    this.follow(sessionId);
  }

  /**
   * A turn that runs but is not streaming to this page (it was reloaded, or opened in another tab): follow the
   * session's log until the turn ends, so that its steps, approvals and end still show up, and Stop still works.
   */
  follow(sessionId) {
    const last = this.events.at(-1);
    if (!last || last.type === 'TurnFinished' || this.running) return;
    this.running = {sessionId, controller: null};
    this.setBusy(true);
    let quiet = 0;
    const tick = async () => {
      if (this.running?.sessionId !== sessionId || this.running.controller) return;
      const data = await api(`/sessions/${sessionId}`).catch(() => null);
      if (this.running?.sessionId !== sessionId || this.running.controller) return;
      if (data) {
        const fresh = data.events.slice(this.events.length);
        quiet = fresh.length ? 0 : quiet + 1;
        for (const event of fresh) this.transcript.add(event);
        this.events = data.events;
        this.session = data.session;
        if (fresh.length) this.app.changesUpdated();
        if (data.events.at(-1)?.type === 'TurnFinished') {
          this.stopFollowing();
          this.showInfo();
          this.app.sessionsChanged();
          return;
        }
      }
      if (quiet < 600) this.followTimer = setTimeout(tick, 1000); // a turn that never ends (a crash) is let go
      else this.stopFollowing();
    };
    this.followTimer = setTimeout(tick, 1000);
  }

  stopFollowing() {
    clearTimeout(this.followTimer);
    this.running = null;
    this.setBusy(false);
  }

  setBusy(busy) {
    this.send.hidden = busy;
    this.stop.hidden = !busy;
    document.body.classList.toggle('busy', busy);
  }

  showInfo() {
    this.title.textContent = this.session.title;
    const u = this.session.usage;
    this.usage.textContent = this.session.turnMillis ? `${u.inputTokens + u.outputTokens} tokens \u00b7 ${millis(this.session.turnMillis)}` : '';
  }

  /** The context meter: how much of the model's window the last request filled (hidden before the first). */
  showContext(event) {
    this.context.hidden = !event;
    if (!event) return;
    const share = Math.min(1, event.promptTokens / Math.max(1, event.contextTokens));
    this.context.querySelector('.context-fill').style.width = `${Math.round(share * 100)}%`;
    this.context.classList.toggle('full', share > 0.8);
    this.context.setAttribute('aria-valuemax', event.contextTokens);
    this.context.setAttribute('aria-valuenow', event.promptTokens);
    this.contextText.textContent = `context ${event.promptTokens.toLocaleString('en')} / `
      + `${event.contextTokens.toLocaleString('en')} tokens${event.compactTools ? ' \u00b7 short tool definitions' : ''}`;
    this.context.title = 'How full the model\u2019s context window was at the last request. When it is full, old tool '
      + 'outputs are left out first, then earlier messages are summarised, then long messages are cut.';
  }

  /**
   * A turn the runtime refused before it started (no model, a server that is down): the message stays, in the
   * transcript and in the composer to send again, with what to do about it.
   */
  refused(text, error) {
    this.transcript?.add({type: 'UserMessage', text});
    this.transcriptElement.lastElementChild?.classList.add('unsent');
    const unavailable = error instanceof ApiError && error.kind === 'MODEL_UNAVAILABLE';
    this.transcriptElement.append(h('div', {class: 'notice error', role: 'alert'},
      h('p', {}, error.message),
      unavailable ? h('p', {}, 'Start a model server on this machine \u2014 for example ',
        h('code', {}, 'ollama serve'), ' or ', h('code', {}, 'llama-server -m model.gguf --jinja'),
        ' \u2014 and it is found by itself within seconds; or add a provider.') : null,
      unavailable ? h('div', {class: 'buttons'},
        h('button', {class: 'primary', type: 'button', id: 'add-provider',
          onclick: () => { location.hash = 'models/add'; }}, 'Add a provider')) : null));
    this.transcriptElement.scrollTop = this.transcriptElement.scrollHeight;
    if (!this.input.value.trim()) this.input.value = text; // to send again once a model is there
  }

  async submit() {
    const text = this.input.value.trim();
    if (!text) return;
    if (this.running) {
      status('A turn is still running; wait for it or stop it first.', 'error');
      return;
    }
    if (!this.session) {
      const created = await this.app.createSession(text.slice(0, 60));
      if (!created) return;
    }
    const sessionId = this.session.id;
    if (this.session.title === 'New session' && !this.events?.length) {
      // a session is named after its first request, as chat UIs do; the user can rename it
      await api(`/sessions/${sessionId}/rename`, {method: 'POST', body: {title: text.slice(0, 60)}})
        .then(() => this.app.sessionsChanged()).catch(() => {});
      this.title.textContent = text.slice(0, 60);
    }
    this.input.value = '';
    this.transcriptElement.querySelector('.empty')?.remove();
    const [provider, model] = this.model.value ? this.model.value.split('\u0000') : ['', ''];
    const controller = new AbortController();
    this.running = {sessionId, controller};
    this.setBusy(true);
    try {
      await streamEvents(`/sessions/${sessionId}/messages`, {text, mode: this.mode.value, provider, model},
        event => {
          if (event.type === 'TurnFinished') this.app.sessionsChanged();
          if (this.session?.id !== sessionId) return;
          if (event.type === 'FileChanged') this.events = [...(this.events ?? []), event]; // for the workspace screen
          this.transcript.add(event);
        }, controller.signal);
    } catch (e) {
      if (e.name !== 'AbortError' && this.session?.id === sessionId) {
        if (e instanceof ApiError) this.refused(text, e); // refused before the turn started: nothing was logged
        else this.transcript.add({type: 'Error', message: e.message});
      }
    } finally {
      this.running = null;
      this.setBusy(false);
      this.transcript?.closeText();
      if (this.session?.id === sessionId) {
        const data = await api(`/sessions/${sessionId}`).catch(() => null);
        if (data) {
          this.session = data.session;
          this.events = data.events;
          this.showInfo();
          this.app.changesUpdated();
        }
      }
      this.input.focus();
    }
  }

  async cancel() {
    if (!this.running) return;
    try {
      await api(`/sessions/${this.running.sessionId}/cancel`, {method: 'POST', body: {}});
      status('Stopping the turn\u2026');
    } catch (e) {
      status(e.message, 'error');
    }
  }

  /** The FileChanged events of the open session, oldest first. */
  changes() {
    return (this.events ?? []).filter(e => e.type === 'FileChanged');
  }
}
