/**
 * A scripted visit to the profile page, the way a browser does it: one keep-alive connection,
 * GET / then GET of the logo the page references, then the connection is left idle so the
 * server's keep-alive timeout closes it (the teardown the lab explains).
 */
import http from 'node:http';

export interface VisitResult {
  page: { status: number; contentType: string; bytes: number };
  logo?: { path: string; status: number; contentType: string; bytes: number };
  /** Local (client) port of the connection used. */
  clientPort?: number;
}

function get(
  agent: http.Agent,
  url: URL,
): Promise<{ status: number; contentType: string; body: Buffer; localPort?: number }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { 'User-Agent': 'WireLab-visit/1.0', Accept: '*/*' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks),
          localPort: res.socket?.localPort,
        }),
      );
      res.on('error', reject);
    });
    request.setTimeout(10_000, () => request.destroy(new Error(`No answer from ${url.href} within 10 s`)));
    request.on('error', reject);
  });
}

/**
 * Fetches the page and its logo over one keep-alive connection. Resolves when the server has
 * closed the idle connection (its keep-alive FIN), or after `waitForCloseMs`.
 */
export async function visitProfilePage(pageUrl: string, waitForCloseMs = 8000): Promise<VisitResult> {
  // keepAliveMsecs: no TCP keep-alive probes in the lab's capture (browsers send none this early).
  const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 60_000, maxSockets: 1 });
  const base = new URL(pageUrl);
  try {
    const page = await get(agent, base);
    const result: VisitResult = {
      page: { status: page.status, contentType: page.contentType, bytes: page.body.length },
      clientPort: page.localPort,
    };
    const logoPath = /<img[^>]+src="([^"]+)"/i.exec(page.body.toString('utf8'))?.[1];
    if (logoPath) {
      const logoUrl = new URL(logoPath, base);
      const logo = await get(agent, logoUrl);
      result.logo = {
        path: logoUrl.pathname,
        status: logo.status,
        contentType: logo.contentType,
        bytes: logo.body.length,
      };
    }
    // Wait for the server to close the idle keep-alive socket, then close our side too.
    const sockets = Object.values(agent.freeSockets).flat();
    await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (!socket) return resolve();
            const timer = setTimeout(resolve, waitForCloseMs);
            socket.once('end', () => {
              clearTimeout(timer);
              resolve();
            });
            socket.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
    return result;
  } finally {
    agent.destroy();
  }
}
