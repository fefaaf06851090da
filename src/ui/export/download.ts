// Hands a file to the browser's download (an <a download> on an object URL).

export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by the time the click returns; give the browser a moment to read the blob.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function downloadText(name: string, text: string, type = 'text/plain'): void {
  downloadBlob(name, new Blob([text], { type: `${type};charset=utf-8` }));
}

export function downloadBytes(name: string, bytes: Uint8Array, type = 'application/octet-stream'): void {
  downloadBlob(name, new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
}

/** A file-name-safe form of a title: letters, digits and dashes. */
export function slug(title: string, fallback = 'scenario'): string {
  const s = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // At most 32 characters, cut between words.
  if (s.length <= 32) return s || fallback;
  const dash = s.slice(0, 33).lastIndexOf('-');
  return dash > 0 ? s.slice(0, dash) : s.slice(0, 32);
}
