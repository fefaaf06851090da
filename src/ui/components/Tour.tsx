// A short guided tour for a first visit: six stops, each pointing at a part
// of the explorer. Skippable (Skip, or Escape), remembered once finished or
// skipped, and re-opened from the Help button (HelpButton.tsx). Loaded after
// the first view (App.tsx): a first visit's tour opens a moment after the run.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useExplorer } from '../store.ts';
import { GlossaryList } from './Glossary.tsx';

interface Stop {
  title: string;
  /** What the stop points at. */
  target: string;
  body: string;
  glossary?: boolean;
}

export const TOUR_STOPS: Stop[] = [
  {
    title: 'Step through the kernel',
    target: '.app-header .controls',
    body: 'The scenario below ran on a model of Linux 6.18; every kernel call it made is a step. Step into (→) enters the next call, Step over (Shift+→) skips its callees, Step back (←) goes back, Play (Space) runs on.',
  },
  {
    title: 'The machine',
    target: '.panel-topology',
    body: 'Namespaces, their devices and cables, and each CPU’s softnet_data with its receive queues. Each token is a packet (an skb): click it, or focus it and press Enter, to open it in the skb panel.',
  },
  {
    title: 'What the colours mean',
    target: '.topology-legend',
    body: 'A token’s colour says what the packet is (ARP, an ICMP echo request or reply, a clone for tcpdump, …) and its label names it: #5 is skb number 5 for the whole run. The current call’s skb and the device it works on are outlined; a dropped packet goes to its namespace’s drop spot, with the kernel’s reason.',
  },
  {
    title: 'The current call',
    target: '.panel-stack',
    body: 'The calls the kernel is in, outermost first, each linked to its source. Under them, always in view: what the current call does, and what changed since the previous step.',
  },
  {
    title: 'The packet',
    target: '.panel-skb',
    body: 'The skb you picked, or the current call’s: its fields, decoded headers and bytes, and its life — allocated, queued, sent, received, freed or dropped (and why) — each a link to its step.',
  },
  {
    title: 'Words, and help',
    target: '.help-button',
    body: 'Dotted words open a short definition with a link to the kernel source. These are the ones you will meet first. The Help button brings this tour back.',
    glossary: true,
  },
];

/** Where the card goes: under the target when it fits, else above it, kept on screen. */
function place(target: Element | null, card: HTMLElement): { top: number; left: number } {
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const w = card.offsetWidth;
  const h = card.offsetHeight;
  if (!target || vw <= 640) return { top: Math.max(8, vh - h - 8), left: Math.max(8, (vw - w) / 2) };
  const r = target.getBoundingClientRect();
  let top = r.bottom + 8;
  if (top + h > vh - 8) top = r.top - h - 8;
  if (top < 8) top = Math.min(vh - h - 8, Math.max(8, r.top + 8));
  const left = Math.min(vw - w - 8, Math.max(8, r.left));
  return { top, left };
}

export function Tour() {
  const stop = useExplorer((s) => s.tourStop);
  const cardRef = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ top: number; left: number } | null>(null);
  const current = stop === null ? null : TOUR_STOPS[stop];

  useLayoutEffect(() => {
    if (!current || !cardRef.current) return;
    const target = document.querySelector(current.target);
    target?.classList.add('tour-target');
    target?.scrollIntoView({ block: 'nearest' });
    const update = () => cardRef.current && setPos(place(target, cardRef.current));
    update();
    window.addEventListener('resize', update);
    return () => {
      window.removeEventListener('resize', update);
      target?.classList.remove('tour-target');
    };
  }, [current]);

  const placed = pos !== null;
  useEffect(() => {
    // Once placed (a hidden card cannot take focus), the stop's main button has the focus.
    if (current && placed) cardRef.current?.querySelector<HTMLElement>('.tour-next')?.focus();
  }, [current, placed]);

  useEffect(() => {
    if (!current) return;
    // Escape skips the tour wherever the focus is (a glossary popover keeps its own Escape).
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || document.querySelector('dialog[open]')) return;
      e.preventDefault();
      useExplorer.getState().closeTour();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [current]);

  if (stop === null || !current) return null;
  const s = useExplorer.getState();
  const last = stop === TOUR_STOPS.length - 1;
  const close = () => {
    s.closeTour();
    document.querySelector<HTMLElement>('.help-button')?.focus();
  };
  return (
    <div
      ref={cardRef}
      className="tour-card"
      role="dialog"
      aria-label="Tour"
      aria-describedby="tour-body"
      style={pos ? { top: pos.top, left: pos.left } : { visibility: 'hidden' }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          close();
        }
        // The tour's own buttons take the arrow keys and Space, not the stepper.
        if (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === ' ') e.stopPropagation();
      }}
    >
      <p className="tour-count">
        {stop + 1} of {TOUR_STOPS.length}
      </p>
      <h2 className="tour-title">{current.title}</h2>
      <p id="tour-body">{current.body}</p>
      {current.glossary && <GlossaryList />}
      <div className="tour-buttons">
        <button type="button" onClick={close}>
          Skip tour
        </button>
        <span className="spacer" />
        {stop > 0 && (
          <button type="button" onClick={() => s.setTourStop(stop - 1)}>
            Back
          </button>
        )}
        <button type="button" className="primary tour-next" onClick={() => (last ? close() : s.setTourStop(stop + 1))}>
          {last ? 'Done' : 'Next'}
        </button>
      </div>
    </div>
  );
}
