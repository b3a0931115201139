/** basic-auth: 401 with WWW-Authenticate, the retry with Authorization: Basic (decoded), then 200. */
import { base64Decode } from './base64';
import { bi, check, header } from './context';
import type { ScenarioAnalyzer, ScenarioContext } from './types';

function parts(ctx: ScenarioContext) {
  const denied = ctx.exchanges.find((e) => e.response?.code === 401);
  const retry = ctx.exchanges.find(
    (e) =>
      /^basic\s/i.test(header(e.request, 'Authorization') ?? '') && e.request.frame > (denied?.request.frame ?? -1),
  );
  const auth = header(retry?.request, 'Authorization') ?? '';
  const credentials = retry ? base64Decode(auth.replace(/^basic\s+/i, '').trim()) : null;
  return {
    denied,
    retry,
    credentials,
    realm: /realm="([^"]*)"/i.exec(header(denied?.response, 'WWW-Authenticate') ?? '')?.[1],
  };
}

export const basicAuth: ScenarioAnalyzer = {
  checks(ctx) {
    const { denied, retry, credentials, realm } = parts(ctx);
    const ok = retry?.response?.code === 200;
    return [
      check(
        'unauthorized',
        Boolean(denied),
        denied
          ? bi(
              `GET ${denied.request.uri}（帧 ${denied.request.frame}）没有凭据，服务器在帧 ${denied.response?.frame} 回答 401，WWW-Authenticate: ${header(denied.response, 'WWW-Authenticate')}`,
              `GET ${denied.request.uri} (frame ${denied.request.frame}) had no credentials; the server answered 401 in frame ${denied.response?.frame} with WWW-Authenticate: ${header(denied.response, 'WWW-Authenticate')}`,
            )
          : bi('没有看到 401：打开受保护的页面', 'No 401 yet: open the protected page'),
        [denied?.request.frame, denied?.response?.frame],
        'http.www_authenticate',
      ),
      check(
        'authorization',
        Boolean(retry),
        retry
          ? bi(
              `浏览器在帧 ${retry.request.frame} 重发请求，带 Authorization: ${header(retry.request, 'Authorization')}，Base64 解码为 ${credentials ?? '?'}${realm ? `（领域 “${realm}”）` : ''}`,
              `The browser retried in frame ${retry.request.frame} with Authorization: ${header(retry.request, 'Authorization')}, which Base64-decodes to ${credentials ?? '?'}${realm ? ` (realm "${realm}")` : ''}`,
            )
          : bi('没有看到带 Authorization 的重试', 'No retry with Authorization was captured'),
        [retry?.request.frame],
        'http.authbasic',
      ),
      check(
        'ok',
        ok,
        retry?.response
          ? bi(
              `带凭据的请求得到 ${retry.response.code} ${retry.response.phrase ?? ''}（帧 ${retry.response.frame}）`,
              `The request with credentials got ${retry.response.code} ${retry.response.phrase ?? ''} (frame ${retry.response.frame})`,
            )
          : bi('没有看到 401 之后的 200', 'No 200 after the 401 was captured'),
        [retry?.response?.frame],
        'http.response.code',
      ),
    ];
  },

  explain(ctx) {
    const { denied, retry, credentials } = parts(ctx);
    const out = [];
    if (denied)
      out.push({
        text: bi(
          `第一次请求 ${denied.request.uri} 时浏览器不知道需要登录，服务器用 401 Unauthorized 和 WWW-Authenticate 首部（${header(denied.response, 'WWW-Authenticate')}）要求 Basic 认证；浏览器于是弹出登录框。`,
          `The first request for ${denied.request.uri} carried no credentials, so the server asked for Basic authentication with 401 Unauthorized and a WWW-Authenticate header (${header(denied.response, 'WWW-Authenticate')}); the browser then asked for a user name and password.`,
        ),
        frames: [denied.request.frame, ...(denied.response ? [denied.response.frame] : [])],
      });
    if (retry)
      out.push({
        text: bi(
          `重试的请求（帧 ${retry.request.frame}）带 Authorization: ${header(retry.request, 'Authorization')}。这只是 “用户名:密码” 的 Base64 编码，不是加密：Wireshark 直接把它解码显示为 Credentials: ${credentials ?? '?'}。任何能抓到这些包的人都能读出密码，所以 Basic 认证只应在 HTTPS 之上使用。`,
          `The retry (frame ${retry.request.frame}) carries Authorization: ${header(retry.request, 'Authorization')}. That is only "user:password" in Base64, not encryption: Wireshark decodes it and shows Credentials: ${credentials ?? '?'}. Anyone who captures these packets can read the password, which is why Basic authentication belongs under HTTPS.`,
        ),
        frames: [retry.request.frame],
      });
    return out;
  },

  questions(ctx) {
    const { denied, retry, credentials } = parts(ctx);
    const qs = [];
    if (denied?.response)
      qs.push({
        id: 'status',
        prompt: bi(
          `第一次请求 ${denied.request.uri} 得到的状态码是什么？`,
          `What status code answered the first request for ${denied.request.uri}?`,
        ),
        answer: String(denied.response.code),
        kind: 'number' as const,
        tolerance: 0,
        frame: denied.response.frame,
        field: 'http.response.code',
        where: bi(`帧 ${denied.response.frame}：Status Code`, `Frame ${denied.response.frame}: Status Code`),
      });
    if (retry && credentials !== null)
      qs.push(
        {
          id: 'credentials',
          prompt: bi('解码后的 用户名:密码 是什么？', 'What is the decoded user:password?'),
          answer: credentials,
          kind: 'text' as const,
          tolerance: 0,
          frame: retry.request.frame,
          field: 'http.authbasic',
          where: bi(
            `帧 ${retry.request.frame}：Authorization → Credentials`,
            `Frame ${retry.request.frame}: Authorization → Credentials`,
          ),
        },
        {
          id: 'auth-frame',
          prompt: bi('哪一帧第一次携带 Authorization 首部？', 'Which frame first carries the Authorization header?'),
          answer: String(retry.request.frame),
          kind: 'number' as const,
          tolerance: 0,
          frame: retry.request.frame,
          field: 'http.authorization',
          where: bi(`帧 ${retry.request.frame}`, `Frame ${retry.request.frame}`),
        },
      );
    return qs;
  },
};
