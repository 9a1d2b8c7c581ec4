import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { NotFoundError } from '../http/errors.js';
import type { ZodApp } from '../http/schemas.js';
import { renderDocument } from '../views/jsx.js';
import { findOutboxEmail, listOutboxEmails } from './dev-outbox.repository.js';
import { DevOutboxListPage, DevOutboxMessagePage } from './views/dev-outbox-pages.js';

// Schema-first (ADR 12): a malformed id in the path answers 404 like an unknown one.
const index = z.string().regex(/^[0-9]{1,15}$/).transform(Number);
const messageParams = z.object({ id: index });
const attachmentParams = z.object({ id: index, index });

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
export function registerDevOutboxRoutes(fastify: FastifyInstance, context: AppContext): boolean {
  if (context.config.nodeEnv === 'production') return false;
  const app = fastify as ZodApp;

  app.get('/dev/outbox', async (_request, reply) => {
    const emails = await listOutboxEmails(context.db);
    return privatePage(reply).type('text/html; charset=utf-8').send(renderDocument(DevOutboxListPage({ emails })));
  });

  app.get('/dev/outbox/:id', { schema: { params: messageParams } }, async (request, reply) => {
    const email = await findOutboxEmail(context.db, request.params.id);
    if (email === undefined) throw new NotFoundError();
    return privatePage(reply).type('text/html; charset=utf-8').send(renderDocument(DevOutboxMessagePage({ email })));
  });

  app.get('/dev/outbox/:id/attachments/:index', { schema: { params: attachmentParams } }, async (request, reply) => {
    const email = await findOutboxEmail(context.db, request.params.id);
    const attachment = email?.attachments[request.params.index];
    if (attachment === undefined) throw new NotFoundError();
    return privatePage(reply)
      .type(attachment.contentType)
      .header('content-disposition', `attachment; filename="${safeFilename(attachment.filename)}"`)
      .send(Buffer.from(attachment.contentBase64, 'base64'));
  });

  return true;
}
