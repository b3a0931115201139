/**
 * `basic-auth`: `/` shows the credentials and links to `/protected/`, the profile page behind
 * HTTP Basic authentication (401 with WWW-Authenticate, then the browser's retry with
 * `Authorization: Basic …`). The credentials are printed on the page: they are lab material,
 * not secrets.
 */
import { escapeHtml } from '../page';
import { logoPath } from '../routes';
import { profilePage, scenarioPage } from './html';
import type { BasicAuth, ScenarioModule } from './types';

export const LAB_CREDENTIALS: Readonly<BasicAuth> = Object.freeze({
  realm: 'WireLab protected page',
  user: 'wirelab-student',
  password: 'network',
});

export const PROTECTED_PATH = '/protected/';

export const basicAuthScenario: ScenarioModule = {
  name: 'basic-auth',
  build: ({ profile, logo, template }) => {
    const { user, password } = LAB_CREDENTIALS;
    const protectedLogo = `${PROTECTED_PATH}${logoPath(logo).slice(1)}`;
    const landing = scenarioPage({
      name: 'basic-auth',
      title: 'Basic authentication · 基本认证',
      profile,
      bodyHtml:
        `<p>Open the <a href="${PROTECTED_PATH}">protected page</a> and log in with user ` +
        `<code>${escapeHtml(user)}</code>, password <code>${escapeHtml(password)}</code>.</p>\n` +
        `<p>打开<a href="${PROTECTED_PATH}">受保护的页面</a>，用户名 <code>${escapeHtml(user)}</code>，` +
        `密码 <code>${escapeHtml(password)}</code>。</p>`,
    });
    const page = { ...profilePage(template, profile, protectedLogo, 'basic-auth'), protected: true };
    return {
      scenario: 'basic-auth',
      startPath: '/',
      auth: { ...LAB_CREDENTIALS },
      routes: new Map([
        ['/', landing],
        ['/index.html', landing],
        [PROTECTED_PATH, page],
        [protectedLogo, { contentType: logo.type, body: logo.bytes, protected: true }],
      ]),
    };
  },
};
