import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerErrorHandling } from './error-handler.js';
import { idempotencyKeyField, integerIdField, registerSchemaCompilers, typedField, type ZodApp } from './schemas.js';

describe('schema-first routes', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify({ logger: false });
    registerSchemaCompilers(app);
    await app.register(formbody);
    registerErrorHandling(app);
    const zodApp = app as unknown as ZodApp;
    zodApp.post(
      '/things/:id',
      {
        schema: {
          params: z.object({ id: integerIdField }),
          querystring: z.object({ q: z.string().max(20).optional() }),
          body: z.object({ name: typedField, key: idempotencyKeyField }),
        },
      },
      (request) => ({ id: request.params.id, name: request.body.name }),
    );
    await app.ready();
  });
  afterAll(async () => app.close());

  const form = (body: string, url = '/things/12') =>
    app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, payload: body });

  it('hands the handler typed, parsed values', async () => {
    const response = await form('name=Ana%C3%AFs&key=0123456789abcdef01');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: 12, name: 'Anaïs' });
  });

  it('refuses a repeated field with 400, not 500', async () => {
    const response = await form('name=a&name=b&key=0123456789abcdef01');
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: string }>().error).toMatch(/n’a pas pu être comprise/);
  });

  it('refuses a repeated query parameter with 400', async () => {
    const response = await form('name=a&key=0123456789abcdef01', '/things/12?q=a&q=b');
    expect(response.statusCode).toBe(400);
  });

  it('refuses a 300-character idempotency key with 400', async () => {
    expect((await form(`name=a&key=${'k'.repeat(300)}`)).statusCode).toBe(400);
  });

  it('refuses a field beyond the structural bound with 400', async () => {
    expect((await form(`name=${'a'.repeat(10_001)}&key=0123456789abcdef01`)).statusCode).toBe(400);
  });

  it('refuses JSON where a string is expected with 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things/12',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      payload: JSON.stringify({ name: { $ne: '' }, key: ['0123456789abcdef01'] }),
    });
    expect(response.statusCode).toBe(400);
  });

  it('answers 404 to a malformed path id, so ids cannot be probed', async () => {
    for (const id of ['abc', '0', '-1', '99999999999', '1e3']) {
      expect((await form('name=a&key=0123456789abcdef01', `/things/${id}`)).statusCode).toBe(404);
    }
  });

  it('answers 415 with a French message to an unknown content type', async () => {
    const response = await app.inject({ method: 'POST', url: '/things/12', headers: { 'content-type': 'text/xml', accept: 'application/json' }, payload: '<a/>' });
    expect(response.statusCode).toBe(415);
    expect(response.json<{ error: string }>().error).toMatch(/format des données/);
  });
});
