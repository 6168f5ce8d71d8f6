/** A small DOM builder: text always goes in as text (never parsed as HTML), plus downloads. */

type Attrs = Record<string, string | number | boolean | undefined | null>
type Kid = Node | string | number | null | undefined | false

/** `el('p', { class: 'note' }, 'text', child)`: attributes (false/undefined skipped), children as nodes or text. */
export const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Kid[]
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue
    node.setAttribute(name, value === true ? '' : String(value))
  }
  append(node, ...children)
  return node
}

export const append = (parent: Node, ...children: Kid[]): void => {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child)
  }
}

/** Replace a node's children. */
export const fill = (parent: Element, ...children: Kid[]): void => {
  parent.replaceChildren()
  append(parent, ...children)
}

export const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const node = document.getElementById(id)
  if (!node) throw new Error(`#${id} is missing from the page`)
  return node as T
}

/** Save a blob as a file. */
export const downloadBlob = (blob: Blob, filename: string): void => {
  const url = URL.createObjectURL(blob)
  const a = el('a', { href: url, download: filename, hidden: true })
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export const downloadJson = (data: unknown, filename: string): void =>
  downloadBlob(new Blob([JSON.stringify(data, null, 2) + '\n'], { type: 'application/json' }), filename)

/** A file name from a title: lower-case words joined by dashes. */
export const fileSlug = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'scenario'

/** A safe element id from any text. */
export const idFrom = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, '_')
