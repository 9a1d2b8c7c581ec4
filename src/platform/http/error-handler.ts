import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorPage } from '../views/error-page.js';
import { renderDocument } from '../views/jsx.js';
import { HttpMappedError } from './errors.js';

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url === '/health' || (request.headers.accept ?? '').startsWith('application/json');
}

function send(request: FastifyRequest, reply: FastifyReply, statusCode: number, message: string): FastifyReply {
  reply.status(statusCode);
  if (wantsJson(request)) return reply.send({ error: message, statusCode });
  return reply.type('text/html; charset=utf-8').send(renderDocument(ErrorPage({ statusCode, message })));
}

/** The one place where errors become responses: domain errors, client errors, then the rest. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    send(request, reply, 404, 'La page demandée n’existe pas ou a été déplacée.'),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpMappedError) return send(request, reply, error.statusCode, error.publicMessage);
    const statusCode = error.statusCode ?? 500;
    if (statusCode === 429) return send(request, reply, 429, 'Trop de demandes : merci de patienter une minute avant de réessayer.');
    if (statusCode >= 400 && statusCode < 500) {
      return send(request, reply, statusCode, 'La requête n’a pas pu être comprise. Vérifiez le lien ou le formulaire.');
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(request, reply, 500, 'Une erreur inattendue est survenue. L’équipe technique a été prévenue ; merci de réessayer plus tard.');
  });
}
