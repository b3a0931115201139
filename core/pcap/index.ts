export * from './types';
export {
  CaptureReader,
  readCaptureFile,
  detectCaptureFormat,
  type CaptureFormat,
  type CaptureFileContents,
} from './reader';
export { PcapngWriter, writePcapng, writePcap, type PcapngWriterOptions, type PcapngWriterInterface } from './writer';
export { ticksToTimestamp, timestampToTicks, type Timestamp } from './timestamp';
