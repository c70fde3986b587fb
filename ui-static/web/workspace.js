// The workspace screen: a read-only file browser with preview, and what the open session's tool calls changed, as
// diffs.
import {api} from './api.js';
import {h, clear, bytes} from './dom.js';
import {highlight} from './markdown.js';

export class WorkspaceView {
  constructor(element, app) {
    this.app = app;
    this.dir = '';
    this.crumbs = h('nav', {class: 'crumbs', 'aria-label': 'Folder'});
    this.list = h('ul', {class: 'files', id: 'files'});
    this.preview = h('div', {class: 'preview', id: 'preview'});
    this.changeList = h('ul', {class: 'change-list', id: 'changes'});
    clear(element, h('div', {class: 'workspace'},
      h('div', {class: 'browser'}, h('h3', {}, 'Files'), this.crumbs, this.list,
        h('h3', {}, 'Changed in this session'), this.changeList),
      this.preview));
  }

  async show(route = '') {
    this.renderChanges();
    if (route.startsWith('changes/')) {
      await this.listDir(this.dir);
      this.showDiff(decodeURIComponent(route.slice('changes/'.length)));
    } else {
      await this.listDir(this.dir);
      if (!this.preview.hasChildNodes()) clear(this.preview, h('p', {class: 'muted'}, 'Choose a file to preview it.'));
    }
  }

  async listDir(dir) {
    try {
      const data = await api(`/workspace/list?path=${encodeURIComponent(dir)}`);
      this.dir = data.path;
      const parts = data.path ? data.path.split('/') : [];
      clear(this.crumbs, h('a', {href: '#workspace', onclick: e => { e.preventDefault(); this.listDir(''); }}, 'workspace'),
        parts.map((part, i) => [' / ', h('a', {href: '#workspace', onclick: e => {
          e.preventDefault(); this.listDir(parts.slice(0, i + 1).join('/'));
        }}, part)]));
      clear(this.list, data.path ? h('li', {}, h('button', {type: 'button', class: 'file dir',
        onclick: () => this.listDir(parts.slice(0, -1).join('/'))}, '..')) : null,
      data.entries.map(entry => h('li', {}, h('button', {type: 'button', class: `file ${entry.type}`, dataset: {path: entry.path},
        onclick: () => entry.type === 'dir' ? this.listDir(entry.path) : this.openFile(entry.path)},
        h('span', {class: 'name'}, entry.name), entry.type === 'file' ? h('span', {class: 'size'}, bytes(entry.size)) : null))),
      data.truncated ? h('li', {class: 'muted'}, 'More files are not shown.') : null,
      data.entries.length ? null : h('li', {class: 'muted'}, 'This folder is empty.'));
    } catch (e) {
      clear(this.list, h('li', {class: 'error'}, e.message));
    }
  }

  async openFile(path) {
    try {
      const file = await api(`/workspace/file?path=${encodeURIComponent(path)}`);
      const code = h('code', {});
      clear(this.preview, h('div', {class: 'preview-header'}, h('strong', {}, file.path), h('span', {class: 'muted'}, bytes(file.size))),
        file.binary ? h('p', {class: 'muted'}, 'This is a binary file; it is not shown.')
          : h('pre', {class: 'file-text'}, code),
        file.truncated ? h('p', {class: 'muted'}, 'Only the beginning of this file is shown.') : null);
      if (!file.binary) highlight(code, file.text, file.path);
    } catch (e) {
      clear(this.preview, h('p', {class: 'error'}, e.message));
    }
  }

  renderChanges() {
    const changes = this.app.changes();
    const latest = new Map();
    for (const change of changes) latest.set(change.path, change);
    clear(this.changeList, [...latest.keys()].map(path => h('li', {}, h('a', {href: `#workspace/changes/${encodeURIComponent(path)}`,
      class: 'change-link'}, path))),
    latest.size ? null : h('li', {class: 'muted'}, this.app.currentSessionId()
      ? 'No file was changed by this session\u2019s tools yet.' : 'Open a session to see its changes.'));
  }

  /** All of the session's changes to one file, oldest first, as unified diffs. */
  showDiff(path) {
    const changes = this.app.changes().filter(c => c.path === path);
    if (!changes.length) {
      clear(this.preview, h('p', {class: 'muted'}, `This session did not change ${path}.`));
      return;
    }
    clear(this.preview, h('div', {class: 'preview-header'}, h('strong', {}, path),
      h('span', {class: 'muted'}, `${changes.length} change(s) in this session`)),
    changes.map(change => diff(change)));
  }
}

function diff(change) {
  const patch = window.Diff.createTwoFilesPatch(`a/${change.path}`, `b/${change.path}`, change.before ?? '',
    change.after ?? '', change.before === null ? 'created' : '', change.after === null ? 'deleted' : '');
  const lines = patch.split('\n').filter((line, i) => !(i < 4 && /^(Index:|===|--- |\+\+\+ )/.test(line)));
  return h('pre', {class: 'diff', dataset: {path: change.path}}, lines.map(line => h('span', {
    class: line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : 'ctx',
  }, `${line}\n`)));
}
