import { describe, expect, it } from 'vitest';
import { isEditable, shouldHandleKey, type KeyEventLike } from './keyboard.ts';

const focused = { hasFocus: () => true };
const blurred = { hasFocus: () => false };
const el = (tagName: string, extra: Record<string, unknown> = {}) => ({ tagName, closest: () => null, ...extra });
const key = (k: string, extra: Partial<KeyEventLike> = {}): KeyEventLike => ({ key: k, target: el('BODY'), ...extra });

describe('shouldHandleKey', () => {
  it('handles plain and Shift keys on the page', () => {
    expect(shouldHandleKey(key('ArrowRight'), false, focused)).toBe(true);
    expect(shouldHandleKey(key('ArrowRight', { shiftKey: true }), false, focused)).toBe(true);
    expect(shouldHandleKey(key(' ', { target: el('BUTTON') }), false, focused)).toBe(true);
    expect(shouldHandleKey(key('ArrowLeft', { target: null }), false, null)).toBe(true);
  });

  it('ignores keys with Ctrl, Alt, Meta or AltGr held', () => {
    for (const m of ['ctrlKey', 'altKey', 'metaKey'] as const) {
      expect(shouldHandleKey(key('ArrowRight', { [m]: true }), false, focused)).toBe(false);
      expect(shouldHandleKey(key('ArrowRight', { [m]: true, shiftKey: true }), false, focused)).toBe(false);
    }
    expect(shouldHandleKey(key('ArrowRight', { getModifierState: (k) => k === 'AltGraph' }), false, focused)).toBe(false);
    expect(shouldHandleKey(key('ArrowRight', { getModifierState: (k) => k === 'Shift' }), false, focused)).toBe(true);
  });

  it('ignores handled events and IME composition', () => {
    expect(shouldHandleKey(key('ArrowRight', { defaultPrevented: true }), false, focused)).toBe(false);
    expect(shouldHandleKey(key('ArrowRight', { isComposing: true }), false, focused)).toBe(false);
    expect(shouldHandleKey(key('Process'), false, focused)).toBe(false);
  });

  it('ignores keys typed into fields', () => {
    const fields = [
      el('INPUT'),
      el('input', { type: 'text' }),
      el('INPUT', { type: 'search' }),
      el('INPUT', { type: 'number' }),
      el('INPUT', { type: 'range' }),
      el('INPUT', { type: 'radio' }),
      el('TEXTAREA'),
      el('SELECT'),
      el('DIV', { isContentEditable: true }),
      el('SPAN', { closest: (s: string) => (s.includes('[contenteditable]') ? {} : null) }), // inside an editor
      el('DIV', { closest: (s: string) => (s.includes('[role="slider"]') ? {} : null) }),
      { tagName: 'P', getAttribute: (n: string) => (n === 'contenteditable' ? '' : null) },
    ];
    for (const t of fields)
      expect(shouldHandleKey(key('ArrowRight', { target: t }), false, focused), JSON.stringify(t)).toBe(false);
    for (const t of [
      el('INPUT', { type: 'checkbox' }),
      el('INPUT', { type: 'button' }),
      el('BUTTON'),
      el('A'),
      el('DIV'),
      { tagName: 'P', getAttribute: () => 'false' },
    ]) {
      expect(shouldHandleKey(key('ArrowRight', { target: t }), false, focused), JSON.stringify(t)).toBe(true);
    }
  });

  it('looks through shadow DOM at the real target', () => {
    const host = el('MY-EDITOR');
    const inner = el('TEXTAREA');
    expect(shouldHandleKey(key('ArrowRight', { target: host, composedPath: () => [inner, host] }), false, focused)).toBe(false);
  });

  it('inside an embed, handles keys only while the document has focus', () => {
    expect(shouldHandleKey(key('ArrowRight'), true, focused)).toBe(true);
    expect(shouldHandleKey(key('ArrowRight'), true, blurred)).toBe(false);
    expect(shouldHandleKey(key('ArrowRight'), true, null)).toBe(false);
    expect(
      shouldHandleKey(key('ArrowRight'), true, {
        hasFocus: () => {
          throw new Error('x');
        },
      }),
    ).toBe(false);
    // outside an embed, focus is not consulted
    expect(shouldHandleKey(key('ArrowRight'), false, blurred)).toBe(true);
  });

  it('isEditable is false for non-elements', () => {
    for (const v of [
      null,
      undefined,
      1,
      'INPUT',
      {},
      { tagName: 5 },
      {
        closest: () => {
          throw new Error('x');
        },
      },
    ])
      expect(isEditable(v)).toBe(false);
  });
});
