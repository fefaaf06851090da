// Keyboard shortcuts, active while focus is not in a text field:
// ArrowRight step into, Shift+ArrowRight step over, ArrowLeft step back,
// Space play/pause.
import { useEffect } from 'react';
import { useExplorer } from '../store.ts';

function inTextField(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  const tag = t.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (t as HTMLInputElement).type;
    return type !== 'checkbox' && type !== 'radio' && type !== 'button' && type !== 'submit';
  }
  return false;
}

export function useKeyboard(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      if (inTextField(e.target)) return;
      const s = useExplorer.getState();
      if (!s.summary) return;
      const onControl = e.target instanceof HTMLElement && (e.target.tagName === 'BUTTON' || e.target.tagName === 'A');
      switch (e.key) {
        case 'ArrowRight':
          e.preventDefault();
          if (e.shiftKey) void s.stepOver();
          else s.stepInto();
          break;
        case 'ArrowLeft':
          if (e.shiftKey) return;
          e.preventDefault();
          s.stepBack();
          break;
        case ' ':
        case 'Spacebar':
          // Space on a focused button activates that button, as usual.
          if (onControl) return;
          e.preventDefault();
          s.togglePlay();
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
