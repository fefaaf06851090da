// Where the scripts of the kernel records are. A record of a gallery scenario
// (test/fixtures/kernel/<id>, or a raw trace in test/fixtures/raw-trace/<id>)
// keeps no script of its own: its script is the gallery's
// src/scenarios/<id>.sh, the one copy the app bundles, so a gallery scenario
// and its record cannot part. Every other record keeps its scenario.sh.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

/** test/fixtures/kernel: one folder a record. */
export const KERNEL_RECORDS = new URL('./fixtures/kernel/', import.meta.url).pathname;
/** test/fixtures/raw-trace: raw tracefs text with what the reference recorder made of it. */
export const RAW_TRACES = new URL('./fixtures/raw-trace/', import.meta.url).pathname;
const GALLERY = new URL('../src/scenarios/', import.meta.url).pathname;

/** The record folders below `root`, sorted. */
export function recordFolders(root: string = KERNEL_RECORDS): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** The gallery script a record of that name runs, if the gallery has one. */
export function galleryScriptPath(name: string): string | null {
  const path = join(GALLERY, `${name}.sh`);
  return existsSync(path) ? path : null;
}

/** The path of the script of the record in `folder` (a kernel record's name, or a folder's path). */
export function recordScriptPath(folder: string): string {
  const dir = folder.includes('/') ? folder : join(KERNEL_RECORDS, folder);
  return galleryScriptPath(basename(dir)) ?? join(dir, 'scenario.sh');
}

/** The script of the record in `folder` (see recordScriptPath). */
export function recordScript(folder: string): string {
  return readFileSync(recordScriptPath(folder), 'utf8');
}
