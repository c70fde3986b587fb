// The tools screen: the catalog (descriptions, permissions, limits, bundles, refusals) and a form, generated from each
// tool's JSON Schema, to run a tool by hand.
import {api} from './api.js';
import {h, clear, millis} from './dom.js';
import {errorInWords} from './chat.js';
import {resultView} from './results.js';

export class ToolsView {
  constructor(element) {
    this.element = element;
  }

  async show() {
    const data = await api('/tools');
    const tools = data.tools.sort((a, b) => a.name.localeCompare(b.name));
    clear(this.element,
      h('div', {class: 'page-header'}, h('h2', {}, 'Tools'),
        h('p', {class: 'muted'}, `${tools.length} available. Each runs as a WebAssembly module in a sandbox that sees `
          + 'only what its permissions grant: the workspace, read-only or read-write; no network but the web '
          + 'pages an administrator allows a fetching tool.')),
      h('div', {class: 'tool-grid'}, tools.map(tool => this.card(tool))),
      data.refused.length ? h('div', {}, h('h3', {}, 'Refused bundles'),
        data.refused.map(r => h('div', {class: 'tool refused'}, h('h4', {}, `${r.bundle} ${r.bundleVersion}`),
          h('span', {class: 'badge failed'}, 'refused'), h('p', {}, r.reason)))) : null);
  }

  card(tool) {
    const form = h('form', {class: 'try', hidden: true});
    const card = h('article', {class: 'tool', dataset: {tool: tool.name}},
      h('header', {}, h('h3', {}, tool.name),
        h('span', {class: `badge ${tool.state === 'available' ? 'ok' : 'failed'}`}, tool.state)),
      h('p', {}, tool.description),
      h('dl', {class: 'facts'},
        h('dt', {}, 'Workspace'), h('dd', {}, tool.granted.workspace === tool.permissions.workspace
          ? tool.permissions.workspace : `${tool.granted.workspace} (declares ${tool.permissions.workspace})`),
        tool.permissions.network === 'fetch' ? [h('dt', {}, 'Network'),
          h('dd', {}, 'web pages of the hosts an administrator allows (off by default)')] : null,
        h('dt', {}, 'Limits'), h('dd', {}, `${millis(tool.limits.timeoutMs)}, ${tool.limits.maxMemoryMb} MB memory, `
          + `${tool.limits.maxOutputKb} KB output`),
        h('dt', {}, 'Bundle'), h('dd', {}, `${tool.bundle} ${tool.bundleVersion}`),
        tool.policy ? [h('dt', {}, 'Policy'), h('dd', {}, tool.policy)] : null),
      h('button', {type: 'button', onclick: () => { form.hidden = !form.hidden; }}, 'Try it'),
      form);
    this.buildForm(form, tool);
    return card;
  }

  buildForm(form, tool) {
    const schema = tool.inputSchema || {};
    const required = new Set(schema.required || []);
    const fields = Object.entries(schema.properties || {}).map(([name, property]) =>
      field(name, property, required.has(name)));
    const output = h('div', {class: 'try-output'});
    form.append(...fields.map(f => f.element),
      h('button', {class: 'primary', type: 'submit'}, `Run ${tool.name}`), output);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const input = {};
      try {
        for (const f of fields) {
          const value = f.value();
          if (value !== undefined) input[f.name] = value;
        }
      } catch (e) {
        clear(output, h('p', {class: 'error'}, e.message));
        return;
      }
      clear(output, h('p', {class: 'muted'}, 'Running\u2026'));
      try {
        const result = await api(`/tools/${tool.name}/invoke`, {method: 'POST', body: input});
        clear(output, h('p', {class: 'muted'}, `Finished in ${millis(result.durationMs)}`),
          resultView(tool.name, input, result.result, true));
      } catch (e) {
        clear(output, h('p', {class: 'error'}, errorInWords(tool.name, {kind: e.kind, message: e.message})));
      }
    });
  }
}

/** An input for one schema property; value() reads it back as the schema's type. */
function field(name, property, required) {
  const id = `f-${Math.random().toString(36).slice(2)}`;
  const type = Array.isArray(property.type) ? property.type[0] : property.type;
  let control;
  let read;
  if (property.enum) {
    control = h('select', {id}, required ? null : h('option', {value: ''}, ''),
      property.enum.map(v => h('option', {value: JSON.stringify(v)}, String(v))));
    read = () => control.value === '' ? undefined : JSON.parse(control.value);
  } else if (type === 'boolean') {
    control = h('input', {id, type: 'checkbox', checked: property.default === true});
    read = () => control.checked;
  } else if (type === 'integer' || type === 'number') {
    control = h('input', {id, type: 'number', step: type === 'integer' ? 1 : 'any', min: property.minimum,
      max: property.maximum, placeholder: property.default ?? ''});
    read = () => control.value === '' ? undefined : Number(control.value);
  } else if (type === 'array' || type === 'object') {
    control = h('textarea', {id, rows: 3, placeholder: type === 'array' ? '["a", "b"]' : '{"key": "value"}'});
    read = () => {
      if (control.value.trim() === '') return undefined;
      try {
        return JSON.parse(control.value);
      } catch {
        throw new Error(`${name} must be JSON (${type})`);
      }
    };
  } else {
    const long = /content|text|body/.test(name);
    control = long ? h('textarea', {id, rows: 4}) : h('input', {id, type: 'text', placeholder: property.default ?? ''});
    read = () => control.value === '' ? undefined : control.value;
  }
  if (required) control.setAttribute('required', '');
  const element = h('div', {class: 'field'},
    h('label', {for: id}, name, required ? h('span', {class: 'required', title: 'required'}, ' *') : null),
    control, property.description ? h('small', {class: 'muted'}, property.description) : null);
  return {name, element, value: read};
}
