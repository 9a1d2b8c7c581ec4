/**
 * Brevo transactional SMS stand-in (https://developers.brevo.com). Checks `POST
 * /v3/transactionalSMS/send` as documented: header `api-key`, `Content-Type: application/json`,
 * required `sender` (≤ 11 alphanumeric or ≤ 15 digits), `recipient` (6–15 digits, optional +),
 * `content`; `type` transactional|marketing; `tag` a string or ≤ 10 strings. Answers 201
 * `{messageId}`, or `{code, message}` with 400/401/402 like Brevo. `GET /v3/account` gives the plan.
 */
import { get, header, json, parseJsonBody, startStubServer, type RecordedRequest, type StubReply, type StubServer, type StubServerOptions, type StubState } from './stub-server.js';

export interface BrevoStubOptions extends StubServerOptions {
  readonly apiKey?: string;
  readonly credits?: number;
}

export interface BrevoStub extends StubServer {
  readonly apiKey: string;
}

function send(request: RecordedRequest, state: StubState, nextId: () => number): StubReply {
  if (!header(request, 'content-type').toLowerCase().startsWith('application/json')) return json(415, { code: 'invalid_parameter', message: 'Content-Type must be application/json' });
  const body = parseJsonBody(request);
  if (body === undefined) return json(400, { code: 'bad_request', message: 'Input must be a valid JSON object' });
  const sender = get(body, 'sender');
  const recipient = get(body, 'recipient');
  const content = get(body, 'content');
  const type = get(body, 'type');
  const tag = get(body, 'tag');
  const webUrl = get(body, 'webUrl');
  if (typeof sender !== 'string' || !/^([A-Za-z0-9 ]{1,11}|\d{1,15})$/.test(sender)) return json(400, { code: 'invalid_parameter', message: 'sender is invalid' });
  if (typeof content !== 'string' || content === '') return json(400, { code: 'missing_parameter', message: 'content is missing' });
  if (type !== undefined && type !== 'transactional' && type !== 'marketing') return json(400, { code: 'invalid_parameter', message: 'type is invalid' });
  const tagOk = tag === undefined || typeof tag === 'string' || (Array.isArray(tag) && tag.length <= 10 && tag.every((item) => typeof item === 'string'));
  if (!tagOk) return json(400, { code: 'invalid_parameter', message: 'tag is invalid' });
  if (webUrl !== undefined && typeof webUrl !== 'string') return json(400, { code: 'invalid_parameter', message: 'webUrl is invalid' });
  if (typeof recipient !== 'string' || !/^\+?\d{6,15}$/.test(recipient) || state.mode === 'invalid_number') return json(400, { code: 'invalid_parameter', message: 'Invalid recipient phone number' });
  if (state.mode === 'no_credit') return json(402, { code: 'not_enough_credits', message: 'Not enough credits' });
  return json(201, { messageId: nextId() });
}

export async function startBrevoStub(options: BrevoStubOptions = {}): Promise<BrevoStub> {
  const apiKey = options.apiKey ?? 'xkeysib-test-key';
  let messageId = 1511882900176220;
  const server = await startStubServer((request, state) => {
    if (state.mode === 'server_error') return json(500, { code: 'internal_error', message: 'Internal error' });
    if (state.mode === 'bad_credentials' || header(request, 'api-key') !== apiKey) return json(401, { code: 'unauthorized', message: 'Key not found' });
    if (request.method === 'POST' && request.path === '/v3/transactionalSMS/send') return send(request, state, () => messageId++);
    if (request.method === 'GET' && request.path === '/v3/account') {
      return json(200, { email: 'compte@example.fr', plan: [{ type: 'payAsYouGo', credits: 0 }, { type: 'sms', credits: state.mode === 'no_credit' ? 0 : (options.credits ?? 1234.5) }] });
    }
    return json(404, { code: 'not_found', message: 'Invalid path' });
  }, options);
  return { ...server, apiKey };
}
