// Errors of the exports that the one error handler turns into French pages.
import { HttpMappedError } from '../../platform/http/errors.js';

/** The file was downloadable until its expiry; it is gone (or about to be purged). */
export class ExportExpiredError extends HttpMappedError {
  override name = 'ExportExpiredError';
  readonly statusCode = 410;
  readonly publicMessage = 'Ce fichier a expiré et a été effacé. Demandez un nouvel export depuis la liste des rendez-vous.';
}

/** The file is still being written (or its production failed). */
export class ExportNotReadyError extends HttpMappedError {
  override name = 'ExportNotReadyError';
  readonly statusCode = 409;
  readonly publicMessage = 'Ce fichier n’est pas prêt. Suivez son avancement sur la page « Exports ».';
}
