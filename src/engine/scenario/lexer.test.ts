import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LAST_STATUS, lexScript } from './lexer.ts';

const argvs = (text: string) => lexScript(text).map((l) => (l.error ? `ERR ${l.error}` : l.argv.join('|')));

describe('lexScript examples', () => {
  it('splits words, skips comments and blank lines', () => {
    const r = lexScript('# header\n\nip link add veth0 type veth   peer name veth1  # trailing\n   \nip -br a\n');
    expect(r.map((l) => [l.line, l.col, l.argv])).toEqual([
      [3, 1, ['ip', 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1']],
      [5, 1, ['ip', '-br', 'a']],
    ]);
    expect(r[0].text).toBe('ip link add veth0 type veth   peer name veth1  # trailing');
    expect(r[0].redirect).toBeNull();
    expect(r[0].error).toBeNull();
  });

  it('keeps # inside words and quotes', () => {
    expect(argvs('echo a#b "c#d" \'#e\' #f')).toEqual(['echo|a#b|c#d|#e']);
  });

  it('handles quotes, escapes and continuations', () => {
    expect(argvs(`echo 'a b' "c \\"d\\" \\$x" e\\ f g\\\\h`)).toEqual(['echo|a b|c "d" $x|e f|g\\h']);
    expect(argvs('ip link \\\n  show \\\n veth0\nip r')).toEqual(['ip|link|show|veth0', 'ip|r']);
    expect(argvs('echo "multi\nline"')).toEqual(['echo|multi\nline']);
    expect(argvs("echo ''")).toEqual(['echo|']);
  });

  it('gives each ;-separated command its own ScriptLine on the same line', () => {
    const r = lexScript('ip a; ip r ;ip n');
    expect(r.map((l) => [l.line, l.col, l.argv.join(' ')])).toEqual([
      [1, 1, 'ip a'],
      [1, 7, 'ip r'],
      [1, 13, 'ip n'],
    ]);
  });

  it('recognises > and >> redirections', () => {
    const [a, b, c] = lexScript('echo 1 > /proc/sys/net/ipv4/ip_forward\necho 0 >>/proc/x\n> /proc/y echo 2');
    expect(a.redirect).toEqual({ op: '>', path: '/proc/sys/net/ipv4/ip_forward' });
    expect(a.argv).toEqual(['echo', '1']);
    expect(b.redirect).toEqual({ op: '>>', path: '/proc/x' });
    expect(c.argv).toEqual(['echo', '2']);
    expect(c.redirect).toEqual({ op: '>', path: '/proc/y' });
  });

  it('runs background jobs, the echo/printf pipe into nc, and $?', () => {
    const lines = lexScript(
      'ip netns exec b nc -u -l 9 &\necho hi there | nc -u 10.0.0.2 9\nprintf "%s\\n" a |\n  ip netns exec b nc -N 10.0.0.1 80\necho "nc exit $?"\nsleep 1 & ip a\nwait',
    );
    expect(lines.map((l) => [l.line, l.argv.join('|'), l.background, l.stdin?.join('|') ?? null, l.error])).toEqual([
      [1, 'ip|netns|exec|b|nc|-u|-l|9', true, null, null],
      [2, 'nc|-u|10.0.0.2|9', false, 'echo|hi|there', null],
      [3, 'ip|netns|exec|b|nc|-N|10.0.0.1|80', false, 'printf|%s\\n|a', null],
      [5, `echo|nc exit ${LAST_STATUS}`, false, null, null],
      [6, 'sleep|1', true, null, null],
      [6, 'ip|a', false, null, null],
      [7, 'wait', false, null, null],
    ]);
  });

  it('sends a piped nc to /dev/null, and refuses any other redirection in a pipeline', () => {
    const [a] = lexScript('echo hi | nc -N 10.0.0.2 80 > /dev/null &');
    expect([a.argv, a.stdin, a.redirect, a.background]).toEqual([
      ['nc', '-N', '10.0.0.2', '80'],
      ['echo', 'hi'],
      { op: '>', path: '/dev/null' },
      true,
    ]);
    expect(argvs('echo hi | nc 10.0.0.2 80 > out.txt')).toEqual(['ERR skbwalk: line 1: pipelines (|) are not supported']);
    expect(argvs('echo hi > /dev/null | nc 10.0.0.2 80')).toEqual(['ERR skbwalk: line 1: pipelines (|) are not supported']);
  });

  it('refuses shell features skbwalk does not run, and goes on', () => {
    expect(argvs('ping -c1 10.0.0.1 | grep ttl\nip a')).toEqual(['ERR skbwalk: line 1: pipelines (|) are not supported', 'ip|a']);
    expect(argvs('ip a && ip r')).toEqual(['ERR skbwalk: line 1: command lists (&&) are not supported']);
    expect(argvs('ip a || true')).toEqual(['ERR skbwalk: line 1: command lists (||) are not supported']);
    expect(argvs('echo a | cat | nc 10.0.0.1 5')).toEqual(['ERR skbwalk: line 1: pipelines (|) are not supported']);
    expect(argvs('echo a | ip a')).toEqual(['ERR skbwalk: line 1: pipelines (|) are not supported']);
    expect(argvs('echo a |& nc 10.0.0.1 5')).toEqual(['ERR skbwalk: line 1: pipelines (|) are not supported']);
    expect(argvs('echo $X | nc 10.0.0.1 5')).toEqual(['ERR skbwalk: line 1: shell variables ($X) are not supported']);
    expect(argvs('echo $HOME')).toEqual(['ERR skbwalk: line 1: shell variables ($HOME) are not supported']);
    expect(argvs('echo ${X}')).toEqual(['ERR skbwalk: line 1: shell variables (${...}) are not supported']);
    expect(argvs('echo "$(ip link del veth0; echo)" x\nip a')).toEqual([
      'ERR skbwalk: line 1: command substitution $(...) is not supported',
      'ip|a',
    ]);
    expect(argvs('echo `ip a`')).toEqual(['ERR skbwalk: line 1: command substitution `...` is not supported']);
    expect(argvs('X=1 ip a')).toEqual(['ERR skbwalk: line 1: shell variable assignments are not supported']);
    expect(argvs('ip a 2>/dev/null')).toEqual([
      'ERR skbwalk: line 1: redirecting a numbered file descriptor (N>) is not supported',
    ]);
    expect(argvs('ip a < x')).toEqual(['ERR skbwalk: line 1: input redirection (<) is not supported']);
    expect(argvs('echo a > x > y')).toEqual(['ERR skbwalk: line 1: more than one redirection is not supported']);
    expect(argvs('ip link add veth{0,1} type veth')).toEqual([
      'ERR skbwalk: line 1: brace expansion (veth{0,1}) is not supported',
    ]);
  });

  it('skips here-document bodies', () => {
    expect(argvs('cat <<EOF\nip link del veth0\nEOF\nip r')).toEqual([
      'ERR skbwalk: line 1: here-documents (<<) are not supported',
      'ip|r',
    ]);
    expect(argvs('cat <<-"END"\n\tip link del veth0\n\tEND\nip r')).toEqual([
      'ERR skbwalk: line 1: here-documents (<<) are not supported',
      'ip|r',
    ]);
  });

  it('skips whole compound commands instead of running their bodies', () => {
    expect(argvs('if true; then\n  ip link del veth0\nfi\nip a')).toEqual([
      'ERR skbwalk: line 1: shell control flow (if ... fi) is not supported',
      'ip|a',
    ]);
    expect(argvs('for i in 1 2; do ip link add v$i type veth; done; ip r')).toEqual([
      'ERR skbwalk: line 1: shell control flow (for ... done) is not supported',
      'ip|r',
    ]);
    expect(argvs('while true\ndo\n  if x; then y; fi\ndone\nip n')).toEqual([
      'ERR skbwalk: line 1: shell control flow (while ... done) is not supported',
      'ip|n',
    ]);
    expect(argvs('case x in a) ip a;; b) ip r;; esac\nip n')).toEqual([
      'ERR skbwalk: line 1: shell control flow (case ... esac) is not supported',
      'ip|n',
    ]);
    expect(argvs('(ip a; ip r)\nip n')).toEqual(['ERR skbwalk: line 1: subshells ( ... ) are not supported', 'ip|n']);
    expect(argvs('{ ip a; ip r; }\nip n')).toEqual(['ERR skbwalk: line 1: command groups { ... } are not supported', 'ip|n']);
  });

  it('reports bash syntax errors as bash does and stops there', () => {
    expect(argvs("ip a\necho 'unterminated\nip r\n")).toEqual([
      'ip|a',
      "ERR bash: line 2: unexpected EOF while looking for matching `''",
    ]);
    expect(argvs('ip a\necho "x\nip r')).toEqual(['ip|a', 'ERR bash: line 2: unexpected EOF while looking for matching `"\'']);
    // The whole line is parsed before any of it runs.
    expect(argvs('ip a\nip r; ip n;; ip l\nip a')).toEqual([
      'ip|a',
      "ERR bash: line 2: syntax error near unexpected token `;;'\nbash: line 2: `ip r; ip n;; ip l'",
    ]);
    expect(argvs('; ip a')).toEqual(["ERR bash: line 1: syntax error near unexpected token `;'\nbash: line 1: `; ip a'"]);
    expect(argvs('ip a ; ; ip r')).toEqual([
      "ERR bash: line 1: syntax error near unexpected token `;'\nbash: line 1: `ip a ; ; ip r'",
    ]);
    expect(argvs('echo >')).toEqual(["ERR bash: line 1: syntax error near unexpected token `newline'\nbash: line 1: `echo >'"]);
    expect(argvs(') ip a')).toEqual(["ERR bash: line 1: syntax error near unexpected token `)'\nbash: line 1: `) ip a'"]);
    expect(argvs('fi')).toEqual(["ERR bash: line 1: syntax error near unexpected token `fi'\nbash: line 1: `fi'"]);
  });

  it('drops a backslash at the very end and carriage returns of CRLF scripts', () => {
    expect(argvs('echo a\\')).toEqual(['echo|a']);
    expect(argvs('ip a\r\nip r\r\n')).toEqual(['ip|a', 'ip|r']);
  });
});

describe('lexScript properties', () => {
  const shellish = fc
    .array(
      fc.constantFrom(
        'a',
        'b',
        ' ',
        '\t',
        '\n',
        ';',
        '|',
        '&',
        '<',
        '>',
        '(',
        ')',
        '{',
        '}',
        '$',
        '`',
        "'",
        '"',
        '\\',
        '#',
        '=',
        '1',
        '-',
        '\r',
        'if',
        'fi',
        'do',
        'done',
        'case',
        'esac',
        'for',
      ),
      { maxLength: 60 },
    )
    .map((a) => a.join(''));

  it('never throws and keeps line numbers within the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 100 }), shellish), (text) => {
        const lines = lexScript(text);
        const n = text.split('\n').length;
        for (const l of lines) {
          expect(l.line).toBeGreaterThanOrEqual(1);
          expect(l.line).toBeLessThanOrEqual(n);
          expect(l.col).toBeGreaterThanOrEqual(1);
          expect(l.error === null || l.argv.length === 0).toBe(true);
          expect(l.text).toBe(text.split('\n')[l.line - 1].replace(/\r$/, ''));
        }
        // Line numbers never go backwards.
        for (let i = 1; i < lines.length; i++) expect(lines[i].line).toBeGreaterThanOrEqual(lines[i - 1].line);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips plain words', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9_.:/+,-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(fc.array(word, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }), (cmds) => {
        const text = cmds.map((c) => c.join(' ')).join('\n');
        const lines = lexScript(text);
        const reserved =
          /^(if|then|else|elif|fi|for|while|until|do|done|case|esac|select|function|coproc|in|time|[A-Za-z_][A-Za-z0-9_]*\+?=.*)$/;
        if (cmds.some((c) => reserved.test(c[0]) || c.some((w) => w.includes('{')))) return;
        expect(lines.map((l) => l.argv)).toEqual(cmds);
        expect(lines.map((l) => l.line)).toEqual(cmds.map((_, i) => i + 1));
      }),
      { numRuns: 300 },
    );
  });

  it('single-quoting any text gives it back as one word', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }).filter((s) => !s.includes("'")),
        (s) => {
          const lines = lexScript(`echo '${s}'`);
          expect(lines).toHaveLength(1);
          expect(lines[0].argv).toEqual(['echo', s]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
