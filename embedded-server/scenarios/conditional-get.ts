/**
 * `conditional-get`: the page and the logo carry Last-Modified and ETag with
 * `Cache-Control: no-cache`, so a reload revalidates them (If-Modified-Since / If-None-Match)
 * and the server answers 304 Not Modified without a body.
 */
import { logoPath } from '../routes';
import { etagOf, profilePage } from './html';
import type { ScenarioModule, SiteResource } from './types';

export const conditionalGetScenario: ScenarioModule = {
  name: 'conditional-get',
  build: ({ profile, logo, template, builtAt }) => {
    const lastModified = new Date(Math.floor(builtAt.getTime() / 1000) * 1000).toUTCString();
    const revalidated = (r: SiteResource): SiteResource => ({
      ...r,
      validators: { etag: etagOf(r.body), lastModified },
      cacheControl: 'no-cache',
    });
    const page = revalidated(profilePage(template, profile, logoPath(logo), 'conditional-get'));
    return {
      scenario: 'conditional-get',
      startPath: '/',
      routes: new Map([
        ['/', page],
        ['/index.html', page],
        [logoPath(logo), revalidated({ contentType: logo.type, body: logo.bytes })],
      ]),
    };
  },
};
