// The device and namespace names a script has made before a given line, for
// completion: read from the commands as the shell splits them (the engine's
// own lexer), not from a run, so they are there as soon as they are typed.
import { lexScript } from '../../engine/scenario/lexer.ts';
import { IP_OBJECTS, matchesWord } from './grammar.ts';

export interface ScriptNames {
  devices: string[];
  namespaces: string[];
}

/** Strips `ip netns exec NS` / `ip -n NS` wrappers; returns the ip arguments after the global options, or null. */
function ipArgs(argv: string[], namespaces: Set<string>): string[] | null {
  if (argv[0] !== 'ip') return null;
  let i = 1;
  while (i < argv.length && argv[i].startsWith('-')) {
    const opt = argv[i].replace(/^--/, '-');
    i += matchesWord(opt, '-netns') || opt === '-n' ? 2 : 1;
  }
  const rest = argv.slice(i);
  if (rest.length >= 3 && matchesWord(rest[0], 'netns') && rest[1] === 'exec') {
    return ipArgs(rest.slice(3), namespaces);
  }
  if (rest.length >= 2 && matchesWord(rest[0], 'netns') && rest[1] === 'add' && rest[2]) namespaces.add(rest[2]);
  return rest;
}

/** Names made by the commands that start before `beforeLine` (1-based; Infinity for the whole script). */
export function scriptNames(text: string, beforeLine = Infinity): ScriptNames {
  const devices = new Set<string>(['lo']);
  const namespaces = new Set<string>();
  for (const cmd of lexScript(text)) {
    if (cmd.line >= beforeLine) break;
    if (cmd.error) continue;
    const args = ipArgs(cmd.argv, namespaces);
    if (!args || !args.length) continue;
    const obj = IP_OBJECTS.find((o) => matchesWord(args[0], o));
    if (obj !== 'link') continue;
    const sub = args[1] ?? '';
    if (matchesWord(sub, 'add')) {
      for (let i = 2; i < args.length; i++) {
        const a = args[i];
        if (a === 'type') break;
        if ((a === 'name' || a === 'dev') && args[i + 1]) {
          devices.add(args[i + 1]);
          i++;
        } else if (!['link', 'mtu', 'address', 'txqueuelen', 'netns', 'numtxqueues', 'numrxqueues'].includes(a)) {
          devices.add(a);
          break;
        } else i++;
      }
      const peer = args.indexOf('peer');
      if (peer >= 0) {
        const n = args.indexOf('name', peer);
        if (n > 0 && args[n + 1]) devices.add(args[n + 1]);
      }
    } else if (matchesWord(sub, 'set') || sub === 'change') {
      const n = args.indexOf('name', 2);
      if (n > 0 && args[n + 1]) devices.add(args[n + 1]);
    }
  }
  return { devices: [...devices], namespaces: [...namespaces] };
}
