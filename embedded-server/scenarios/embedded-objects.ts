/**
 * `embedded-objects`: a page with 8 small images. Each image is answered after a short delay
 * (as a busy server would), so a browser has several requests outstanding at once and opens
 * parallel connections (Chromium: up to 6 per host).
 */
import { tile, scenarioPage } from './html';
import type { ScenarioModule, SiteResource } from './types';

export const EMBEDDED_OBJECT_COUNT = 8;
/** Delay of each image (ms). */
export const EMBEDDED_OBJECT_DELAY_MS = 300;

export const embeddedObjectsScenario: ScenarioModule = {
  name: 'embedded-objects',
  build: ({ profile }) => {
    const routes = new Map<string, SiteResource>();
    let imgs = '';
    for (let n = 1; n <= EMBEDDED_OBJECT_COUNT; n++) {
      routes.set(`/objects/${n}.svg`, { ...tile(n), delayMs: EMBEDDED_OBJECT_DELAY_MS });
      imgs += `<img src="/objects/${n}.svg" alt="${n}" />`;
    }
    const page = scenarioPage({
      name: 'embedded-objects',
      title: 'Embedded objects · 嵌入对象',
      profile,
      bodyHtml:
        `<p>This page embeds ${EMBEDDED_OBJECT_COUNT} images: count the GET requests and the TCP connections. ` +
        `本页嵌入了 ${EMBEDDED_OBJECT_COUNT} 张图片：数一数 GET 请求和 TCP 连接。</p>\n<div class="tiles">${imgs}</div>`,
    });
    routes.set('/', page);
    routes.set('/index.html', page);
    return { scenario: 'embedded-objects', startPath: '/', routes };
  },
};
