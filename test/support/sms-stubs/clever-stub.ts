/**
 * Clever Technologies stand-in. Checks `POST /api/pushs` as RDV-Solidarités sent it: HTTP Basic,
 * `Content-Type: application/json; charset=UTF-8`, `{datas: {text, number_list, encodage: 3}}`.
 * Answers 201 `{push: {id, nb_sms}}`; 401 unauthorised, 402 no credit, 430 account expired, with
 * an `errors` object like Clever. A wrong number is accepted (Clever reports no routing error).
 */
import { basicCredentials, get, gsmSegments, header, json, parseJsonBody, startStubServer, type StubServer, type StubServerOptions } from './stub-server.js';

export interface CleverStubOptions extends StubServerOptions {
  readonly login?: string;
  readonly password?: string;
}

export interface CleverStub extends StubServer {
  readonly login: string;
  readonly password: string;
  /** Answer 430 (account expired) to every push. */
  expireAccount(expired: boolean): void;
}

export async function startCleverStub(options: CleverStubOptions = {}): Promise<CleverStub> {
  const login = options.login ?? 'cd77';
  const password = options.password ?? 'clever-secret';
  let expired = false;
  let nextId = 680560;
  const server = await startStubServer((request, state) => {
    if (state.mode === 'server_error') return json(500, { errors: { server: 'Internal Server Error' } });
    const basic = basicCredentials(request);
    if (state.mode === 'bad_credentials' || basic === null || basic.user !== login || basic.password !== password) return json(401, { errors: { auth: 'Unauthorized' } });
    if (request.method !== 'POST' || request.path !== '/api/pushs') return json(404, { errors: { path: 'Not found' } });
    if (expired) return json(430, { errors: { account: 'Account expired' } });
    const contentType = header(request, 'content-type').toLowerCase().replace(/\s/g, '');
    if (contentType !== 'application/json;charset=utf-8') return json(400, { errors: { content_type: 'Content-Type application/json; charset=UTF-8 attendu' } });
    const datas = get(parseJsonBody(request), 'datas');
    const text = get(datas, 'text');
    const numbers = get(datas, 'number_list');
    if (typeof text !== 'string' || text === '' || typeof numbers !== 'string' || numbers === '' || get(datas, 'encodage') !== 3) return json(400, { errors: { datas: 'Paramètres invalides' } });
    if (state.mode === 'no_credit') return json(402, { errors: { credit: 'Crédit insuffisant' } });
    return json(201, { push: { id: nextId++, nb_sms: gsmSegments(text), error: null } });
  }, options);
  return {
    ...server,
    login,
    password,
    expireAccount(next: boolean) {
      expired = next;
    },
  };
}
