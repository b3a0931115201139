/* global performance, setInterval, clearInterval, setTimeout */
// A paced HTTP/1.1 load generator for the live bench (bench/live.bench.mjs), run as a child
// process so its CPU is not the bench's: `node bench/lib/http-load.mjs PORT [SOCKETS] [RATE] [CLOSE_EVERY]`.
// Only 127.0.0.1 is ever a target. Each of SOCKETS raw TCP connections has one `GET /` in flight
// (TCP_NODELAY, so every request is a packet of its own); a token bucket releases RATE requests a
// second over all sockets. Every CLOSE_EVERY-th request of a connection (0: never) asks
// `Connection: close`, so the traffic mixes keep-alive exchanges with handshakes and teardowns,
// as a browser's does. The parent may change the rate with an IPC message {rate}; the child
// sends {requests, responses, errors} every 500 ms and when told {stop: true} it closes the
// sockets (FIN, as a browser's keep-alive teardown) and exits.
import net from 'node:net';

const HOST = '127.0.0.1';
const port = Number(process.argv[2]);
const socketCount = Number(process.argv[3] ?? 64);
let rate = Number(process.argv[4] ?? 5000);
const closeEvery = Number(process.argv[5] ?? 0);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: http-load.mjs PORT [SOCKETS] [RATE]');
  process.exit(2);
}

const request = (close) =>
  Buffer.from(
    `GET / HTTP/1.1\r\nHost: ${HOST}:${port}\r\nUser-Agent: wirelab-live-bench\r\n${close ? 'Connection: close\r\n' : ''}\r\n`,
  );
const KEEP_ALIVE = request(false);
const CLOSE = request(true);
let requests = 0;
let responses = 0;
let errors = 0;
let tokens = 0;
let stopping = false;
/** Sockets waiting for a token. */
const idle = [];

/** One connection: sends a request when given a token, counts complete responses (Content-Length bodies). */
function connect() {
  const socket = net.connect({ host: HOST, port, noDelay: true });
  let buffered = Buffer.alloc(0);
  let bodyLeft = -1; // -1: reading headers
  let inFlight = false;
  let sent = 0;
  let closing = false;
  const send = () => {
    inFlight = true;
    requests++;
    sent++;
    closing = closeEvery > 0 && sent % closeEvery === 0;
    socket.write(closing ? CLOSE : KEEP_ALIVE);
  };
  const ready = () => {
    if (stopping) return;
    if (tokens >= 1) {
      tokens--;
      send();
    } else idle.push(send);
  };
  socket.on('connect', ready);
  socket.on('data', (data) => {
    buffered = buffered.length ? Buffer.concat([buffered, data]) : data;
    for (;;) {
      if (bodyLeft < 0) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.toString('latin1', 0, end);
        const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        bodyLeft = m ? Number(m[1]) : 0;
        buffered = buffered.subarray(end + 4);
      }
      if (buffered.length < bodyLeft) return;
      buffered = buffered.subarray(bodyLeft);
      bodyLeft = -1;
      responses++;
      inFlight = false;
      if (closing) {
        socket.end();
        return;
      }
      ready();
    }
  });
  socket.on('error', () => errors++);
  socket.on('close', () => {
    if (inFlight) errors++;
    // Closed after `Connection: close` (or by the server: a timeout, an error): a new connection takes its place.
    if (!stopping) connect();
  });
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
}

const sockets = new Set();
for (let i = 0; i < socketCount; i++) connect();

const TICK_MS = 5;
let last = performance.now();
const ticker = setInterval(() => {
  const now = performance.now();
  // At most a tick's worth of backlog: a busy spell is not made up for with a burst.
  tokens = Math.min(tokens + (rate * (now - last)) / 1000, Math.max(1, (rate * TICK_MS * 4) / 1000));
  last = now;
  while (tokens >= 1 && idle.length > 0) {
    tokens--;
    idle.shift()();
  }
}, TICK_MS);

const report = () => process.send?.({ requests, responses, errors, sockets: sockets.size });
const reporter = setInterval(report, 500);

process.on('message', (message) => {
  if (typeof message?.rate === 'number') rate = Math.max(1, message.rate);
  if (message?.stop) {
    stopping = true;
    clearInterval(ticker);
    clearInterval(reporter);
    idle.length = 0;
    report();
    for (const socket of sockets) socket.end();
    setTimeout(() => process.exit(0), 1000).unref();
    const check = setInterval(() => {
      if (sockets.size === 0) {
        clearInterval(check);
        process.exit(0);
      }
    }, 20);
  }
});
process.on('disconnect', () => process.exit(0));
