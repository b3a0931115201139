/**
 * Buffered output to a Node stream (stdout): text is collected and written in large
 * chunks, and the producer waits for 'drain' so a slow pipe keeps memory flat.
 * A closed pipe (`wirelab … | head`) ends the program quietly, as tshark does.
 */
import type { Writable } from 'node:stream';

const FLUSH_AT = 1 << 18;

export class BufferedOutput {
  /** Pending text (string concatenation is cheaper than an array join here). */
  private pending = '';
  private waiting: Promise<void> | null = null;
  /** Set when the reader of the pipe went away. */
  closed = false;

  constructor(
    private readonly stream: Writable,
    private readonly lineBuffered = false,
  ) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') this.closed = true;
      else throw err;
    });
  }

  /** Appends text; returns a promise only when the caller should wait (backpressure). */
  write(text: string): Promise<void> | null {
    if (this.closed) return null;
    this.pending += text;
    if (this.pending.length >= FLUSH_AT || this.lineBuffered) return this.flush();
    return null;
  }

  /** Writes what is buffered; resolves when the stream can take more. */
  flush(): Promise<void> | null {
    if (this.pending.length === 0) return this.waiting;
    const text = this.pending;
    this.pending = '';
    if (this.closed) return null;
    if (!this.stream.write(text)) {
      this.waiting ??= new Promise<void>((resolve) => {
        const done = () => {
          this.waiting = null;
          this.stream.off('drain', done);
          this.stream.off('close', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('close', done);
      });
      return this.waiting;
    }
    return null;
  }

  /** Flushes everything and waits until the stream has taken it. */
  async end(): Promise<void> {
    await this.flush();
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      if (this.stream.writableLength === 0) resolve();
      else this.stream.write('', () => resolve());
    });
  }
}
