// Keyboard shortcuts, active while focus is not in a text field:
// ArrowRight step into, Shift+ArrowRight step over, ArrowLeft step back,
// Space play/pause; E, D and P the next event, drop and packet on the current
// call's device, with Shift the previous one.
import { useEffect } from 'react';
import { useExplorer } from '../store.ts';
import { useShare } from '../shareApp.ts';
import { shouldHandleKey } from '../share/keyboard.ts';
import { currentDevice } from '../components/SearchControls.tsx';

function inFrame(): boolean {
  try {
    return window.parent !== window;
  } catch {
    return true;
  }
}

export function useKeyboard(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Inside an embed, only while the frame has focus; never in text fields or with Ctrl/Alt/Meta.
      if (!shouldHandleKey(e, useShare.getState().options.embed || inFrame())) return;
      // A modal dialog (Embed) keeps its keys.
      if (document.querySelector('dialog[open]')) return;
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
        case 'e':
        case 'E':
          e.preventDefault();
          void s.seekEvent(e.shiftKey ? -1 : 1);
          break;
        case 'd':
        case 'D':
          e.preventDefault();
          void s.seekDrop(e.shiftKey ? -1 : 1);
          break;
        case 'p':
        case 'P': {
          const device = currentDevice(s.view);
          if (!device) return;
          e.preventDefault();
          void s.seekPacketOn(device, e.shiftKey ? -1 : 1);
          break;
        }
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
