/** Why the geocoding service could not answer; never carries the query (personal data). */
export type GeocoderUnavailableReason = 'TIMEOUT' | 'RATE_LIMITED' | 'HTTP_ERROR' | 'NETWORK_ERROR' | 'INVALID_RESPONSE';

/**
 * The geocoding service did not answer usefully. The booking funnel catches it and offers to search
 * again or to pick a commune; the message names the reason and the HTTP status only, never the
 * address or the URL (which contains it).
 */
export class GeocoderUnavailableError extends Error {
  override name = 'GeocoderUnavailableError';
  readonly reason: GeocoderUnavailableReason;
  readonly status: number | undefined;

  constructor(reason: GeocoderUnavailableReason, status?: number) {
    super(`Service de géocodage indisponible (${reason}${status === undefined ? '' : `, HTTP ${status}`})`);
    this.reason = reason;
    this.status = status;
  }
}
