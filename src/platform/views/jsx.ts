/**
 * A tiny JSX-to-string runtime: every text child and attribute value is HTML-escaped unless it
 * was wrapped with `raw()` on purpose. Components are plain functions returning `Html`.
 * tsconfig sets `jsxFactory: h` and `jsxFragmentFactory: Fragment`; each .tsx file imports both.
 */

const RAW = Symbol('raw-html');

/** An HTML fragment that is already safe to embed. */
export interface Html {
  readonly [RAW]: true;
  readonly value: string;
}

export type Child = Html | string | number | boolean | null | undefined | Child[];

type AttributeValue = string | number | boolean | null | undefined;
type Props = Record<string, AttributeValue | Child | (() => unknown)> & { children?: Child };
export type Component<P> = (props: P & { children?: Child }) => Html;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Marks trusted markup as safe; never pass user input to it. */
export function raw(value: string): Html {
  return { [RAW]: true, value };
}

function isHtml(value: unknown): value is Html {
  return typeof value === 'object' && value !== null && RAW in value;
}

function renderChild(child: Child): string {
  if (child === null || child === undefined || child === false || child === true) return '';
  if (Array.isArray(child)) return child.map(renderChild).join('');
  if (isHtml(child)) return child.value;
  return escapeHtml(String(child));
}

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

const ATTRIBUTE_NAMES: Record<string, string> = { className: 'class', htmlFor: 'for' };

function renderAttributes(props: Props): string {
  let out = '';
  for (const [key, value] of Object.entries(props)) {
    if (key === 'children' || value === undefined || value === null || value === false) continue;
    if (typeof value === 'function' || typeof value === 'object') continue;
    const name = ATTRIBUTE_NAMES[key] ?? key;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return out;
}

/** JSX factory. */
export function h(tag: string | Component<Props>, props: Props | null, ...children: Child[]): Html {
  const allProps: Props = { ...props, children: children.length === 1 ? children[0] : children };
  if (typeof tag === 'function') return tag(allProps);
  const attributes = renderAttributes(allProps);
  if (VOID_ELEMENTS.has(tag)) return raw(`<${tag}${attributes}>`);
  return raw(`<${tag}${attributes}>${renderChild(children)}</${tag}>`);
}

/** JSX fragment. */
export function Fragment(props: { children?: Child }): Html {
  return raw(renderChild(props.children));
}

/** Renders a whole document. */
export function renderDocument(root: Html): string {
  return `<!DOCTYPE html>${root.value}`;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- JSX typing is namespace-based
  namespace JSX {
    type Element = Html;
    interface ElementChildrenAttribute {
      children: unknown;
    }
    interface IntrinsicElements {
      [element: string]: Record<string, AttributeValue | Child>;
    }
  }
}
