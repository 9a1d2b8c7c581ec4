// The delivery-report webhook of SMS providers (issue 9 part 4):
//
//   POST /notifications/sms/accuses/:token   JSON, form-urlencoded or raw text (SMS Factor, Brevo)
//   GET  /notifications/sms/accuses/:token   query string (SMS Factor may call this way)
//
// Machine to machine: no session, no CSRF; the random token in the path authenticates the
// territory (reports.ts keeps only its hash). The route logs at `warn` only, so the token never
// reaches a request line. Whatever the body holds, the answer is 200 « OK » for a known token
// (the provider must not retry forever), 404 for an unknown or malformed one, 400/413 for bodies
// Fastify cannot read; never 500 for bad input. Each report becomes a receipt once (reports.ts).
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context.js';
import type { ZodApp } from '../../../platform/http/schemas.js';
import { findReportTarget, parseDeliveryReport, recordDeliveryReports } from '../../notifications/index.js';

export const DELIVERY_REPORTS_PATH = '/notifications/sms/accuses/:token';

/** Providers send one report, or a small batch, per request. */
export const DELIVERY_REPORT_BODY_LIMIT = 65_536;

/** The token's own shape is checked by `findReportTarget`; here only a bound. */
const reportParams = z.object({ token: z.string().max(200) });

/** SMS Factor's GET carries the report's fields; anything else is ignored by the parser. */
const reportQuery = z.record(z.string().max(100), z.union([z.string().max(1000), z.array(z.string().max(1000)).max(20)]));

const UNKNOWN_TOKEN_TEXT = 'Adresse d’accusés de réception inconnue.';

function headersOf(request: FastifyRequest): Record<string, string | string[] | undefined> {
  return { ...request.headers };
}

/** Registers the webhook; `app` is an encapsulated context (it gets a catch-all body parser). */
export function registerDeliveryReportRoutes(app: ZodApp, context: AppContext): void {
  // Bodies of other content types (text/plain, none at all) reach the parser as text, which
  // reads JSON from it or ignores it: a provider's odd header must not cost a report.
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: DELIVERY_REPORT_BODY_LIMIT }, (_request, body, done) => {
    done(null, body);
  });

  const handle = async (token: string, request: FastifyRequest, method: 'GET' | 'POST'): Promise<{ status: number; text: string }> => {
    const target = await findReportTarget(context.db, token);
    if (target === undefined) return { status: 404, text: UNKNOWN_TOKEN_TEXT };
    const query = typeof request.query === 'object' && request.query !== null ? (request.query as Record<string, unknown>) : {};
    const incoming = { method, query, body: request.body, headers: headersOf(request) };
    const now = context.now();
    for (const provider of target.providers) {
      const reports = parseDeliveryReport(provider, incoming);
      if (reports.length === 0) continue;
      await recordDeliveryReports(context.db, { territoryId: target.territoryId, provider, reports, now });
    }
    return { status: 200, text: 'OK' };
  };

  const options = {
    logLevel: 'warn' as const,
    bodyLimit: DELIVERY_REPORT_BODY_LIMIT,
    config: { csrf: false, cacheControl: 'no-store' },
    schema: { params: reportParams, querystring: reportQuery },
  };

  app.post(DELIVERY_REPORTS_PATH, options, async (request, reply) => {
    const answer = await handle(request.params.token, request, 'POST');
    return reply.code(answer.status).type('text/plain; charset=utf-8').send(answer.text);
  });

  app.get(DELIVERY_REPORTS_PATH, options, async (request, reply) => {
    const answer = await handle(request.params.token, request, 'GET');
    return reply.code(answer.status).type('text/plain; charset=utf-8').send(answer.text);
  });
}
