// Text built as UTF-8 bytes: trace.txt of a flood holds hundreds of
// thousands of lines, and a string per line (joined at the end) costs the CLI
// more in garbage collection than the simulation itself. Nearly everything
// written is ASCII (tracepoint names, numbers), one byte a character; a
// device name may hold any character, and is encoded as UTF-8.

const DECODER = new TextDecoder();
const ENCODER = new TextEncoder();

/** Takes the bytes written so far; they are overwritten once it returns, so it must use them (write them out) at once. */
export type Drain = (bytes: Uint8Array) => void;

export class TextWriter {
  bytes: Uint8Array;
  length = 0;

  /**
   * With a `drain`, the buffer is handed to it whenever it is full and then
   * reused, so text of any length is written through `capacity` bytes of
   * memory (a flood's trace.txt, tens of megabytes, goes to its file that
   * way); without one, the buffer grows to hold everything.
   */
  constructor(
    capacity = 256,
    private readonly drain: Drain | null = null,
  ) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Hands what is buffered to the drain (if there is one) and empties the buffer. */
  flush(): void {
    if (!this.drain || this.length === 0) return;
    this.drain(this.bytes.subarray(0, this.length));
    this.length = 0;
  }

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    if (this.drain) {
      this.flush();
      if (n <= this.bytes.length) return;
    }
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.bytes.subarray(0, this.length));
    this.bytes = b;
  }

  str(s: string): void {
    const n = s.length;
    this.reserve(n);
    const b = this.bytes;
    let o = this.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        this.length = o;
        this.raw(ENCODER.encode(s.slice(i)));
        return;
      }
      b[o++] = c;
    }
    this.length = o;
  }

  /** Bytes already encoded (a prefix or a name written many times). */
  raw(a: Uint8Array): void {
    const n = a.length;
    this.reserve(n);
    if (n > 32) {
      this.bytes.set(a, this.length);
      this.length += n;
      return;
    }
    // A loop beats TypedArray.set's call overhead for a few bytes.
    const b = this.bytes;
    let o = this.length;
    for (let i = 0; i < n; i++) b[o++] = a[i];
    this.length = o;
  }

  byte(c: number): void {
    this.reserve(1);
    this.bytes[this.length++] = c;
  }

  /** A whole number in decimal, as `${n}` prints it. */
  int(n: number): void {
    if (n < 0) {
      this.byte(0x2d);
      n = -n;
    }
    if (n >= 2 ** 31) {
      this.str(String(n));
      return;
    }
    this.reserve(10);
    const b = this.bytes;
    let digits = 1;
    for (let m = n; m >= 10; m = (m / 10) | 0) digits++;
    let o = this.length + digits;
    this.length = o;
    do {
      b[--o] = 0x30 + (n % 10);
      n = (n / 10) | 0;
    } while (n > 0);
  }

  /** Lower-case hexadecimal, zero-padded to `width` digits. */
  hex(n: number, width: number): void {
    let digits = 1;
    for (let m = n >>> 4; m; m >>>= 4) digits++;
    for (let pad = width - digits; pad > 0; pad--) this.byte(0x30);
    this.reserve(digits);
    const b = this.bytes;
    let o = this.length + digits;
    this.length = o;
    do {
      const d = n & 15;
      b[--o] = d < 10 ? 0x30 + d : 0x57 + d;
      n >>>= 4;
    } while (n);
  }

  /** A host-order IPv4 address as a dotted quad. */
  ip(a: number): void {
    this.int((a >>> 24) & 255);
    this.byte(0x2e);
    this.int((a >>> 16) & 255);
    this.byte(0x2e);
    this.int((a >>> 8) & 255);
    this.byte(0x2e);
    this.int(a & 255);
  }

  /** What has been written, as bytes (a view, not a copy). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  toString(): string {
    return DECODER.decode(this.view());
  }
}

/** A string's UTF-8 bytes, for prefixes written once a line. */
export function utf8Bytes(s: string): Uint8Array {
  return ENCODER.encode(s);
}
