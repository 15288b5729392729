/// <reference lib="dom" />

/** The element with this id; the page is static, so a missing one is a bug in index.html. */
export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`index.html has no #${id}`);
  return element as T;
}

/** A new element with attributes (`class`, `data-*`, `aria-*`, …) and text or element children. */
export function el(
  tag: string,
  attributes: Record<string, string | undefined> = {},
  ...children: Array<Node | string>
): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  element.append(...children);
  return element;
}
