import type { TrustProxy } from '../../config.js';

/** Fastify's `trustProxy` option for a TRUST_PROXY setting. */
export type TrustProxyOption = false | string[] | ((address: string, hop: number) => boolean);

/**
 * Translates TRUST_PROXY into Fastify's `trustProxy`. Fastify 5.12 ignores a bare number (it
 * cannot check that the nearest peer is a proxy, so a client reaching the app directly could
 * forge X-Forwarded-For); a hop count is therefore given as a trust function, trusting the
 * socket and the `hops - 1` entries the proxies appended. It is only safe when the app cannot be
 * reached except through those proxies (listening on a private network); a list of addresses
 * or networks is checked against the actual peers and is the better choice whenever it is known.
 */
export function trustProxyOption(setting: TrustProxy): TrustProxyOption {
  if (typeof setting !== 'number') return setting;
  const hops = setting;
  return (_address, hop) => hop < hops;
}
