// The models screen: local servers discovery found (or how to start them), the providers the user configured, a form
// to add or change one (the API key is write-only), and a test button that asks the provider for its models.
import {api} from './api.js';
import {h, clear, millis, status} from './dom.js';

export class ModelsView {
  constructor(element, app) {
    this.element = element;
    this.app = app;
  }

  async show(data) {
    data = data ?? await api('/providers');
    const reachable = data.servers.filter(s => s.reachable);
    clear(this.element,
      h('div', {class: 'page-header'}, h('h2', {}, 'Models'),
        h('p', {class: 'muted'}, 'Local model servers are used first: with them, nothing leaves this machine.'),
        h('button', {type: 'button', id: 'rediscover', onclick: () => this.rediscover()}, 'Look for local servers again')),
      !data.providers.length ? h('div', {class: 'notice error', role: 'alert'}, h('strong', {}, 'No model is reachable. '),
        data.hint ?? 'Start a local model server, or add a provider below.') : null,
      h('h3', {}, 'On this machine'),
      h('div', {class: 'server-grid'}, data.servers.map(server => this.server(server, data.providers.includes(server.providerId)))),
      reachable.length ? null : h('p', {class: 'muted'}, 'For example: ollama serve && ollama pull qwen2.5-coder, or '
        + 'llama-server -m model.gguf --port 8080 --jinja.'),
      h('h3', {}, 'Configured providers'),
      data.configured.length ? h('div', {class: 'server-grid'}, data.configured.map(entry => this.configured(entry)))
        : h('p', {class: 'muted'}, 'None yet. Add an OpenAI-compatible server (vLLM, a llama.cpp on another port, '
          + 'a company gateway) or, if you choose to, a cloud provider.'),
      // a distribution whose providers are the administrator's: the form works only with the admin's credential
      data.changesReserved ? h('p', {class: 'muted', id: 'changes-reserved'}, data.changesReserved) : null,
      this.form());
  }

  server(server, known) {
    // a server seen before stays known while it is down: it is used again as soon as it answers
    const state = server.reachable ? 'running' : known ? 'stopped' : 'not found';
    return h('article', {class: `server ${server.reachable ? 'up' : 'down'}`, dataset: {id: server.providerId}},
      h('header', {}, h('h4', {}, server.providerId),
        h('span', {class: `badge ${server.reachable ? 'ok' : known ? 'waiting' : 'failed'}`}, state)),
      h('code', {}, server.baseUrl),
      server.reachable
        ? h('ul', {class: 'models'}, server.models.map(model => h('li', {}, model, limits(server, model))))
        : h('p', {class: 'muted'}, known ? 'Not answering now; it is used again as soon as it is back. ' : '',
          server.detail),
      server.reachable ? this.testButton(server.providerId) : null);
  }

  /** Brings the form to add a provider into view, e.g. from the chat's "Add a provider". */
  focusForm() {
    const id = this.element.querySelector('#provider-form input[name=id]');
    id?.scrollIntoView({block: 'center'});
    id?.focus();
  }

  configured(entry) {
    return h('article', {class: 'server configured', dataset: {id: entry.id}},
      h('header', {}, h('h4', {}, entry.id), h('span', {class: 'badge'}, entry.type)),
      h('code', {}, entry.baseUrl || '(public endpoint)'),
      h('p', {class: 'muted'}, entry.model ? `Model: ${entry.model}` : 'Model: the first it lists',
        ' \u00b7 ', entry.hasKey ? 'API key stored' : entry.apiKeyEnv ? `API key from $${entry.apiKeyEnv}` : 'no API key'),
      h('div', {class: 'buttons'}, this.testButton(entry.id),
        h('button', {type: 'button', onclick: () => this.edit(entry)}, 'Edit'),
        h('button', {type: 'button', class: 'danger', onclick: () => this.remove(entry)}, 'Remove')));
  }

  testButton(id) {
    const result = h('span', {class: 'test-result', role: 'status'});
    const button = h('button', {type: 'button', class: 'test-button', onclick: async () => {
      button.disabled = true;
      clear(result, 'Testing\u2026');
      try {
        const answer = await api(`/providers/${encodeURIComponent(id)}/test`, {method: 'POST', body: {}});
        result.className = 'test-result ok';
        clear(result, `Reachable in ${millis(answer.millis)}: ${answer.models.length} model(s)`
          + (answer.models.length ? ` (${answer.models.slice(0, 3).join(', ')}${answer.models.length > 3 ? ', \u2026' : ''})` : ''));
      } catch (e) {
        result.className = 'test-result error';
        clear(result, e.message);
      } finally {
        button.disabled = false;
      }
    }}, 'Test');
    return h('span', {class: 'test'}, button, result);
  }

  form(entry = null) {
    const id = h('input', {name: 'id', required: true, pattern: '[a-z0-9][a-z0-9._\\-]{0,63}', value: entry?.id ?? '',
      placeholder: 'work-vllm', readonly: entry ? true : null});
    const type = h('select', {name: 'type'}, h('option', {value: 'openai'}, 'OpenAI-compatible'),
      h('option', {value: 'anthropic'}, 'Anthropic'));
    type.value = entry?.type ?? 'openai';
    const baseUrl = h('input', {name: 'baseUrl', type: 'url', value: entry?.baseUrl ?? '',
      placeholder: 'http://gpu-box:8000/v1'});
    const model = h('input', {name: 'model', value: entry?.model ?? '', placeholder: 'optional'});
    const key = h('input', {name: 'apiKey', type: 'password', autocomplete: 'off',
      placeholder: entry?.hasKey ? 'stored \u2014 leave empty to keep it' : 'optional; never shown again'});
    const form = h('form', {class: 'provider-form', id: 'provider-form'},
      h('h3', {}, entry ? `Change ${entry.id}` : 'Add a provider'),
      h('label', {}, 'Id', id), h('label', {}, 'Type', type), h('label', {}, 'Base URL', baseUrl),
      h('label', {}, 'Default model', model), h('label', {}, 'API key', key),
      h('p', {class: 'muted'}, 'Cloud providers receive the conversation and the files the agent reads. '
        + 'Keys are kept in the data directory, readable by you only.'),
      h('div', {class: 'buttons'}, h('button', {class: 'primary', type: 'submit'}, 'Save'),
        entry ? h('button', {type: 'button', onclick: () => this.show()}, 'Cancel') : null));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const body = {type: type.value, baseUrl: baseUrl.value.trim(), model: model.value.trim()};
      if (key.value) body.apiKey = key.value;
      try {
        await api(`/providers/configured/${encodeURIComponent(id.value.trim())}`, {method: 'PUT', body});
        status(`Saved ${id.value}.`);
        await this.show();
        await this.app.modelsChanged();
      } catch (e) {
        status(e.message, 'error');
      }
    });
    return form;
  }

  edit(entry) {
    this.element.querySelector('#provider-form').replaceWith(this.form(entry));
    this.element.querySelector('#provider-form input[name=baseUrl]').focus();
  }

  async remove(entry) {
    if (!confirm(`Remove the provider ${entry.id}?`)) return;
    try {
      await api(`/providers/configured/${encodeURIComponent(entry.id)}`, {method: 'DELETE'});
      await this.show();
      await this.app.modelsChanged();
    } catch (e) {
      status(e.message, 'error');
    }
  }

  async rediscover() {
    status('Looking for local model servers\u2026');
    try {
      await this.show(await api('/providers/discover', {method: 'POST', body: {}}));
      await this.app.modelsChanged();
      status('');
    } catch (e) {
      status(e.message, 'error');
    }
  }
}

/** What the server says about a model: its context window and whether it calls tools. */
function limits(server, model) {
  const info = (server.limits ?? []).find(l => l.id === model);
  if (!info || (!info.contextWindow && info.toolCalls === 'UNKNOWN')) return null;
  const parts = [];
  if (info.contextWindow) parts.push(`${info.contextWindow.toLocaleString('en')} tokens of context`);
  if (info.toolCalls === 'YES') parts.push('calls tools');
  if (info.toolCalls === 'NO') parts.push('no tool calls');
  return h('span', {class: 'limits muted', title: info.limitsFrom ? `as ${info.limitsFrom} says` : null},
    ` \u00b7 ${parts.join(' \u00b7 ')}`);
}
