/** assets/upload-sample.txt: the ~150 KB public-domain text of the `upload` and `long-document` scenarios. */
import fs from 'node:fs';
import path from 'node:path';
import { findAssetsDir } from '../assets';

export const UPLOAD_SAMPLE_FILE = 'upload-sample.txt';

const cache = new Map<string, string>();

export function loadUploadSample(assetsDir?: string): string {
  const file = path.join(findAssetsDir(assetsDir), UPLOAD_SAMPLE_FILE);
  let text = cache.get(file);
  if (text === undefined) {
    text = fs.readFileSync(file, 'utf8');
    cache.set(file, text);
  }
  return text;
}
