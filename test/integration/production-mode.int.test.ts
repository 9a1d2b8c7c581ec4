/**
 * What the configuration switches change in the built app: whose address `request.ip` is
 * (TRUST_PROXY) and whether the development outbox is served (DEV_OUTBOX).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { createTestContext } from '../support/app.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

const PROXY_ADDRESS = '10.0.0.5';
const CLAIMED_ADDRESS = '203.0.113.7';

describe('production switches of the app', () => {
  let database: TestDatabase;
  let app: FastifyInstance | undefined;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await database.destroy();
  });

  /** The real app with some settings changed, plus a route that tells the client's address. */
  async function appWith(settings: Partial<Config>): Promise<FastifyInstance> {
    const context = createTestContext(database);
    const built = await buildApp({ ...context, config: { ...context.config, ...settings } });
    built.get('/test/client-ip', (request) => ({ ip: request.ip }));
    await built.ready();
    app = built;
    return built;
  }

  async function clientIp(instance: FastifyInstance, forwardedFor: string | undefined): Promise<string> {
    const response = await instance.inject({
      method: 'GET',
      url: '/test/client-ip',
      remoteAddress: PROXY_ADDRESS,
      headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    });
    expect(response.statusCode).toBe(200);
    return (response.json<{ ip: string }>()).ip;
  }

  it('ignores X-Forwarded-For by default: a client cannot choose its address', async () => {
    const instance = await appWith({ trustProxy: false });
    expect(await clientIp(instance, CLAIMED_ADDRESS)).toBe(PROXY_ADDRESS);
    expect(await clientIp(instance, undefined)).toBe(PROXY_ADDRESS);
  });

  it('takes the address seen by the one trusted proxy with TRUST_PROXY=1', async () => {
    const instance = await appWith({ trustProxy: 1 });
    expect(await clientIp(instance, CLAIMED_ADDRESS)).toBe(CLAIMED_ADDRESS);
    // a forged entry in front is not believed: only the last hop was written by the proxy
    expect(await clientIp(instance, `198.51.100.1, ${CLAIMED_ADDRESS}`)).toBe(CLAIMED_ADDRESS);
    await instance.close();
    // two proxies: the second one's entry (the first proxy's peer) is the client
    const twoHops = await appWith({ trustProxy: 2 });
    expect(await clientIp(twoHops, `198.51.100.1, ${CLAIMED_ADDRESS}, 10.0.0.4`)).toBe(CLAIMED_ADDRESS);
  });

  it('honours X-Forwarded-For only from a proxy inside the trusted networks', async () => {
    const trusted = await appWith({ trustProxy: ['10.0.0.0/24', 'fd00::/8'] });
    expect(await clientIp(trusted, CLAIMED_ADDRESS)).toBe(CLAIMED_ADDRESS);
    await trusted.close();
    const other = await appWith({ trustProxy: ['192.168.0.0/16'] });
    expect(await clientIp(other, CLAIMED_ADDRESS)).toBe(PROXY_ADDRESS);
  });

  it('behind https, sets the Secure session cookie only when the TLS proxy is trusted (why production requires TRUST_PROXY)', async () => {
    const request = {
      method: 'GET' as const,
      url: '/connexion',
      remoteAddress: PROXY_ADDRESS,
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': CLAIMED_ADDRESS },
    };
    const trusted = await appWith({ baseUrl: 'https://rdv.example.fr', trustProxy: ['10.0.0.0/24'] });
    const withCookie = await trusted.inject(request);
    expect(withCookie.statusCode).toBe(200);
    expect(String(withCookie.headers['set-cookie'])).toMatch(/; Secure/);
    await trusted.close();
    const untrusted = await appWith({ baseUrl: 'https://rdv.example.fr', trustProxy: false });
    const withoutCookie = await untrusted.inject(request);
    expect(withoutCookie.statusCode).toBe(200);
    expect(withoutCookie.headers['set-cookie']).toBeUndefined();
  });

  it('serves /dev/outbox only when DEV_OUTBOX is on', async () => {
    const withOutbox = await appWith({ devOutbox: true });
    expect((await withOutbox.inject({ method: 'GET', url: '/dev/outbox' })).statusCode).toBe(200);
    await withOutbox.close();
    const withoutOutbox = await appWith({ devOutbox: false });
    expect((await withoutOutbox.inject({ method: 'GET', url: '/dev/outbox' })).statusCode).toBe(404);
  });
});
