import type { FastifyReply } from 'fastify';
import { renderDocument, type Html } from './jsx.js';

/**
 * Sends a rendered page. `private` pages show personal data: `Cache-Control: no-store` keeps them
 * out of a shared computer's cache.
 */
export function sendPage(reply: FastifyReply, page: Html, options: { statusCode?: number; private?: boolean } = {}): FastifyReply {
  if (options.private === true) reply.header('cache-control', 'no-store');
  return reply.status(options.statusCode ?? 200).type('text/html; charset=utf-8').send(renderDocument(page));
}
