/**
 * `long-document`: the profile page followed by a long text (the upload sample, twice: about
 * 300 KB), so the response needs at least 4 TCP segments even on loopback (MSS 65495) and
 * Wireshark shows "[N Reassembled TCP Segments (…)]" on the last one.
 */
import { escapeHtml } from '../page';
import { logoPath } from '../routes';
import { profilePage } from './html';
import { loadUploadSample } from './sample';
import type { ScenarioModule } from './types';

/** The document is at least this long (4 full loopback segments of 65483 bytes, and more). */
export const LONG_DOCUMENT_MIN_BYTES = 4 * 65_483 + 1;

export const longDocumentScenario: ScenarioModule = {
  name: 'long-document',
  build: ({ profile, logo, template, assetsDir }) => {
    const text = escapeHtml(loadUploadSample(assetsDir));
    let parts = '';
    for (let n = 1; parts.length < LONG_DOCUMENT_MIN_BYTES; n++) {
      parts += `\n<section><h2>Part ${n} · 第 ${n} 部分</h2><pre>${text}</pre></section>`;
    }
    const page = profilePage(template, profile, logoPath(logo), 'long-document', parts);
    return {
      scenario: 'long-document',
      startPath: '/',
      routes: new Map([
        ['/', page],
        ['/index.html', page],
        [logoPath(logo), { contentType: logo.type, body: logo.bytes }],
      ]),
    };
  },
};
