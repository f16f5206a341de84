// HTML components are shown with an allow-list: the markup is parsed into an inert document, then only allowed
// elements are rebuilt with createElement, with only allowed attributes. Everything else becomes its text or
// is dropped; nothing of the original markup is ever inserted as HTML.

const ALLOWED = new Set([
  'a',
  'b',
  'blockquote',
  'br',
  'code',
  'del',
  'div',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'ins',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  's',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'u',
  'ul',
]);

/** Elements whose content is not text a person should read (or is active content): dropped with their children. */
const DROPPED = new Set([
  'script',
  'style',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'noscript',
  'svg',
  'math',
  'link',
  'meta',
  'base',
  'head',
  'title',
  'textarea',
  'select',
  'button',
  'input',
  'form',
  'audio',
  'video',
  'canvas',
]);

const SAFE_LINK = /^(https?:|mailto:)/i;

export function sanitizedHtml(markup: string): DocumentFragment {
  // Inside a <template> the parsed content is inert: no image is requested, no event fires. Closing the template
  // early is made impossible by escaping every closing template tag of the markup. Handler attributes are renamed
  // first only because Chromium reports each one it parses as a blocked inline script; they are never copied.
  const inert = markup.replace(/<\/template/gi, '&lt;/template').replace(/([\s/"'])on([a-z]+\s*=)/gi, '$1data-on$2');
  const parsed = new DOMParser().parseFromString(`<template>${inert}</template>`, 'text/html');
  const template = parsed.querySelector('template');
  const out = document.createDocumentFragment();
  for (const child of Array.from(template?.content.childNodes ?? [])) copy(child, out, 0);
  return out;
}

function copy(node: Node, parent: Node, depth: number): void {
  if (depth > 40) return;
  if (node.nodeType === Node.TEXT_NODE) {
    parent.appendChild(document.createTextNode(node.textContent ?? ''));
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const source = node as Element;
  const tag = source.tagName.toLowerCase();
  if (DROPPED.has(tag)) return;
  let target: Node = parent;
  if (ALLOWED.has(tag)) {
    const element = document.createElement(tag);
    if (tag === 'a') {
      const href = source.getAttribute('href')?.trim() ?? '';
      if (SAFE_LINK.test(href)) {
        element.setAttribute('href', href);
        element.setAttribute('target', '_blank');
        element.setAttribute('rel', 'noopener noreferrer');
      }
    }
    if ((tag === 'td' || tag === 'th') && /^\d{1,2}$/.test(source.getAttribute('colspan') ?? '')) {
      element.setAttribute('colspan', source.getAttribute('colspan') ?? '1');
    }
    parent.appendChild(element);
    target = element;
  } else if (tag === 'img') {
    // No remote images (the page loads nothing from elsewhere): the alternative text stands in.
    const alt = source.getAttribute('alt');
    if (alt) parent.appendChild(document.createTextNode(`[${alt}]`));
    return;
  }
  for (const child of Array.from(source.childNodes)) copy(child, target, depth + 1);
}
