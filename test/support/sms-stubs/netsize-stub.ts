/**
 * Netsize (IPX) stand-in. Checks `POST /restapi/v1/sms/send` as RDV-Solidarités sent it:
 * HTTP Basic, `Content-Type: application/x-www-form-urlencoded` with `charset=UTF-8` stated,
 * `destinationAddress`, `messageText`, `originatingAddress`, `originatorTON=1`. Answers HTTP 200
 * with `responseCode` (0 OK, 18 low balance, 100 invalid destination, 103 invalid account) like
 * Netsize; 401 for a missing or wrong Basic header.
 */
import { basicCredentials, gsmSegments, header, json, startStubServer, type StubServer, type StubServerOptions } from './stub-server.js';

export interface NetsizeStubOptions extends StubServerOptions {
  readonly account?: string;
  readonly password?: string;
}

export interface NetsizeStub extends StubServer {
  readonly account: string;
  readonly password: string;
}

const TIMESTAMP = '2026-12-01T10:00:00.000+01:00';

export async function startNetsizeStub(options: NetsizeStubOptions = {}): Promise<NetsizeStub> {
  const account = options.account ?? 'creneau-dpt77';
  const password = options.password ?? 'netsize-secret';
  let nextId = 1000;
  const server = await startStubServer((request, state) => {
    if (state.mode === 'server_error') return { status: 503, body: 'Service Unavailable', contentType: 'text/plain' };
    const basic = basicCredentials(request);
    if (basic === null) return json(401, { responseCode: 103, responseMessage: 'Unauthorized' });
    if (request.method !== 'POST' || request.path !== '/restapi/v1/sms/send') return json(404, { responseCode: 1, responseMessage: 'Not found' });
    const contentType = header(request, 'content-type').toLowerCase().replace(/\s/g, '');
    if (contentType !== 'application/x-www-form-urlencoded;charset=utf-8') return json(200, { responseCode: 2, responseMessage: 'Invalid content type or charset', traceId: 'trace-0', timestamp: TIMESTAMP });
    if (state.mode === 'bad_credentials' || basic.user !== account || basic.password !== password) return json(200, { responseCode: 103, responseMessage: 'Invalid account name', traceId: 'trace-1', timestamp: TIMESTAMP });
    const form = new URLSearchParams(request.body);
    const destination = form.get('destinationAddress') ?? '';
    const text = form.get('messageText') ?? '';
    const originator = form.get('originatingAddress') ?? '';
    if (text === '' || originator === '' || form.get('originatorTON') !== '1') return json(200, { responseCode: 3, responseMessage: 'Missing or invalid parameter', traceId: 'trace-2', timestamp: TIMESTAMP });
    if (!/^\+[1-9]\d{7,14}$/.test(destination) || state.mode === 'invalid_number') return json(200, { responseCode: 100, responseMessage: 'Invalid destination address', traceId: 'trace-3', timestamp: TIMESTAMP });
    if (state.mode === 'no_credit') return json(200, { responseCode: 18, responseMessage: 'Too low balance', traceId: 'trace-4', timestamp: TIMESTAMP });
    const max = Number(form.get('maxConcatenatedMessages') ?? '1');
    const segments = gsmSegments(text);
    if (segments > max) return json(200, { responseCode: 15, responseMessage: 'Message concatenation limit exceeded', traceId: 'trace-5', timestamp: TIMESTAMP });
    const messageIds = Array.from({ length: segments }, () => `ns-${String(nextId++)}`);
    return json(200, { responseCode: 0, responseMessage: 'Success', messageIds, traceId: 'trace-ok', timestamp: TIMESTAMP });
  }, options);
  return { ...server, account, password };
}
