// Whether the app should act on a key press (step, play/pause, …).
//
// Not when:
// - another handler already called preventDefault, or an IME is composing;
// - Ctrl, Alt, AltGr or Meta is held (Shift is allowed: Shift+→ is "step over"),
//   so browser and OS shortcuts keep working;
// - focus is in a text field (input, textarea, select, contenteditable) or in a
//   widget that uses the arrow keys itself (ARIA slider, listbox, menu, tabs,
//   …): the key belongs to it;
// - inside an embed, the app's document does not have focus. Browsers deliver
//   key events only to the focused document, so this is belt and braces; the
//   other half is that an embed never focuses itself (no autofocus, no focus()
//   on load), so keys stay with the host page until the reader clicks into the
//   embed.

export interface KeyEventLike {
  key?: string;
  target?: unknown;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
  defaultPrevented?: boolean;
  isComposing?: boolean;
  composedPath?: () => unknown[];
  getModifierState?: (key: string) => boolean;
}

export interface FocusDocument {
  hasFocus(): boolean;
}

/** Inputs that do not use the arrow keys or typing (anything else, range and radio included, keeps its keys). */
const NON_TEXT_INPUTS = new Set(['button', 'submit', 'reset', 'checkbox', 'image']);

/** Widgets that use the arrow keys themselves. */
const ARROW_WIDGETS =
  '[contenteditable]:not([contenteditable="false"]),[role="textbox"],[role="searchbox"],[role="combobox"],[role="spinbutton"],[role="slider"],[role="listbox"],[role="menu"],[role="menubar"],[role="grid"],[role="tree"],[role="tablist"],[role="radiogroup"]';

export function shouldHandleKey(
  event: KeyEventLike,
  embedded: boolean,
  doc: FocusDocument | null = typeof document === 'undefined' ? null : document,
): boolean {
  if (!event || event.defaultPrevented || event.isComposing || event.key === 'Process' || event.key === 'Dead') return false;
  if (event.altKey || event.ctrlKey || event.metaKey) return false;
  if (modifier(event, 'AltGraph') || modifier(event, 'OS') || modifier(event, 'Super') || modifier(event, 'Hyper')) return false;
  if (isEditable(origin(event))) return false;
  if (embedded) {
    try {
      if (!doc || !doc.hasFocus()) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function modifier(e: KeyEventLike, key: string): boolean {
  try {
    return typeof e.getModifierState === 'function' && e.getModifierState(key) === true;
  } catch {
    return false;
  }
}

/** The element the key was typed into: inside shadow DOM, `target` is the shadow host, composedPath()[0] the real element. */
function origin(e: KeyEventLike): unknown {
  try {
    const path = typeof e.composedPath === 'function' ? e.composedPath() : null;
    if (path && path.length > 0) return path[0];
  } catch {
    /* fall back to target */
  }
  return e.target;
}

interface ElementLike {
  tagName?: unknown;
  type?: unknown;
  isContentEditable?: unknown;
  closest?: (selector: string) => unknown;
  getAttribute?: (name: string) => unknown;
}

/** Exported for tests and for callers that have an element rather than an event. */
export function isEditable(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const el = target as ElementLike;
  if (el.isContentEditable === true) return true;
  const tag = typeof el.tagName === 'string' ? el.tagName.toUpperCase() : '';
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = typeof el.type === 'string' ? el.type.toLowerCase() : 'text';
    return !NON_TEXT_INPUTS.has(type);
  }
  try {
    if (typeof el.closest === 'function' && el.closest(ARROW_WIDGETS)) return true;
    if (typeof el.closest !== 'function' && typeof el.getAttribute === 'function') {
      const ce = el.getAttribute('contenteditable');
      if (typeof ce === 'string' && ce.toLowerCase() !== 'false') return true;
    }
  } catch {
    /* not an element */
  }
  return false;
}
