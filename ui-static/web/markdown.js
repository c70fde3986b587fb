// Model output is untrusted: Markdown becomes HTML through marked, and only what DOMPurify keeps reaches the page.
// No raw HTML from the model survives (it is escaped before parsing), links open in a new tab without access to this
// one, and images may only come from this server (the Content-Security-Policy blocks the rest).

let configured = false;

function configure() {
  if (configured) return;
  configured = true;
  installEscapingRenderer();
  window.DOMPurify.addHook('afterSanitizeAttributes', node => {
    if (node.tagName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow');
    }
  });
}

const escapeHtml = text => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Renders `text` as sanitised Markdown into `element`, with code highlighted. */
export function renderMarkdown(element, text) {
  configure();
  const html = window.marked.parse(text, {gfm: true, async: false});
  element.innerHTML = window.DOMPurify.sanitize(html, {
    USE_PROFILES: {html: true},
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'svg', 'math'],
    FORBID_ATTR: ['style', 'class', 'id'],
    ALLOW_DATA_ATTR: false,
  });
  for (const code of element.querySelectorAll('pre code')) {
    window.hljs.highlightElement(code);
  }
}

/** Raw HTML in the model's Markdown (blocks and inline) is shown as text, never parsed. */
function installEscapingRenderer() {
  window.marked.use({
    renderer: {
      html(token) { return escapeHtml(typeof token === 'string' ? token : token.text); },
    },
  });
}

export function highlight(element, text, path) {
  element.textContent = text;
  const extension = (path.split('.').pop() || '').toLowerCase();
  const language = window.hljs.getLanguage(extension) ? extension : null;
  if (language && text.length < 200_000) {
    element.classList.add(`language-${language}`);
    window.hljs.highlightElement(element);
  }
}
