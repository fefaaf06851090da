// Narrative annotations: the comment lines right above a command are its
// note ("# Now the reply goes back through lo"), shown while that command
// runs. A blank line between a comment and the command detaches it, so a
// file's header comment stays the scenario's title.

export interface ScriptNote {
  /** Line of the command the note belongs to (1-based). */
  line: number;
  text: string;
}

export interface ScriptNotes {
  title: string;
  notes: ScriptNote[];
}

export function scriptNotes(text: string): ScriptNotes {
  const notes: ScriptNote[] = [];
  let block: string[] = [];
  let blockStart = -1;
  let firstContent = -1;
  let title = '';
  let seenCommand = false;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('#!') && i === 0) return;
    if (firstContent < 0 && line !== '') firstContent = i;
    if (line.startsWith('#')) {
      if (!block.length) blockStart = i;
      block.push(line.replace(/^#+\s?/, ''));
      return;
    }
    const isHeader = !seenCommand && !title && blockStart === firstContent && block.length > 0;
    if (line === '') {
      if (isHeader) title = block.join(' ');
      block = [];
      return;
    }
    if (isHeader) title = block.join(' ');
    else if (block.length) notes.push({ line: i + 1, text: block.join(' ') });
    block = [];
    seenCommand = true;
  });
  return { title, notes };
}
