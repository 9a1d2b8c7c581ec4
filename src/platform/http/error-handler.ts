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

export const NOT_FOUND_MESSAGE = 'La page demandée n’existe pas ou a été déplacée.';
const BAD_REQUEST_MESSAGE = 'La requête n’a pas pu être comprise. Vérifiez le lien ou le formulaire.';

/** Client errors raised by Fastify itself, each with a French message. */
const CLIENT_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  400: BAD_REQUEST_MESSAGE,
  404: NOT_FOUND_MESSAGE,
  405: 'Cette action n’est pas possible sur cette page.',
  413: 'Le formulaire envoyé est trop volumineux.',
  415: 'Le format des données envoyées n’est pas accepté : utilisez le formulaire de la page.',
  429: 'Trop de demandes : merci de patienter une minute avant de réessayer.',
};

/**
 * The one place where errors become responses: schema validation (400, or 404 when a path
 * parameter is malformed: ids cannot be probed), domain errors (their own status and message),
 * client errors raised by Fastify, then the rest (500, logged).
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => send(request, reply, 404, NOT_FOUND_MESSAGE));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation !== undefined) {
      // The field names only, never the values (they may hold personal data or tokens).
      request.log.info({ validationContext: error.validationContext, fields: error.validation.map((issue) => issue.instancePath) }, 'request refused by its schema');
      return error.validationContext === 'params' ? send(request, reply, 404, NOT_FOUND_MESSAGE) : send(request, reply, 400, BAD_REQUEST_MESSAGE);
    }
    if (error instanceof HttpMappedError) return send(request, reply, error.statusCode, error.publicMessage);
    const statusCode = error.statusCode ?? 500;
    if (statusCode >= 400 && statusCode < 500) return send(request, reply, statusCode, CLIENT_ERROR_MESSAGES[statusCode] ?? BAD_REQUEST_MESSAGE);
    request.log.error({ err: error }, 'unhandled error');
    return send(request, reply, 500, 'Une erreur inattendue est survenue. L’équipe technique a été prévenue ; merci de réessayer plus tard.');
  });
}
