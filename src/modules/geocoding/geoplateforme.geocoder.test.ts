/**
 * The Géoplateforme adapter against a loopback stand-in of the service: the request must be the
 * documented one (GET {base}/search?q=…&limit=…&index=address) and the answer is GeocodeJSON.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GeoplateformeGeocoder } from './geoplateforme.geocoder.js';
import { GeocoderUnavailableError } from './geocoding.errors.js';
import { bundledRecordedResponses } from './offline.geocoder.js';

const QUERY = '20 quai Hippolyte Rossignol 77000 Melun';

function recordedResponseFor(query: string): unknown {
  const recorded = bundledRecordedResponses().find((entry) => entry.query === query);
  if (recorded === undefined) throw new Error(`no recorded response for ${query}`);
  return recorded.response;
}

interface SeenRequest {
  method: string | undefined;
  url: URL;
  accept: string | undefined;
}

let server: Server;
let baseUrl: string;
let seen: SeenRequest[];
let respond: (request: IncomingMessage, response: ServerResponse) => void;

function answerJson(status: number, body: unknown): typeof respond {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ method: request.method, url: new URL(request.url ?? '/', 'http://127.0.0.1'), accept: request.headers.accept });
    respond(request, response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/geocodage`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

beforeEach(() => {
  seen = [];
  respond = answerJson(200, recordedResponseFor(QUERY));
});

async function rejectionOf(promise: Promise<unknown>): Promise<GeocoderUnavailableError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof GeocoderUnavailableError)) throw new Error('expected a GeocoderUnavailableError');
  return error;
}

describe('GeoplateformeGeocoder', () => {
  it('calls GET {base}/search with exactly q, limit and index=address', async () => {
    await new GeoplateformeGeocoder({ baseUrl }).search(`  ${QUERY} `, { limit: 3 });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe('GET');
    expect(request?.url.pathname).toBe('/geocodage/search');
    expect([...(request?.url.searchParams.keys() ?? [])].sort()).toEqual(['index', 'limit', 'q']);
    expect(request?.url.searchParams.get('q')).toBe(QUERY);
    expect(request?.url.searchParams.get('limit')).toBe('3');
    expect(request?.url.searchParams.get('index')).toBe('address');
    expect(request?.accept).toBe('application/json');
  });

  it('asks for 5 results by default and accepts a base URL ending with a slash', async () => {
    await new GeoplateformeGeocoder({ baseUrl: `${baseUrl}/` }).search(QUERY);
    expect(seen[0]?.url.pathname).toBe('/geocodage/search');
    expect(seen[0]?.url.searchParams.get('limit')).toBe('5');
  });

  it('turns the GeocodeJSON answer into normalised results, best first', async () => {
    const results = await new GeoplateformeGeocoder({ baseUrl }).search(QUERY);
    expect(results).toEqual([
      {
        label: '20 Quai Hippolyte Rossignol 77000 Melun',
        houseNumber: '20',
        street: 'Quai Hippolyte Rossignol',
        postcode: '77000',
        cityCode: '77288',
        cityName: 'Melun',
        departementNumber: '77',
        latitude: 48.539396,
        longitude: 2.655612,
        banId: '77288_0740',
        score: 0.9731,
        type: 'housenumber',
      },
      expect.objectContaining({ type: 'street', banId: '77288_0740', street: 'Quai Hippolyte Rossignol' }),
    ]);
  });

  it('reads an overseas address with its three-character département', async () => {
    respond = answerJson(200, recordedResponseFor('2 rue de la Source 97400 Saint-Denis'));
    const [result] = await new GeoplateformeGeocoder({ baseUrl }).search('2 rue de la Source 97400 Saint-Denis');
    expect(result).toMatchObject({ cityCode: '97411', departementNumber: '974', latitude: -20.878934, longitude: 55.448109 });
  });

  it('answers an empty list without calling the service for a query under three characters', async () => {
    expect(await new GeoplateformeGeocoder({ baseUrl }).search(' 7 ')).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('answers an empty list when the service finds nothing', async () => {
    respond = answerJson(200, { type: 'FeatureCollection', features: [] });
    expect(await new GeoplateformeGeocoder({ baseUrl }).search('zzzz qqqq')).toEqual([]);
  });

  it('reports a server error as unavailable, without the address in the error', async () => {
    respond = answerJson(503, { code: 503, message: 'Service Unavailable' });
    const error = await rejectionOf(new GeoplateformeGeocoder({ baseUrl }).search(QUERY));
    expect(error).toMatchObject({ reason: 'HTTP_ERROR', status: 503 });
    const printed = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`;
    expect(printed).not.toContain('Rossignol');
    expect(printed).not.toContain('Hippolyte');
  });

  it('reports HTTP 429 (over 50 requests/s) as rate limited', async () => {
    respond = answerJson(429, '<html>Too Many Requests</html>');
    expect(await rejectionOf(new GeoplateformeGeocoder({ baseUrl }).search(QUERY))).toMatchObject({ reason: 'RATE_LIMITED', status: 429 });
  });

  it('gives up after the timeout when the service does not answer', async () => {
    respond = () => undefined; // the stand-in keeps the connection open and never answers
    const error = await rejectionOf(new GeoplateformeGeocoder({ baseUrl, timeoutMs: 50 }).search(QUERY));
    expect(error.reason).toBe('TIMEOUT');
  });

  it('gives up after the timeout when the body stalls after the headers', async () => {
    respond = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"type":"FeatureCollection","features":[');
    };
    const error = await rejectionOf(new GeoplateformeGeocoder({ baseUrl, timeoutMs: 50 }).search(QUERY));
    expect(error.reason).toBe('TIMEOUT');
  });

  it('reports a body that is not JSON, or not a FeatureCollection, as an invalid response', async () => {
    respond = answerJson(200, '<html>maintenance</html>');
    expect((await rejectionOf(new GeoplateformeGeocoder({ baseUrl }).search(QUERY))).reason).toBe('INVALID_RESPONSE');
    respond = answerJson(200, { features: 'none' });
    expect((await rejectionOf(new GeoplateformeGeocoder({ baseUrl }).search(QUERY))).reason).toBe('INVALID_RESPONSE');
  });

  it('reports a refused connection as a network error', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const error = await rejectionOf(new GeoplateformeGeocoder({ baseUrl: `http://127.0.0.1:${port}/geocodage` }).search(QUERY));
    expect(error.reason).toBe('NETWORK_ERROR');
  });

  it('uses the injected fetch', async () => {
    const calls: string[] = [];
    const fakeFetch: typeof fetch = (input) => {
      calls.push(input instanceof URL ? input.pathname : 'not a URL');
      return Promise.resolve(Response.json({ type: 'FeatureCollection', features: [] }));
    };
    await new GeoplateformeGeocoder({ baseUrl: 'https://geocoder.example/geocodage', fetch: fakeFetch }).search(QUERY);
    expect(calls).toEqual(['/geocodage/search']);
  });
});
