// How a tool's result reads: the tools whose output people read (shell, js, web_fetch) get a view of their own,
// with the raw JSON one click away; any other tool's result is its JSON. Text only (dom.js), never HTML: a page
// fetched from the web or a file's contents cannot inject markup.
import {h, pretty} from './dom.js';

function parse(json) {
  try {
    return typeof json === 'string' ? JSON.parse(json) : json;
  } catch {
    return null;
  }
}

function block(label, text, kind) {
  return h('div', {class: `result-block ${kind}`}, h('div', {class: 'label'}, label), h('pre', {}, text));
}

function facts(...items) {
  return h('div', {class: 'result-facts'}, items.filter(Boolean));
}

function fact(text, kind = '') {
  return h('span', {class: `fact ${kind}`}, text);
}

function exitFact(code) {
  return fact(`exit ${code}`, `exit-code ${code === 0 ? 'ok' : 'failed'}`);
}

function httpFact(status) {
  return fact(`HTTP ${status}`, `http-status ${status < 400 ? 'ok' : 'failed'}`);
}

/** One view per tool: (result object, arguments object) -> nodes. */
const VIEWS = {
  shell(result, args) {
    return [
      args?.command ? h('pre', {class: 'command'}, `${args.cwd && args.cwd !== '.' ? `${args.cwd} ` : ''}$ ${args.command}`) : null,
      facts(exitFact(result.exit_code),
        result.truncated ? fact('output cut at its limit', 'truncated') : null),
      result.stdout ? block('stdout', result.stdout, 'stdout') : h('p', {class: 'muted no-output'}, 'No output.'),
      result.stderr ? block('stderr', result.stderr, 'stderr') : null,
    ];
  },
  js(result) {
    return [
      result.error ? block('error', result.error, 'stderr js-error') : null,
      result.stdout ? block('console.log', result.stdout, 'stdout') : null,
      result.result !== null && result.result !== undefined ? block('result', pretty(result.result), 'completion') : null,
      result.truncated ? facts(fact('console.log output cut at its limit', 'truncated')) : null,
      !result.error && !result.stdout && (result.result === null || result.result === undefined)
        ? h('p', {class: 'muted no-output'}, 'No output and no result.') : null,
    ];
  },
  web_fetch(result) {
    return [
      facts(httpFact(result.status),
        fact(result.content_type, 'content-type'),
        result.truncated ? fact('truncated at the size limit', 'truncated') : null),
      result.url ? h('div', {class: 'fetched-url'}, result.url) : null,
      block('text', result.text || '', 'page-text'),
    ];
  },
};

function object(output) {
  const result = parse(output);
  return result && typeof result === 'object' && !Array.isArray(result) ? result : null;
}

/**
 * The result of a call of `tool` with `args` (JSON text or object), whose output is `output` (JSON text or object).
 * `open`: a result without a view of its own is shown at once rather than folded.
 */
export function resultView(tool, args, output, open = false) {
  const result = object(output);
  const view = result ? VIEWS[tool] : undefined;
  const raw = h('details', {class: 'output', open: open && !view}, h('summary', {}, view ? 'Raw result' : 'Result'),
    h('pre', {}, pretty(output)));
  if (!view) return raw;
  return h('div', {class: `tool-result tool-result-${tool}`}, view(result, parse(args) ?? {}), raw);
}

/** A one-line summary of a call's arguments for the card's header: the command, the code, the URL. */
export function argumentsLine(tool, args) {
  const parsed = parse(args);
  const text = tool === 'shell' && typeof parsed?.command === 'string' ? `$ ${parsed.command}`
    : tool === 'js' && typeof parsed?.code === 'string' ? parsed.code
      : tool === 'web_fetch' && typeof parsed?.url === 'string' ? parsed.url
        : typeof args === 'string' ? args : JSON.stringify(args);
  const line = text.replace(/\s+/g, ' ');
  return line.length > 90 ? `${line.slice(0, 90)}\u2026` : line;
}

/** What a finished call's header says besides "done": the shell's exit code, the page's HTTP status, a JS error. */
export function headerFact(tool, output) {
  const result = object(output);
  if (!result) return null;
  if (tool === 'shell' && Number.isInteger(result.exit_code)) {
    return exitFact(result.exit_code);
  }
  if (tool === 'web_fetch' && Number.isInteger(result.status)) {
    return httpFact(result.status);
  }
  if (tool === 'js' && result.error) return fact('threw', 'exit-code failed');
  return null;
}
