// The sessions sidebar: list, new, switch, rename, export, delete.
import {api} from './api.js';
import {h, clear, when, status} from './dom.js';

export class SessionsSidebar {
  constructor(element, app) {
    this.element = element;
    this.app = app;
    this.sessions = [];
  }

  async refresh() {
    const data = await api('/sessions');
    this.sessions = data.sessions.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    this.render();
    return this.sessions;
  }

  render() {
    if (!this.sessions.length) {
      clear(this.element, h('p', {class: 'muted'}, 'No sessions yet.'));
      return;
    }
    clear(this.element, this.sessions.map(session => this.item(session)));
  }

  item(session) {
    const current = session.id === this.app.currentSessionId();
    const menu = h('div', {class: 'session-actions'},
      h('button', {type: 'button', class: 'icon small', title: 'Rename', 'aria-label': `Rename ${session.title}`,
        onclick: event => { event.stopPropagation(); this.rename(session, row); }}, '\u270e'),
      h('a', {class: 'icon small', title: 'Export as Markdown', 'aria-label': `Export ${session.title} as Markdown`,
        href: `/api/sessions/${session.id}/export?format=md`, download: `${session.id}.md`,
        onclick: event => event.stopPropagation()}, 'MD'),
      h('a', {class: 'icon small', title: 'Export as JSON', 'aria-label': `Export ${session.title} as JSON`,
        href: `/api/sessions/${session.id}/export?format=json`, download: `${session.id}.json`,
        onclick: event => event.stopPropagation()}, '{}'),
      h('button', {type: 'button', class: 'icon small danger', title: 'Delete', 'aria-label': `Delete ${session.title}`,
        onclick: event => { event.stopPropagation(); this.remove(session); }}, '\u2715'));
    const row = h('div', {class: `session${current ? ' current' : ''}`, role: 'button', tabindex: 0,
      'aria-current': current ? 'true' : null, dataset: {id: session.id},
      onclick: () => this.app.openSession(session.id),
      onkeydown: event => { if (event.key === 'Enter') this.app.openSession(session.id); }},
      h('span', {class: 'session-title'}, session.title),
      h('span', {class: 'session-time'}, when(session.updatedAt)), menu);
    return row;
  }

  rename(session, row) {
    const input = h('input', {class: 'rename', value: session.title, 'aria-label': 'New title', maxlength: 200});
    const done = async save => {
      const title = input.value.trim();
      if (save && title && title !== session.title) {
        try {
          await api(`/sessions/${session.id}/rename`, {method: 'POST', body: {title}});
          status('Renamed.');
        } catch (e) {
          status(e.message, 'error');
        }
      }
      await this.app.sessionsChanged();
    };
    input.addEventListener('keydown', event => {
      if (event.key === 'Enter') done(true);
      if (event.key === 'Escape') { event.stopPropagation(); done(false); }
    });
    input.addEventListener('click', event => event.stopPropagation());
    input.addEventListener('blur', () => done(true), {once: true});
    row.querySelector('.session-title').replaceWith(input);
    input.focus();
    input.select();
  }

  async remove(session) {
    if (!confirm(`Delete the session \u201c${session.title}\u201d? Its history is removed from disk.`)) return;
    try {
      await api(`/sessions/${session.id}`, {method: 'DELETE'});
      status('Session deleted.');
      if (session.id === this.app.currentSessionId()) await this.app.openSession(null);
      await this.app.sessionsChanged();
    } catch (e) {
      status(e.message, 'error');
    }
  }
}
