/**
 * `-w OUT`: the packets read (or those the display filter kept), streamed to a pcapng file
 * (or stdout for `-w -`). Interfaces can appear in the middle of a pcapng input; when a
 * packet names an interface the current section lacks, a new section is started that lists
 * every interface known so far, so interface numbers stay valid and Wireshark reads it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { PcapngWriter } from '../../core/pcap/writer';
import type { CaptureFileInfo, PacketRecord } from '../../core/pcap/types';

const FLUSH_AT = 1 << 20;

/** pcapng can store 10^k and 2^k resolutions; anything else is written in ns. */
function writableResolution(unitsPerSecond: number): number {
  for (let k = 0; k <= 9; k++) if (10 ** k === unitsPerSecond) return unitsPerSecond;
  return 1e9;
}

interface ByteSink {
  write(bytes: Uint8Array): Promise<void> | null;
  close(): Promise<void>;
}

class FileSink implements ByteSink {
  private readonly fd: number;
  private parts: Uint8Array[] = [];
  private size = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(bytes: Uint8Array): null {
    this.parts.push(bytes);
    this.size += bytes.length;
    if (this.size >= FLUSH_AT) this.flush();
    return null;
  }
  private flush(): void {
    if (this.size === 0) return;
    const all = Buffer.concat(this.parts, this.size);
    let done = 0;
    while (done < all.length) done += writeSync(this.fd, all, done, all.length - done);
    this.parts = [];
    this.size = 0;
  }
  async close(): Promise<void> {
    this.flush();
    closeSync(this.fd);
  }
}

class StreamSink implements ByteSink {
  constructor(private readonly stream: Writable) {}
  write(bytes: Uint8Array): Promise<void> | null {
    if (this.stream.write(bytes)) return null;
    return new Promise((resolve) => this.stream.once('drain', () => resolve()));
  }
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.stream.write(new Uint8Array(0), () => resolve()));
  }
}

export class CaptureOutput {
  private writer: PcapngWriter | null = null;
  private sectionInterfaces = 0;
  private readonly sink: ByteSink;

  /** `path` '-' writes to `stdout`. Throws (from fs) when the file cannot be created. */
  constructor(path: string, stdout: Writable) {
    this.sink = path === '-' ? new StreamSink(stdout) : new FileSink(path);
  }

  write(info: CaptureFileInfo, record: PacketRecord): Promise<void> | null {
    if (this.writer === null || record.interfaceId >= this.sectionInterfaces) {
      this.writer = new PcapngWriter({
        interfaces: info.interfaces.map((i) => ({
          linkType: i.linkType,
          snapLen: i.snapLen,
          name: i.name,
          description: i.description,
          tsUnitsPerSecond: writableResolution(i.tsUnitsPerSecond),
          fcsLength: i.fcsLength,
        })),
        comments: info.comments,
        hardware: info.hardware,
        os: info.os,
        application: 'WireLab (wirelab -w)',
      });
      this.sectionInterfaces = info.interfaces.length;
      this.sink.write(this.writer.header());
    }
    return this.sink.write(this.writer.packet(record));
  }

  /** Closes the file; with no packet written, still writes a valid (empty) pcapng file. */
  async close(info: CaptureFileInfo | null): Promise<void> {
    if (this.writer === null) {
      const interfaces = info?.interfaces.length
        ? info.interfaces.map((i) => ({ linkType: i.linkType, snapLen: i.snapLen, name: i.name }))
        : [{ linkType: 1, snapLen: 262144 }];
      this.sink.write(new PcapngWriter({ interfaces, application: 'WireLab (wirelab -w)' }).header());
    }
    await this.sink.close();
  }
}
