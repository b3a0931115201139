/**
 * `non-persistent`: every response carries `Connection: close`, so each object travels on its
 * own TCP connection (handshake, one request and response, teardown). The page embeds the logo
 * and 3 small images: 5 objects, 5 connections.
 */
import { logoPath } from '../routes';
import { scenarioPage, tile } from './html';
import type { ScenarioModule, SiteResource } from './types';

export const nonPersistentScenario: ScenarioModule = {
  name: 'non-persistent',
  build: ({ profile, logo }) => {
    const routes = new Map<string, SiteResource>();
    let imgs = `<img src="${logoPath(logo)}" alt="Logo" />`;
    for (let n = 1; n <= 3; n++) {
      routes.set(`/objects/${n}.svg`, tile(n));
      imgs += `<img src="/objects/${n}.svg" alt="${n}" />`;
    }
    routes.set(logoPath(logo), { contentType: logo.type, body: logo.bytes });
    const page = scenarioPage({
      name: 'non-persistent',
      title: 'Non-persistent HTTP · 非持久连接',
      profile,
      bodyHtml:
        '<p>Every response here says <code>Connection: close</code>: one TCP connection per object. ' +
        '这里的每个响应都带 <code>Connection: close</code>：每个对象一条 TCP 连接。</p>\n' +
        `<div class="tiles">${imgs}</div>`,
    });
    routes.set('/', page);
    routes.set('/index.html', page);
    return { scenario: 'non-persistent', startPath: '/', routes, connectionClose: true };
  },
};
