/**
 * P2's slow network: a TCP proxy in front of a registry that holds each client→server chunk that starts a new HTTP
 * request for `delayMs` before forwarding it (order kept per connection). Every registry request therefore costs at
 * least `delayMs` more, like a registry 50 ms away; responses pass through untouched.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LatencyProxy {
  /** `127.0.0.1:<port>`, what image references and the config use. */
  readonly host: string;
  /** HTTP requests forwarded so far. */
  requests(): number;
  /**
   * Most connections waiting for an answer at once since the last call (a connection waits from a chunk that starts
   * a request until the first chunk back), i.e. how many requests the client had in flight at its peak.
   */
  takePeakInFlight(): number;
  close(): Promise<void>;
}

const REQUEST_START = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) /;

export async function startLatencyProxy(options: {
  targetHost: string;
  targetPort: number;
  delayMs: number;
}): Promise<LatencyProxy> {
  const sockets = new Set<net.Socket>();
  let requests = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(options.targetPort, options.targetHost);
    sockets.add(client).add(upstream);
    let chain = Promise.resolve();
    let waiting = false;
    const answered = () => {
      if (waiting) inFlight -= 1;
      waiting = false;
    };
    client.on('data', (chunk: Buffer) => {
      const startsRequest = REQUEST_START.test(chunk.toString('latin1', 0, 8));
      if (startsRequest) {
        requests += 1;
        if (!waiting) inFlight += 1;
        waiting = true;
        peakInFlight = Math.max(peakInFlight, inFlight);
      }
      chain = chain.then(async () => {
        if (startsRequest) await sleep(options.delayMs);
        if (!upstream.destroyed) upstream.write(chunk);
      });
    });
    upstream.on('data', answered);
    upstream.pipe(client);
    const closeBoth = () => {
      answered();
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', closeBoth).on('close', closeBoth);
    upstream.on('error', closeBoth).on('close', closeBoth);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
  return {
    host: `127.0.0.1:${address.port}`,
    requests: () => requests,
    takePeakInFlight: () => {
      const peak = peakInFlight;
      peakInFlight = inFlight;
      return peak;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
