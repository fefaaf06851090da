// A labelled region of the explorer.
import type { ReactNode } from 'react';
import { useExplorer, type PanelId } from '../store.ts';

export function Panel({
  id,
  label,
  heading,
  className,
  actions,
  children,
}: {
  id: PanelId;
  label: string;
  /** The visible heading when it says more than the region's name (the skb panel names its skb). */
  heading?: ReactNode;
  className?: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const selected = useExplorer((s) => s.selectedPanel === id);
  return (
    <section
      aria-label={label}
      className={`panel panel-${id}${selected ? ' selected' : ''}${className ? ` ${className}` : ''}`}
      onPointerDown={() => {
        if (!selected) useExplorer.getState().selectPanel(id);
      }}
    >
      <header className="panel-head">
        <h2>{heading ?? label}</h2>
        {actions}
      </header>
      {/* Focusable so keyboard users can scroll a panel with nothing focusable in it (the terminal, the skb). */}
      <div className="panel-body" tabIndex={0}>
        {children}
      </div>
    </section>
  );
}
