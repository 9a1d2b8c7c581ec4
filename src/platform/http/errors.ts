/**
 * Domain errors that the single error handler (http/error-handler.ts) maps to HTTP. Use cases
 * throw these; routes never build error responses by hand.
 */
export abstract class HttpMappedError extends Error {
  abstract readonly statusCode: number;
  /** French text shown to the person. */
  abstract readonly publicMessage: string;
}

export class NotFoundError extends HttpMappedError {
  override name = 'NotFoundError';
  readonly statusCode = 404;
  readonly publicMessage = 'La page demandée n’existe pas ou a été déplacée.';
}

export class ForbiddenError extends HttpMappedError {
  override name = 'ForbiddenError';
  readonly statusCode = 403;
  readonly publicMessage: string;
  constructor(publicMessage = 'Vous n’avez pas accès à cette page, ou le lien a expiré.') {
    super(publicMessage);
    this.publicMessage = publicMessage;
  }
}
