// The postMessage API between an embedded skbwalk (in an iframe) and the page
// around it.
//
// Inbound (host page → embed):
//   { type: 'skbwalk:goto', step: N }   go to step N (an integer ≥ 0; the app clamps it to the run)
//   { type: 'skbwalk:play' }            start playing
//   { type: 'skbwalk:pause' }           stop playing
// Outbound (embed → host page), after the run is loaded and on every step change:
//   { type: 'skbwalk:step', step, total, function }
//     function: the kernel function called at this step (null at step 0)
// The first skbwalk:step message also tells the host the embed is ready.

import { MAX_STEP } from './linkFormat.ts';

export type Inbound = { type: 'skbwalk:goto'; step: number } | { type: 'skbwalk:play' } | { type: 'skbwalk:pause' };

export interface StepMessage {
  type: 'skbwalk:step';
  step: number;
  total: number;
  function: string | null;
}

/** Longest function name sent in a step message. */
const MAX_FUNCTION_CHARS = 128;

/**
 * Validates a message a host page sent. Returns a fresh, well-typed message or
 * null for anything else: only plain objects with a known `type` (extra
 * ordinary fields are ignored), `step` an integer from 0 to MAX_STEP, fields as
 * own data properties (getters are not called). Objects carrying
 * prototype-pollution keys (`__proto__`, `constructor`, `prototype`) as own
 * fields are refused outright.
 */
export function parseInbound(data: unknown): Inbound | null {
  if (!isPlainObject(data)) return null;
  for (const bad of ['__proto__', 'constructor', 'prototype']) {
    if (Object.prototype.hasOwnProperty.call(data, bad)) return null;
  }
  const type = ownValue(data, 'type');
  switch (type) {
    case 'skbwalk:goto': {
      const step = ownValue(data, 'step');
      if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0 || step > MAX_STEP) return null;
      return { type, step };
    }
    case 'skbwalk:play':
    case 'skbwalk:pause':
      return { type };
    default:
      return null;
  }
}

/** The message sent to the host page on each step. */
export function stepMessage(step: number, total: number, fn: string | null): StepMessage {
  const name = typeof fn === 'string' && fn ? fn.slice(0, MAX_FUNCTION_CHARS) : null;
  return { type: 'skbwalk:step', step: wholeNumber(step), total: wholeNumber(total), function: name };
}

function wholeNumber(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.trunc(n)) : 0;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  if (Object.prototype.toString.call(v) !== '[object Object]') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  // Object.prototype of this realm or another (structured clone makes plain objects of the receiving realm), or none.
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function ownValue(o: object, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(o, key);
  return d && 'value' in d ? d.value : undefined;
}

// ---------------------------------------------------------------------------
// The bridge

export interface HostHandlers {
  goto(step: number): void;
  play(): void;
  pause(): void;
}

/** What the bridge needs of the app's window (a Window is one). */
export interface BridgeWindow {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** What the bridge needs of the host page's window (a Window is one). */
export interface ParentWindow {
  postMessage(message: unknown, targetOrigin: string): void;
}

export interface HostBridge {
  /** Tells the host page the current step (repeats of the last message are not sent). */
  postStep(step: number, total: number, fn: string | null): void;
  /** Stops listening; postStep does nothing afterwards. */
  uninstall(): void;
}

/**
 * Connects an embedded app to the page around it.
 *
 * Inbound: any origin may embed skbwalk and drive it (it is a public tool, so
 * there is no list of allowed origins), but only messages whose `event.source`
 * is the embedding page itself (`window.parent`) are accepted. That keeps other
 * frames on the same page (ads, other embeds), windows that opened this one,
 * browser extensions and the app's own window from steering it: only the page
 * the reader is looking at can. When the app is not embedded (the parent is the
 * window itself) nothing is accepted.
 *
 * Outbound: step messages are posted with targetOrigin '*'. The app cannot know
 * which site embeds it, and the messages carry only public information about
 * the step (its number, the run's length and the kernel function's name) —
 * never the scenario text, the editor's draft or anything from storage.
 *
 * `getParent` is called for every message, so a parent that changes (or
 * disappears) is followed; by default it is `win.parent`.
 */
export function installHostBridge(
  win: BridgeWindow,
  handlers: HostHandlers,
  getParent: () => ParentWindow | null = () => (win as unknown as Window).parent ?? null,
): HostBridge {
  let installed = true;
  let last: StepMessage | null = null;
  const parentOf = (): ParentWindow | null => {
    try {
      const p = getParent();
      return p && (p as unknown) !== win ? p : null;
    } catch {
      return null;
    }
  };
  const onMessage = (event: MessageEvent) => {
    const parent = parentOf();
    if (!installed || !parent || (event.source as unknown) !== parent) return;
    const msg = parseInbound(event.data);
    if (!msg) return;
    try {
      if (msg.type === 'skbwalk:goto') handlers.goto(msg.step);
      else if (msg.type === 'skbwalk:play') handlers.play();
      else handlers.pause();
    } catch {
      /* a failing handler must not break the bridge */
    }
  };
  win.addEventListener('message', onMessage);
  return {
    postStep(step, total, fn) {
      if (!installed) return;
      const parent = parentOf();
      if (!parent) return;
      const msg = stepMessage(step, total, fn);
      if (last && last.step === msg.step && last.total === msg.total && last.function === msg.function) return;
      try {
        parent.postMessage(msg, '*');
        last = msg;
      } catch {
        /* the host page went away */
      }
    },
    uninstall() {
      if (!installed) return;
      installed = false;
      win.removeEventListener('message', onMessage);
    },
  };
}
