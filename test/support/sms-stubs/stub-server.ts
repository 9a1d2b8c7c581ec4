/**
 * A loopback HTTP server (port 0) shared by the SMS provider stubs: it reads each request, hands it
 * to the provider's handler, which checks the documented shape and answers like the provider.
 * Failure modes are set per stub; `slow` holds every answer for `delayMs`.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StubFailureMode = 'none' | 'no_credit' | 'bad_credentials' | 'invalid_number' | 'server_error' | 'slow';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface StubReply {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

export interface StubState {
  readonly mode: StubFailureMode;
}

export type StubHandler = (request: RecordedRequest, state: StubState) => StubReply;

export interface StubServerOptions {
  /** Keep every request for `requests()` (default true; off for benchmarks). */
  readonly recordRequests?: boolean;
  /** How long `slow` holds an answer (default 5 s). */
  readonly delayMs?: number;
}

export interface StubServer {
  /** `http://127.0.0.1:<port>`: the adapter's `endpoint` credential. */
  readonly url: string;
  requests(): readonly RecordedRequest[];
  setFailure(mode: StubFailureMode): void;
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export function json(status: number, value: unknown): StubReply {
  return { status, body: JSON.stringify(value), contentType: 'application/json' };
}

/** The value of a header, lower-cased name, first value if repeated. */
export function header(request: RecordedRequest, name: string): string {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** `Basic base64(user:password)` decoded, or null. */
export function basicCredentials(request: RecordedRequest): { user: string; password: string } | null {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header(request, 'authorization'));
  if (match === null) return null;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function parseJsonBody(request: RecordedRequest): unknown {
  try {
    return JSON.parse(request.body) as unknown;
  } catch {
    return undefined;
  }
}

/** A plain object's own field, or undefined. */
export function get(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** Segments a GSM-7 text costs (160, then 153 per part), for answers that report it. */
export function gsmSegments(text: string): number {
  return text.length <= 160 ? 1 : Math.ceil(text.length / 153);
}

export async function startStubServer(handler: StubHandler, options: StubServerOptions = {}): Promise<StubServer> {
  const record = options.recordRequests ?? true;
  const delayMs = options.delayMs ?? 5000;
  const recorded: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let mode: StubFailureMode = 'none';

  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      if (record) recorded.push(request);
      const reply = size > MAX_BODY_BYTES ? json(413, { message: 'Payload too large' }) : handler(request, { mode });
      const answer = (): void => {
        response.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'application/json' });
        response.end(reply.body);
      };
      if (mode === 'slow') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, delayMs);
        timers.add(timer);
      } else {
        answer();
      }
    });
  });
  server.keepAliveTimeout = 60_000;

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${String(port)}`,
    requests: () => recorded,
    setFailure(next: StubFailureMode) {
      mode = next;
    },
    reset() {
      recorded.length = 0;
      mode = 'none';
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    },
  };
}
