/**
 * Logo validation by content, never by file name: the first bytes (magic numbers) must be
 * JPEG, PNG, GIF or WebP, and the image must not exceed MAX_LOGO_BYTES.
 *
 * SVG is refused on purpose: an SVG is a document that can carry scripts, event handlers and
 * links to other resources. Sanitising it safely needs a full XML sanitiser, and WireLab
 * cannot rasterise it without a browser engine, so the user is asked to export a PNG or JPEG.
 */
import { ProfileError } from './errors';

export const MAX_LOGO_BYTES = 2 * 1024 * 1024;

export type LogoType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

export interface LogoFormat {
  type: LogoType;
  /** File extension used in the served path (`/logo.<ext>`) and on disk. */
  ext: 'jpg' | 'png' | 'gif' | 'webp';
}

export const LOGO_FORMATS: readonly LogoFormat[] = [
  { type: 'image/jpeg', ext: 'jpg' },
  { type: 'image/png', ext: 'png' },
  { type: 'image/gif', ext: 'gif' },
  { type: 'image/webp', ext: 'webp' },
];

const ACCEPTED_EN = 'WireLab accepts JPEG, PNG, GIF or WebP images up to 2 MB.';
const ACCEPTED_ZH = 'WireLab 接受不超过 2 MB 的 JPEG、PNG、GIF 或 WebP 图片。';

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)));
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image format of `bytes` judged by its magic number and minimal structure, or null. */
export function detectImageFormat(bytes: Uint8Array): LogoFormat | null {
  // JPEG: SOI marker followed by another marker.
  if (startsWith(bytes, [0xff, 0xd8, 0xff]) && bytes.length >= 4) return LOGO_FORMATS[0];
  // PNG: 8-byte signature, then the IHDR chunk (length 13).
  if (startsWith(bytes, PNG_SIGNATURE) && startsWith(bytes, [0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52], 8)) {
    return LOGO_FORMATS[1];
  }
  // GIF: "GIF87a" or "GIF89a" then the logical screen descriptor.
  const gif = ascii(bytes, 0, 6);
  if ((gif === 'GIF87a' || gif === 'GIF89a') && bytes.length >= 13) return LOGO_FORMATS[2];
  // WebP: "RIFF" <size> "WEBP" then a VP8/VP8L/VP8X chunk.
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP' && ascii(bytes, 12, 15) === 'VP8') {
    return LOGO_FORMATS[3];
  }
  return null;
}

/** A short human description of what non-image bytes look like, for error messages. */
function describeUnsupported(bytes: Uint8Array): { en: string; zh: string } | null {
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 1024))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html'))
    return { en: 'a web page (HTML)', zh: '网页 (HTML)' };
  if (startsWith(bytes, [0x4d, 0x5a])) return { en: 'a Windows program (EXE/DLL)', zh: 'Windows 程序 (EXE/DLL)' };
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return { en: 'a Linux program (ELF)', zh: 'Linux 程序 (ELF)' };
  if (startsWith(bytes, [0xcf, 0xfa, 0xed, 0xfe]) || startsWith(bytes, [0xfe, 0xed, 0xfa, 0xcf])) {
    return { en: 'a macOS program (Mach-O)', zh: 'macOS 程序 (Mach-O)' };
  }
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return { en: 'a PDF document', zh: 'PDF 文档' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]))
    return { en: 'a ZIP archive or Office file', zh: 'ZIP 压缩包或 Office 文件' };
  if (ascii(bytes, 4, 8) === 'ftyp') return { en: 'a HEIC/AVIF or video file', zh: 'HEIC/AVIF 或视频文件' };
  if (startsWith(bytes, [0x42, 0x4d])) return { en: 'a BMP image', zh: 'BMP 图片' };
  return null;
}

function isSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 4096))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return head.startsWith('<svg') || ((head.startsWith('<?xml') || head.startsWith('<!--')) && head.includes('<svg'));
}

function formatMB(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Checks logo bytes and returns their format; throws a ProfileError whose message says what
 * was wrong and what is accepted.
 */
export function validateLogo(bytes: Uint8Array): LogoFormat {
  if (bytes.length === 0) {
    throw new ProfileError('LOGO_EMPTY', `The logo file is empty. ${ACCEPTED_EN}`, `Logo 文件是空的。${ACCEPTED_ZH}`);
  }
  if (bytes.length > MAX_LOGO_BYTES) {
    throw new ProfileError(
      'LOGO_TOO_LARGE',
      `The logo is ${formatMB(bytes.length)}, larger than the 2 MB limit. Please choose a smaller image or shrink it. ${ACCEPTED_EN}`,
      `Logo 大小为 ${formatMB(bytes.length)}，超过了 2 MB 的上限。请换一张较小的图片或将其缩小。${ACCEPTED_ZH}`,
    );
  }
  const format = detectImageFormat(bytes);
  if (format) return format;
  if (isSvg(bytes)) {
    throw new ProfileError(
      'LOGO_SVG',
      `SVG logos are not accepted: an SVG can contain scripts, and WireLab cannot convert it to a picture safely. Please export it as PNG or JPEG. ${ACCEPTED_EN}`,
      `不接受 SVG 格式的 Logo：SVG 可能包含脚本，WireLab 无法安全地把它转换为图片。请将其导出为 PNG 或 JPEG。${ACCEPTED_ZH}`,
    );
  }
  const looksLike = describeUnsupported(bytes);
  if (
    startsWith(bytes, [0xff, 0xd8]) ||
    startsWith(bytes, PNG_SIGNATURE.slice(0, 4)) ||
    ascii(bytes, 0, 3) === 'GIF' ||
    ascii(bytes, 0, 4) === 'RIFF'
  ) {
    throw new ProfileError(
      'LOGO_TRUNCATED',
      `The logo file looks like an image but is damaged or incomplete. Please save it again. ${ACCEPTED_EN}`,
      `Logo 文件看起来是图片，但已损坏或不完整。请重新保存后再试。${ACCEPTED_ZH}`,
    );
  }
  throw new ProfileError(
    'LOGO_UNSUPPORTED',
    looksLike
      ? `This file is not a supported image: it looks like ${looksLike.en}. ${ACCEPTED_EN}`
      : `This file is not a supported image. ${ACCEPTED_EN}`,
    looksLike
      ? `该文件不是受支持的图片：它看起来是${looksLike.zh}。${ACCEPTED_ZH}`
      : `该文件不是受支持的图片。${ACCEPTED_ZH}`,
  );
}
