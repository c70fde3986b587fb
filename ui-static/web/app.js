// BoxAgnts' web UI: wires the screens together and keeps the location hash as the route, so that a reload comes back
// to the same session and screen.
import {whenUnauthorized, api} from './api.js';
import {status} from './dom.js';
import {ChatView} from './chat.js';
import {SessionsSidebar} from './sessions.js';
import {ToolsView} from './tools.js';
import {ModelsView} from './models.js';
import {WorkspaceView} from './workspace.js';

const THEME_KEY = 'boxagnts.theme';
const SESSION_KEY = 'boxagnts.session';

class App {
  constructor() {
    this.views = {};
    this.chat = new ChatView(document.getElementById('view-chat'), this);
    this.sidebar = new SessionsSidebar(document.getElementById('sessions'), this);
    this.tools = new ToolsView(document.getElementById('view-tools'));
    this.models = new ModelsView(document.getElementById('view-models'), this);
    this.workspace = new WorkspaceView(document.getElementById('view-workspace'), this);
    this.sessionId = null;
  }

  async start() {
    whenUnauthorized(() => { document.getElementById('sign-in').hidden = false; });
    applyTheme(localStorage.getItem(THEME_KEY));
    document.getElementById('toggle-theme').addEventListener('click', () => {
      const dark = document.documentElement.dataset.theme === 'dark' || (!document.documentElement.dataset.theme
        && matchMedia('(prefers-color-scheme: dark)').matches);
      localStorage.setItem(THEME_KEY, dark ? 'light' : 'dark');
      applyTheme(dark ? 'light' : 'dark');
    });
    document.getElementById('new-session').addEventListener('click', () => this.createSession());
    document.getElementById('toggle-sidebar').addEventListener('click', event => {
      event.stopPropagation();
      document.body.classList.toggle('show-sidebar');
    });
    // On a narrow window the sessions are a drawer: a click beside it or Esc closes it.
    document.querySelector('.main').addEventListener('click', () => document.body.classList.remove('show-sidebar'));
    for (const tab of document.querySelectorAll('[role=tab]')) {
      tab.addEventListener('click', () => {
        location.hash = tab.dataset.view === 'chat' && this.sessionId ? `chat/${this.sessionId}` : tab.dataset.view;
      });
    }
    document.addEventListener('keydown', event => {
      if (event.key === 'Escape') document.body.classList.remove('show-sidebar');
      if (event.altKey && event.key.toLowerCase() === 'n') {
        event.preventDefault();
        this.createSession();
      }
    });
    window.addEventListener('hashchange', () => this.route());
    showConsoleLink();
    try {
      await Promise.all([this.chat.loadModels(), this.sidebar.refresh()]);
    } catch (e) {
      if (e.status !== 401) status(e.message, 'error');
      return;
    }
    // The session to show: the one the address names, else the last one opened here, else the newest. Opened even
    // when another screen is asked for, so that the workspace screen knows whose changes to show.
    const named = /^#chat\/(.+)$/.exec(location.hash)?.[1];
    const remembered = localStorage.getItem(SESSION_KEY);
    const sessions = this.sidebar.sessions;
    const start = named ?? (sessions.some(s => s.id === remembered) ? remembered : sessions[0]?.id);
    if (start && !named) await this.openSession(start, false);
    if (!location.hash && start) history.replaceState(null, '', `#chat/${start}`);
    await this.route();
  }

  async route() {
    const route = decodeURIComponent(location.hash.slice(1));
    const [view, ...rest] = route.split('/');
    const name = ['tools', 'models', 'workspace'].includes(view) ? view : 'chat';
    for (const tab of document.querySelectorAll('[role=tab]')) {
      tab.setAttribute('aria-selected', String(tab.dataset.view === name));
    }
    for (const section of document.querySelectorAll('.view')) section.hidden = section.id !== `view-${name}`;
    document.body.classList.remove('show-sidebar');
    try {
      if (name === 'chat') {
        const id = rest[0] ?? this.sessionId ?? null;
        if (id !== (this.chat.session?.id ?? null) || !this.chat.session) await this.openSession(id, false);
        this.chat.input.focus();
      } else if (name === 'tools') {
        await this.tools.show();
      } else if (name === 'models') {
        await this.models.show();
        if (rest[0] === 'add') this.models.focusForm();
      } else {
        await this.workspace.show(rest.join('/'));
      }
    } catch (e) {
      status(e.message, 'error');
    }
  }

  async openSession(id, navigate = true) {
    this.sessionId = id;
    if (navigate) {
      location.hash = id ? `chat/${id}` : 'chat';
      return;
    }
    try {
      await this.chat.open(id);
      if (id) localStorage.setItem(SESSION_KEY, id);
    } catch (e) {
      status(e.message, 'error');
      this.sessionId = null;
      await this.chat.open(null);
    }
    this.sidebar.render();
  }

  async createSession(title = 'New session') {
    try {
      const session = await api('/sessions', {method: 'POST', body: {title}});
      await this.sidebar.refresh();
      this.sessionId = session.id;
      history.replaceState(null, '', `#chat/${session.id}`);
      await this.route();
      return session;
    } catch (e) {
      status(e.message, 'error');
      return null;
    }
  }

  currentSessionId() { return this.sessionId; }
  changes() { return this.sessionId ? this.chat.changes() : []; }
  async sessionsChanged() {
    const sessions = await this.sidebar.refresh().catch(e => { status(e.message, 'error'); return []; });
    const current = sessions.find(s => s.id === this.sessionId);
    if (current && this.chat.session) {
      this.chat.session = current;
      this.chat.showInfo();
    }
  }
  async modelsChanged() { await this.chat.loadModels(); }
  changesUpdated() { if (!document.getElementById('view-workspace').hidden) this.workspace.renderChanges(); }
}

function applyTheme(theme) {
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  const dark = theme === 'dark' || (theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.getElementById('hljs-light').disabled = dark;
  document.getElementById('hljs-dark').disabled = !dark;
}

// The Web Console, for whoever may open it (the administrator); a runtime without the console bundle shows no link.
async function showConsoleLink() {
  try {
    const info = await api('/console');
    const link = document.getElementById('console-link');
    link.href = info.path;
    link.hidden = !info.mayOpen;
  } catch {
    // no console here, or not signed in yet: no link
  }
}

// Deferred classic scripts (the libraries) run before module scripts, so they are all loaded here.
new App().start();

