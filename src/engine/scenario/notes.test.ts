import { describe, expect, it } from 'vitest';
import { scriptNotes } from './notes.ts';

describe('scriptNotes', () => {
  it('takes the header comment as the title and attaches comments to the next command', () => {
    const n = scriptNotes(
      '# The seed article\nip link add veth0 type veth peer name veth1\n\n# Send two pings.\n# Both go through veth0.\nping -c 2 10.0.0.2\n',
    );
    expect(n.title).toBe('The seed article');
    expect(n.notes).toEqual([{ line: 6, text: 'Send two pings. Both go through veth0.' }]);
  });

  it('detaches a comment separated by a blank line', () => {
    expect(scriptNotes('ip a\n# stray\n\nip r\n').notes).toEqual([]);
  });

  it('ignores a shebang and trailing comments', () => {
    const n = scriptNotes('#!/bin/sh\n# Title\nip a\n# at the end\n');
    expect(n.title).toBe('Title');
    expect(n.notes).toEqual([]);
  });
});
