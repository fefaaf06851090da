// Glossary popovers: a kernel word in the text is a button that opens its
// definition and an elixir link; Escape or a click elsewhere closes it.
import { Fragment, memo, useEffect, useId, useRef, useState } from 'react';
import { GLOSSARY, elixirIdentUrl, splitTerms, type GlossaryTerm } from './glossary.ts';

/** A glossary word; kept as it is when its text is drawn again at the next step. */
export const Term = memo(function Term({ term, children }: { term: GlossaryTerm; children?: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);
  return (
    <span
      className="term-wrap"
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          ref.current?.querySelector('button')?.focus();
        }
      }}
    >
      <button
        type="button"
        className="term"
        aria-expanded={open}
        aria-controls={id}
        title={`What is ${term.term}?`}
        onClick={() => setOpen(!open)}
      >
        {children ?? term.term}
      </button>
      {open && (
        <span className="term-pop" id={id} role="dialog" aria-label={`${term.term} (glossary)`}>
          <strong>{term.term}</strong> {term.definition}{' '}
          <a href={elixirIdentUrl(term)} target="_blank" rel="noopener noreferrer">
            {term.ident} on elixir (v6.18)
          </a>
        </span>
      )}
    </span>
  );
});

/** Text with its glossary words as Terms; words in `seen` (shared across a box) stay plain. */
export function GlossaryText({ text, seen }: { text: string; seen: Set<string> }) {
  return (
    <>
      {splitTerms(text, seen).map((part, i) =>
        typeof part === 'string' ? <Fragment key={i}>{part}</Fragment> : <Term key={i} term={part} />,
      )}
    </>
  );
}

/** Every glossary word, for the tour and the help. */
export function GlossaryList() {
  return (
    <ul className="glossary-list" aria-label="Glossary">
      {GLOSSARY.map((t) => (
        <li key={t.id}>
          <Term term={t} />
        </li>
      ))}
    </ul>
  );
}
