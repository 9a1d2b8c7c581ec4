// Expected outcomes of use cases are data (`{ ok: false, reason }`), never exceptions: the routes
// map each reason to an HTTP answer and a French message. Exceptions are left for the unexpected.

/** A refusal with its reason. */
export interface Refusal<Reason extends string> {
  readonly ok: false;
  readonly reason: Reason;
}

/** Builds a refusal. */
export function refuse<Reason extends string>(reason: Reason): Refusal<Reason> {
  return { ok: false, reason };
}
