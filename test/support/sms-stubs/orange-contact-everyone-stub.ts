/**
 * Orange Contact Everyone « API light » stand-in. Checks `POST /api/light/diffusions/sms` as
 * RDV-Solidarités coded it: form-urlencoded (`charset=UTF-8`) with `token`, `to`, `msg`. Answers
 * 200 when accepted; otherwise a status with a JSON `message`.
 */
import { header, json, startStubServer, type StubServer, type StubServerOptions } from './stub-server.js';

export interface OrangeContactEveryoneStubOptions extends StubServerOptions {
  readonly token?: string;
}

export interface OrangeContactEveryoneStub extends StubServer {
  readonly token: string;
}

export async function startOrangeContactEveryoneStub(options: OrangeContactEveryoneStubOptions = {}): Promise<OrangeContactEveryoneStub> {
  const token = options.token ?? 'orange-test-token';
  let nextId = 1;
  const server = await startStubServer((request, state) => {
    if (state.mode === 'server_error') return json(502, { message: 'Bad gateway' });
    if (request.method !== 'POST' || request.path !== '/api/light/diffusions/sms') return json(404, { message: 'Not found' });
    const contentType = header(request, 'content-type').toLowerCase().replace(/\s/g, '');
    if (!contentType.startsWith('application/x-www-form-urlencoded')) return json(415, { message: 'Unsupported media type' });
    const form = new URLSearchParams(request.body);
    if (state.mode === 'bad_credentials' || form.get('token') !== token) return json(401, { message: 'Invalid token' });
    const to = form.get('to') ?? '';
    const msg = form.get('msg') ?? '';
    if (msg === '') return json(400, { message: 'msg is required' });
    if (!/^\+?[1-9]\d{7,14}$/.test(to) || state.mode === 'invalid_number') return json(400, { message: 'Invalid recipient' });
    if (state.mode === 'no_credit') return json(402, { message: 'Insufficient credit' });
    return json(200, { id: `diffusion-${String(nextId++)}`, message: 'OK' });
  }, options);
  return { ...server, token };
}
