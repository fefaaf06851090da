// The scenario-script lexer: turns a shell script into simple commands, the
// way bash would split it, for the small subset skbwalk runs (one program with
// its arguments, optionally `> FILE` / `>> FILE`). Everything else a shell can
// do (pipes, lists, expansions, control flow, here-documents) is recognised so
// that it can be refused with a clear message instead of being half-run.
//
// Bash parses a whole line before running any of it, and a syntax error stops
// a non-interactive bash for good: a syntax error here becomes one ScriptLine
// carrying bash's message, and nothing after it is returned.

export interface ScriptRedirect {
  op: '>' | '>>';
  path: string;
}

export interface ScriptLine {
  /** 1-based line number where the command starts. */
  line: number;
  /** 1-based column where the command starts. */
  col: number;
  /** The source line the command starts on. */
  text: string;
  argv: string[];
  redirect: ScriptRedirect | null;
  /** When set, the command is not run: this message is printed instead. */
  error: string | null;
  /** `CMD &`: the shell starts it and goes on without waiting. */
  background: boolean;
  /** `echo TEXT | CMD` / `printf FORMAT ARGS | CMD`: the echo or printf words whose output is CMD's standard input. */
  stdin: string[] | null;
}

/**
 * `$?` in a word: the shell puts the last foreground command's exit status
 * there when it runs the command (see userspace/shell.ts).
 */
export const LAST_STATUS = '\u0000$?\u0000';

const OPENERS = new Map<string, string>([
  ['if', 'fi'],
  ['for', 'done'],
  ['while', 'done'],
  ['until', 'done'],
  ['select', 'done'],
  ['case', 'esac'],
  ['{', '}'],
]);
const CLOSERS = new Set(['fi', 'done', 'esac', '}']);
/** Reserved words after which another command word follows. */
const PREFIX_WORDS = new Set(['then', 'do', 'else', 'elif', '!', 'time']);
const OTHER_RESERVED = new Set(['function', 'coproc', '[[', ']]', 'in']);

/** Characters that end an unquoted word. */
function isMeta(c: string): boolean {
  return (
    c === ' ' ||
    c === '\t' ||
    c === '\n' ||
    c === ';' ||
    c === '|' ||
    c === '&' ||
    c === '<' ||
    c === '>' ||
    c === '(' ||
    c === ')'
  );
}

interface Word {
  value: string;
  /** Was any part of it quoted or escaped? */
  quoted: boolean;
  /** The unquoted characters only (for brace expansion and assignment checks). */
  raw: string;
  line: number;
  col: number;
}

type Tok =
  | { kind: 'word'; word: Word }
  | { kind: 'op'; op: string; line: number; col: number }
  | { kind: 'newline'; line: number; col: number }
  | { kind: 'eof'; line: number; col: number };

class SyntaxError_ extends Error {
  constructor(
    public readonly bashMessage: string,
    public readonly atLine: number,
  ) {
    super(bashMessage);
  }
}

/** An unsupported construct: the command is refused, the script goes on. */
interface Refusal {
  message: string;
}

class Scanner {
  pos = 0;
  line = 1;
  col = 1;
  /** Here-document delimiters waiting for the end of the current line. */
  pendingHeredocs: { delim: string; stripTabs: boolean }[] = [];
  /** First unsupported construct seen in the command being lexed. */
  refusal: Refusal | null = null;

  constructor(readonly text: string) {}

  peek(off = 0): string {
    return this.text[this.pos + off] ?? '';
  }

  advance(): string {
    const c = this.text[this.pos++];
    if (c === '\n') {
      this.line++;
      this.col = 1;
    } else {
      this.col++;
    }
    return c;
  }

  eof(): boolean {
    return this.pos >= this.text.length;
  }

  refuse(message: string): void {
    if (!this.refusal) this.refusal = { message };
  }

  /** Skips blanks, comments and backslash-newline continuations. */
  skipBlanks(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r') this.advance();
      else if (c === '\\' && this.peek(1) === '\n') {
        this.advance();
        this.advance();
      } else if (c === '#') {
        while (!this.eof() && this.peek() !== '\n') this.advance();
      } else return;
    }
  }

  next(): Tok {
    this.skipBlanks();
    const line = this.line;
    const col = this.col;
    if (this.eof()) return { kind: 'eof', line, col };
    const c = this.peek();
    if (c === '\n') {
      this.advance();
      this.readHeredocBodies();
      return { kind: 'newline', line, col };
    }
    if (c === ';' || c === '|' || c === '&' || c === '<' || c === '>' || c === '(' || c === ')') {
      const two = c + this.peek(1);
      const three = two + this.peek(2);
      for (const op of [three, two, c]) {
        if (
          [
            '<<<',
            '<<-',
            ';;&',
            ';;',
            ';&',
            '||',
            '&&',
            '|&',
            '>>',
            '<<',
            '>&',
            '<&',
            '&>',
            '>|',
            '<>',
            ';',
            '|',
            '&',
            '<',
            '>',
            '(',
            ')',
          ].includes(op)
        ) {
          for (let i = 0; i < op.length; i++) this.advance();
          if (op === '&>' && this.peek() === '>') {
            this.advance();
            return { kind: 'op', op: '&>>', line, col };
          }
          return { kind: 'op', op, line, col };
        }
      }
    }
    return { kind: 'word', word: this.readWord(line, col) };
  }

  readWord(line: number, col: number): Word {
    let value = '';
    let raw = '';
    let quoted = false;
    while (!this.eof()) {
      const c = this.peek();
      if (isMeta(c)) break;
      if (c === '\r' && (this.peek(1) === '\n' || this.pos + 1 >= this.text.length)) {
        this.advance();
        continue;
      }
      if (c === '\\') {
        this.advance();
        if (this.eof()) break; // a backslash at the very end is dropped
        const d = this.advance();
        if (d === '\n') continue; // line continuation
        value += d;
        quoted = true;
        continue;
      }
      if (c === "'") {
        const startLine = this.line;
        this.advance();
        quoted = true;
        for (;;) {
          if (this.eof()) throw new SyntaxError_("unexpected EOF while looking for matching `''", startLine);
          const d = this.advance();
          if (d === "'") break;
          value += d;
        }
        continue;
      }
      if (c === '"') {
        const startLine = this.line;
        this.advance();
        quoted = true;
        for (;;) {
          if (this.eof()) throw new SyntaxError_('unexpected EOF while looking for matching `"\'', startLine);
          const d = this.peek();
          if (d === '"') {
            this.advance();
            break;
          }
          if (d === '\\') {
            const e = this.peek(1);
            if (e === '$' || e === '`' || e === '"' || e === '\\') {
              this.advance();
              value += this.advance();
              continue;
            }
            if (e === '\n') {
              this.advance();
              this.advance();
              continue;
            }
            value += this.advance();
            continue;
          }
          if (d === '$' && this.peek(1) === '?') {
            this.advance();
            this.advance();
            value += LAST_STATUS;
            continue;
          }
          if (d === '$' && this.dollarStartsExpansion(this.peek(1), true)) {
            value += this.skipDollar();
            continue;
          }
          if (d === '`') {
            value += this.skipBackquote();
            continue;
          }
          value += this.advance();
        }
        continue;
      }
      if (c === '$' && this.peek(1) === '?') {
        this.advance();
        this.advance();
        value += LAST_STATUS;
        raw += '$?';
        quoted = true;
        continue;
      }
      if (c === '$' && this.dollarStartsExpansion(this.peek(1), false)) {
        const s = this.skipDollar();
        value += s;
        raw += s;
        continue;
      }
      if (c === '`') {
        const s = this.skipBackquote();
        value += s;
        raw += s;
        continue;
      }
      this.advance();
      value += c;
      raw += c;
    }
    return { value, quoted, raw, line, col };
  }

  dollarStartsExpansion(next: string, inDouble: boolean): boolean {
    if (next === '(' || next === '{' || /[A-Za-z_0-9?#@*!$-]/.test(next)) return true;
    if (!inDouble && (next === "'" || next === '"')) return true;
    return false;
  }

  /** Consumes a `$...` expansion (refusing it) and returns its source text. */
  skipDollar(): string {
    const start = this.pos;
    this.advance(); // $
    const c = this.peek();
    if (c === '(') {
      this.refuse(
        this.peek(1) === '(' ? 'arithmetic expansion $((...)) is not supported' : 'command substitution $(...) is not supported',
      );
      this.skipBalanced('(', ')');
    } else if (c === '{') {
      this.refuse('shell variables (${...}) are not supported');
      this.skipBalanced('{', '}');
    } else if (c === "'" || c === '"') {
      this.refuse(c === "'" ? "ANSI-C quoting $'...' is not supported" : 'locale quoting $"..." is not supported');
      const q = this.advance();
      const startLine = this.line;
      for (;;) {
        if (this.eof()) throw new SyntaxError_(`unexpected EOF while looking for matching \`${q}'`, startLine);
        const d = this.advance();
        if (d === '\\' && !this.eof()) this.advance();
        else if (d === q) break;
      }
    } else if (/[A-Za-z_]/.test(c)) {
      let name = '';
      while (/[A-Za-z_0-9]/.test(this.peek())) name += this.advance();
      this.refuse(`shell variables ($${name}) are not supported`);
    } else {
      this.advance();
      this.refuse(`shell variables ($${c}) are not supported`);
    }
    return this.text.slice(start, this.pos);
  }

  /** Skips a nested `(...)` or `{...}` group, honouring quotes; the opener is next. */
  skipBalanced(open: string, close: string): void {
    const startLine = this.line;
    let depth = 0;
    while (!this.eof()) {
      const c = this.advance();
      if (c === '\\') {
        if (!this.eof()) this.advance();
      } else if (c === "'") {
        while (!this.eof() && this.advance() !== "'");
      } else if (c === '"') {
        while (!this.eof()) {
          const d = this.advance();
          if (d === '\\' && !this.eof()) this.advance();
          else if (d === '"') break;
        }
      } else if (c === open) depth++;
      else if (c === close) {
        depth--;
        if (depth === 0) return;
      }
    }
    throw new SyntaxError_(`unexpected EOF while looking for matching \`${close}'`, startLine);
  }

  skipBackquote(): string {
    const start = this.pos;
    const startLine = this.line;
    this.refuse('command substitution `...` is not supported');
    this.advance();
    for (;;) {
      if (this.eof()) throw new SyntaxError_("unexpected EOF while looking for matching ``'", startLine);
      const d = this.advance();
      if (d === '\\' && !this.eof()) this.advance();
      else if (d === '`') break;
    }
    return this.text.slice(start, this.pos);
  }

  /** After a newline: skips the bodies of here-documents opened on that line. */
  readHeredocBodies(): void {
    const docs = this.pendingHeredocs;
    this.pendingHeredocs = [];
    for (const doc of docs) {
      while (!this.eof()) {
        let lineText = '';
        while (!this.eof() && this.peek() !== '\n') lineText += this.advance();
        if (!this.eof()) this.advance();
        let l = lineText.replace(/\r$/, '');
        if (doc.stripTabs) l = l.replace(/^\t+/, '');
        if (l === doc.delim) break;
      }
    }
  }
}

function lineTextAt(lines: string[], n: number): string {
  return (lines[n - 1] ?? '').replace(/\r$/, '');
}

interface RawCommand {
  words: Word[];
  redirects: { op: string; target: Word | null; line: number }[];
  line: number;
  col: number;
  refusal: Refusal | null;
  background: boolean;
  /** The command before `|` whose output this one reads, and the operator (`|` or `|&`). */
  pipeFrom: { cmd: RawCommand; op: string } | null;
}

/** Lexes a whole script. Never throws. */
export function lexScript(text: string): ScriptLine[] {
  const lines = text.split('\n');
  const out: ScriptLine[] = [];
  const sc = new Scanner(text);
  const mk = (
    line: number,
    col: number,
    argv: string[],
    redirect: ScriptRedirect | null,
    error: string | null,
    background = false,
    stdin: string[] | null = null,
  ): ScriptLine => ({
    line,
    col,
    text: lineTextAt(lines, line),
    argv,
    redirect,
    error,
    background,
    stdin,
  });
  const refusalMsg = (line: number, msg: string) => `skbwalk: line ${line}: ${msg}`;

  // A compound command (if/for/while/case/{...}/( ... )) being skipped.
  let skip: { stack: string[]; line: number; col: number; message: string } | null = null;

  try {
    for (;;) {
      // One logical line: commands separated by `;` up to a newline or EOF.
      const cmds: RawCommand[] = [];
      let cur: RawCommand | null = null;
      // The left side of a `|` whose right side has not started yet.
      let pipeFrom: RawCommand['pipeFrom'] = null;
      const newCommand = (line: number, col: number): RawCommand => {
        const c: RawCommand = { words: [], redirects: [], line, col, refusal: null, background: false, pipeFrom };
        pipeFrom = null;
        return c;
      };
      let lastTok: Tok | null = null;
      let ended: 'newline' | 'eof' = 'eof';
      const finish = () => {
        if (cur) {
          cur.refusal = cur.refusal ?? sc.refusal;
          cmds.push(cur);
        }
        cur = null;
        sc.refusal = null;
      };
      const inCase = () => [...cmds, ...(cur ? [cur] : [])].some((c) => commandWords(c.words).includes('case'));
      const syntax = (tokText: string, line: number): never => {
        throw new SyntaxError_(
          `syntax error near unexpected token \`${tokText}'\nbash: line ${line}: \`${lineTextAt(lines, line)}'`,
          line,
        );
      };
      for (;;) {
        const tok = sc.next();
        if (tok.kind === 'eof' || tok.kind === 'newline') {
          if (lastTok && lastTok.kind === 'op' && ['|', '||', '&&', '|&'].includes(lastTok.op)) {
            // A list or pipeline continues on the next line: keep reading.
            if (tok.kind === 'eof') throw new SyntaxError_('syntax error: unexpected end of file', -1);
            continue;
          }
          if (cur && (cur as RawCommand).redirects.some((r) => r.target === null)) {
            syntax(tok.kind === 'eof' ? 'newline' : 'newline', tok.line);
          }
          finish();
          ended = tok.kind;
          break;
        }
        if (tok.kind === 'word') {
          if (!cur) cur = newCommand(tok.word.line, tok.word.col);
          const c = cur as RawCommand;
          const pendingRedir = c.redirects.find((r) => r.target === null);
          if (pendingRedir) {
            pendingRedir.target = tok.word;
            if (pendingRedir.op === '<<' || pendingRedir.op === '<<-') {
              sc.pendingHeredocs.push({ delim: tok.word.value, stripTabs: pendingRedir.op === '<<-' });
            }
          } else {
            // `2>` / `1>>`: a word of digits right before a redirection operator.
            if (!tok.word.quoted && /^\d+$/.test(tok.word.value) && (sc.peek() === '>' || sc.peek() === '<')) {
              sc.refuse('redirecting a numbered file descriptor (N>) is not supported');
              lastTok = tok;
              continue;
            }
            c.words.push(tok.word);
          }
          lastTok = tok;
          continue;
        }
        // Operators.
        const op = tok.op;
        if (op === ';') {
          if (!cur && !skip) syntax(';', tok.line);
          if (cur && (cur as RawCommand).redirects.some((r) => r.target === null)) syntax(';', tok.line);
          finish();
          lastTok = tok;
          continue;
        }
        if (op === ';;' || op === ';&' || op === ';;&') {
          if (!skip && !(cmds.length || cur)) syntax(op, tok.line);
          // Outside `case`, `;;` is a syntax error for the whole line.
          if (!skip && !inCase()) syntax(op, tok.line);
          finish();
          lastTok = tok;
          continue;
        }
        if (op === '|' || op === '|&' || op === '||' || op === '&&' || op === '&') {
          if (!cur) syntax(op, tok.line);
          if (op === '&') {
            (cur as RawCommand).background = true;
            finish();
          } else if (op === '|' || op === '|&') {
            // The left side ends here; the right side will read its output.
            const left = cur as RawCommand;
            left.refusal = left.refusal ?? sc.refusal;
            sc.refusal = null;
            cur = null;
            pipeFrom = { cmd: left, op };
          } else sc.refuse(`command lists (${op}) are not supported`);
          lastTok = tok;
          continue;
        }
        if (op === '(' || op === ')') {
          if (skip || inCase()) {
            lastTok = tok;
            continue;
          }
          if (op === ')') syntax(')', tok.line);
          if (cur) {
            // `name ()`: a function definition.
            sc.refuse('shell functions are not supported');
            lastTok = tok;
            continue;
          }
          // A subshell: skip to its matching `)`.
          sc.refuse('subshells ( ... ) are not supported');
          cur = newCommand(tok.line, tok.col);
          let depth = 1;
          while (depth > 0) {
            const t = sc.next();
            if (t.kind === 'eof') throw new SyntaxError_('syntax error: unexpected end of file', -1);
            if (t.kind === 'op' && t.op === '(') depth++;
            if (t.kind === 'op' && t.op === ')') depth--;
          }
          lastTok = tok;
          continue;
        }
        // Redirections.
        if (!cur) cur = newCommand(tok.line, tok.col);
        const c = cur as RawCommand;
        if (c.redirects.some((r) => r.target === null)) syntax(op, tok.line);
        if (op === '<<' || op === '<<-' || op === '<<<')
          sc.refuse(op === '<<<' ? 'here-strings (<<<) are not supported' : 'here-documents (<<) are not supported');
        else if (op === '<' || op === '<>' || op === '<&') sc.refuse('input redirection (<) is not supported');
        else if (op === '>&' || op === '&>' || op === '&>>') sc.refuse(`redirection ${op} is not supported`);
        c.redirects.push({ op, target: null, line: tok.line });
        lastTok = tok;
      }

      for (const c of cmds) {
        const first = c.words[0];
        // Control flow is skipped whole, from its opening word to its closing one.
        const cmdWords = commandWords(c.words);
        if (skip) {
          for (const w of cmdWords) {
            if (OPENERS.has(w)) skip.stack.push(OPENERS.get(w)!);
            else if (CLOSERS.has(w) && skip.stack[skip.stack.length - 1] === w) skip.stack.pop();
          }
          if (skip.stack.length === 0) {
            out.push(mk(skip.line, skip.col, [], null, refusalMsg(skip.line, skip.message)));
            skip = null;
          }
          continue;
        }
        const opener = cmdWords.find((w) => OPENERS.has(w));
        if (opener) {
          skip = {
            stack: [],
            line: c.line,
            col: c.col,
            message:
              opener === '{'
                ? 'command groups { ... } are not supported'
                : `shell control flow (${opener} ... ${OPENERS.get(opener)}) is not supported`,
          };
          for (const w of cmdWords) {
            if (OPENERS.has(w)) skip.stack.push(OPENERS.get(w)!);
            else if (CLOSERS.has(w) && skip.stack[skip.stack.length - 1] === w) skip.stack.pop();
          }
          if (skip.stack.length === 0) {
            out.push(mk(skip.line, skip.col, [], null, refusalMsg(skip.line, skip.message)));
            skip = null;
          }
          continue;
        }
        if (c.pipeFrom) {
          // The one pipeline skbwalk runs: `echo ... | nc ...` or `printf ... | nc ...`.
          const src = c.pipeFrom.cmd;
          const srcArgv = src.words.map((w) => w.value);
          const argv = c.words.map((w) => w.value);
          // nc's output may go to /dev/null; any other redirection in a pipeline is refused.
          const toDevNull =
            c.redirects.length === 1 &&
            ['>', '>>', '>|'].includes(c.redirects[0].op) &&
            c.redirects[0].target?.value === '/dev/null';
          const shapeOk =
            c.pipeFrom.op === '|' &&
            !src.pipeFrom &&
            !src.redirects.length &&
            (!c.redirects.length || toDevNull) &&
            ['echo', 'printf'].includes(srcArgv[0] ?? '') &&
            isNcCommand(argv);
          const refusal = src.refusal ?? (shapeOk ? c.refusal : { message: 'pipelines (|) are not supported' });
          let head = src;
          while (head.pipeFrom) head = head.pipeFrom.cmd;
          if (refusal) {
            out.push(mk(head.line, head.col, [], null, refusalMsg(head.line, refusal.message)));
            continue;
          }
          const redirect: ScriptRedirect | null = toDevNull ? { op: '>', path: '/dev/null' } : null;
          out.push(mk(src.line, src.col, argv, redirect, null, c.background, srcArgv));
          continue;
        }
        if (c.refusal) {
          out.push(mk(c.line, c.col, [], null, refusalMsg(c.line, c.refusal.message)));
          continue;
        }
        if (first && !first.quoted && (CLOSERS.has(first.value) || PREFIX_WORDS.has(first.value))) {
          if (first.value !== '!' && first.value !== 'time') {
            throw new SyntaxError_(
              `syntax error near unexpected token \`${first.value}'\nbash: line ${c.line}: \`${lineTextAt(lines, c.line)}'`,
              c.line,
            );
          }
          out.push(mk(c.line, c.col, [], null, refusalMsg(c.line, `"${first.value}" is not supported`)));
          continue;
        }
        if (first && !first.quoted && OTHER_RESERVED.has(first.value)) {
          out.push(mk(c.line, c.col, [], null, refusalMsg(c.line, `"${first.value}" is not supported`)));
          continue;
        }
        if (first && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(first.raw) && first.raw.startsWith(first.value.split('=')[0])) {
          out.push(mk(c.line, c.col, [], null, refusalMsg(c.line, 'shell variable assignments are not supported')));
          continue;
        }
        const brace = c.words.find((w) => /\{[^{}]*(,|\.\.)[^{}]*\}/.test(w.raw));
        if (brace) {
          out.push(mk(c.line, c.col, [], null, refusalMsg(c.line, `brace expansion (${brace.raw}) is not supported`)));
          continue;
        }
        if (c.redirects.length > 1) {
          out.push(mk(c.line, c.col, [], null, refusalMsg(c.line, 'more than one redirection is not supported')));
          continue;
        }
        let redirect: ScriptRedirect | null = null;
        if (c.redirects.length === 1) {
          const r = c.redirects[0];
          if (r.op === '>|') r.op = '>';
          if (r.op !== '>' && r.op !== '>>') {
            out.push(mk(c.line, c.col, [], null, refusalMsg(c.line, `redirection ${r.op} is not supported`)));
            continue;
          }
          redirect = { op: r.op as '>' | '>>', path: r.target ? r.target.value : '' };
        }
        if (c.words.length === 0 && !redirect) continue;
        out.push(
          mk(
            c.line,
            c.col,
            c.words.map((w) => w.value),
            redirect,
            null,
            c.background,
          ),
        );
      }
      if (ended === 'eof') break;
    }
    if (skip) {
      const s = skip as { line: number; col: number; message: string };
      out.push(mk(s.line, s.col, [], null, refusalMsg(s.line, s.message)));
    }
  } catch (e) {
    if (!(e instanceof SyntaxError_)) throw e;
    const line = e.atLine > 0 ? e.atLine : Math.max(1, Math.min(sc.line, lines.length));
    const prefix = e.atLine > 0 ? `bash: line ${line}: ` : 'bash: ';
    out.push(mk(line, 1, [], null, prefix + e.bashMessage));
  }
  return out;
}

/** `nc ...`, or `ip netns exec NS nc ...`: the command a pipe may feed. */
function isNcCommand(argv: string[]): boolean {
  if (argv[0] === 'nc') return true;
  return argv[0] === 'ip' && argv[1] === 'netns' && argv[2] === 'exec' && argv[4] === 'nc';
}

/** The words of a command that are in command position (reserved-word candidates). */
function commandWords(words: Word[]): string[] {
  const res: string[] = [];
  for (const w of words) {
    if (w.quoted) break;
    res.push(w.value);
    if (!PREFIX_WORDS.has(w.value) && !OPENERS.has(w.value) && !CLOSERS.has(w.value)) break;
  }
  return res;
}
