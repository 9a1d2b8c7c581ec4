import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';
import { NotFoundError } from '../http/errors.js';
import { renderDocument } from '../views/jsx.js';
import { findOutboxEmail, listOutboxEmails } from './dev-outbox.repository.js';
import { DevOutboxListPage, DevOutboxMessagePage } from './views/dev-outbox-pages.js';

const NUMERIC_ID = /^[0-9]{1,15}$/;

function parseIndex(value: string): number {
  if (!NUMERIC_ID.test(value)) throw new NotFoundError();
  return Number(value);
}

function privatePage(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow');
}

/** Keeps a download name to plain characters so it cannot break the Content-Disposition header. */
function safeFilename(filename: string): string {
  const cleaned = filename.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return cleaned === '' ? 'piece-jointe' : cleaned;
}

/**
 * `/dev/outbox`, `/dev/outbox/:id` and `/dev/outbox/:id/attachments/:index`: the development
 * mailer's messages. Registers nothing in production and returns whether it registered.
 */
export function registerDevOutboxRoutes(app: FastifyInstance, context: AppContext): boolean {
  if (context.config.nodeEnv === 'production') return false;

  app.get('/dev/outbox', async (_request, reply) => {
    const emails = await listOutboxEmails(context.db);
    return privatePage(reply).type('text/html; charset=utf-8').send(renderDocument(DevOutboxListPage({ emails })));
  });

  app.get<{ Params: { id: string } }>('/dev/outbox/:id', async (request, reply) => {
    const email = await findOutboxEmail(context.db, parseIndex(request.params.id));
    if (email === undefined) throw new NotFoundError();
    return privatePage(reply).type('text/html; charset=utf-8').send(renderDocument(DevOutboxMessagePage({ email })));
  });

  app.get<{ Params: { id: string; index: string } }>('/dev/outbox/:id/attachments/:index', async (request, reply) => {
    const email = await findOutboxEmail(context.db, parseIndex(request.params.id));
    const attachment = email?.attachments[parseIndex(request.params.index)];
    if (attachment === undefined) throw new NotFoundError();
    return privatePage(reply)
      .type(attachment.contentType)
      .header('content-disposition', `attachment; filename="${safeFilename(attachment.filename)}"`)
      .send(Buffer.from(attachment.contentBase64, 'base64'));
  });

  return true;
}
