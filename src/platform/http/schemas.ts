/**
 * Schema-first routes (ADR 0012). Every route declares its params, query and body as zod schemas
 * in a `*.schemas.ts` file beside it; Fastify validates them before the handler runs, through
 * fastify-type-provider-zod, which also types `request.params`, `request.query` and
 * `request.body`. A request that does not match its schema never reaches the handler: the error
 * handler answers 400 (404 for params, so ids cannot be probed).
 *
 * Two layers, on purpose:
 * - the **route schema** is structural: one string per field (a repeated field arrives as an
 *   array and is refused), bounded lengths, exact formats for hidden fields and ids;
 * - the **form rules** (what a person typed: a name, an address, a date) are checked by the
 *   module's pure validators, which answer 422 with French field messages and the input kept.
 */
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

export type { FastifyPluginAsyncZod, FastifyPluginCallbackZod, ZodTypeProvider } from 'fastify-type-provider-zod';

/** The app as modules see it: route schemas are zod schemas. */
export type ZodApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** Installs the zod validator and serializer on the root instance (inherited by every plugin). */
export function registerSchemaCompilers(app: FastifyInstance): void {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
}

/**
 * Upper bound of any typed field at the structural layer. The field's own rule (e.g. 200
 * characters for an address) answers 422 with a French message below it; beyond it the request
 * is not a form anyone typed, and gets 400.
 */
export const MAX_TYPED_FIELD_LENGTH = 10_000;

/** A field a person types: any string up to the structural bound (its rules come later, 422). */
export const typedField = z.string().max(MAX_TYPED_FIELD_LENGTH);

/** An optional typed field. */
export const optionalTypedField = typedField.optional();

/** A return address as received; `safeReturnTo` decides whether it is used. */
export const returnAddressField = z.string().max(2048).optional();

/** A checkbox: present ("on" or any value) or absent. */
export const checkboxField = z.string().max(20).optional();

/** Idempotency keys of forms: 16–128 characters of [A-Za-z0-9_.:-] (a UUID in practice). */
export const idempotencyKeyField = z.string().regex(/^[A-Za-z0-9_.:-]{16,128}$/);

/** A token from an e-mail or SMS link: base64url, bounded. Its validity is the use case's call. */
export const linkTokenField = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);

/** A positive integer id given as text (form field, path segment, query). */
export const integerIdField = z
  .string()
  .regex(/^[1-9]\d{0,9}$/)
  .transform(Number)
  .pipe(z.number().int().max(2_147_483_647));

/** A calendar date `YYYY-MM-DD` (existence is checked by the rules that use it). */
export const isoDateField = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** An instant as the forms send it (ISO 8601 with offset or Z). */
export const isoInstantField = z.string().max(40).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/);

/** Public ids of appointments: 32 lowercase hex digits (a UUID without dashes). */
export const publicIdField = z.string().regex(/^[0-9a-f]{32}$/);
