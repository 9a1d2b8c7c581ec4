// The back office's use cases (ADR 0032). Each owns its transaction and its audit entries:
// - the second factor: enrolment (a secret encrypted at rest, shown until its first code) and
//   codes (±1 step, a time step used once, failures counted like sign-in failures);
// - a territory created in one form: territory, first organisation, first place, first
//   territorial admin invited, and the invitation e-mail stored — all in one transaction;
// - territorial admins: add (existing agent, or invitation), remove (the last one only when confirmed);
// - « se connecter en tant que »: started with a reason for a limited time (audit `impersonate`);
// - the background jobs' overview (pg-boss queues and failures, failed notifications and exports).
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { insertAuditEntry } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/schema.js';
import type { MailMessage } from '../../platform/mailer/index.js';
import { claimSignInAttempt, clearSignInThrottle, decryptSecret, encryptSecret, throttleKey, type SecretKeyring } from '../../platform/security/index.js';
import {
  agentAddedMail,
  agentDisplayName,
  agentInvitationMail,
  agentSignInThrottleKey,
  insertAgentAuditEntry,
  insertInvitedAgent,
  issueInvitationLink,
  type AgentMail,
  type AgentPrincipal,
} from '../agents/index.js';
import { accountMailAssociatedData } from '../notifications/index.js';
import { jobErrorMessage } from './domain/job-errors.js';
import { slugOf, type TerritoryForm } from './domain/territory-form.js';
import { checkTotpCode, newTotpSecret, normaliseTotpCode, totpUri } from './domain/totp.js';
import {
  countFailures,
  findAgentByEmail,
  findAgentIdentity,
  findFirstOrganisation,
  findImpersonationTarget,
  findSecondFactor,
  findTerritory,
  grantOrganisationAdmin,
  grantTerritorialAdmin,
  hasJobTables,
  insertImpersonation,
  insertOrganisation,
  insertPendingSecondFactor,
  insertPlace,
  insertTerritory,
  listFailedJobs,
  listQueues,
  listTerritorialAdmins,
  lockTerritory,
  revokeTerritorialAdmin,
  slugsStartingWith,
  useTimeStep,
  type QueueSummary,
} from './super-admin.repository.js';

type Db = Kysely<Database>;

export interface SuperAdminServices {
  readonly db: Db;
  /** SECRETS_ENCRYPTION_KEY's keyring: TOTP secrets and stored e-mails. */
  readonly keyring: SecretKeyring;
  /** SESSION_SECRET: keys the sign-in throttles. */
  readonly sessionSecret: string;
  readonly baseUrl: string;
  /** Sends stored account e-mails now (the notifications pipeline); the worker retries failures. */
  readonly deliver: (notificationIds: readonly number[], now: Date) => Promise<void>;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

// ── Second factor ────────────────────────────────────────────────────────────────────────────

const secretAssociatedData = (agentId: number): string => `agent_second_factors.secret:${String(agentId)}`;

/** The throttle of second-factor codes: its own key, which only a right code clears (a right password does not). */
function secondFactorThrottleKey(sessionSecret: string, agentId: number): string {
  return throttleKey(sessionSecret, 'agent-second-factor', String(agentId));
}

export type EnrolmentState = { readonly enrolled: true } | { readonly enrolled: false; readonly secret: string; readonly uri: string };

/** The super admin's enrolment: done, or the secret to add to an authenticator app (created once, kept until confirmed). */
export async function prepareEnrolment(services: SuperAdminServices, request: { agentId: number; now: Date }): Promise<EnrolmentState> {
  let row = await findSecondFactor(services.db, request.agentId);
  if (row !== undefined && row.confirmedAt !== null) return { enrolled: true };
  if (row === undefined) {
    const secretEncrypted = encryptSecret(newTotpSecret(), services.keyring, secretAssociatedData(request.agentId));
    await insertPendingSecondFactor(services.db, { agentId: request.agentId, secretEncrypted, now: request.now });
    row = await findSecondFactor(services.db, request.agentId);
    if (row === undefined) throw new Error('second factor row vanished');
  }
  const identity = await findAgentIdentity(services.db, request.agentId);
  const secret = decryptSecret(row.secretEncrypted, services.keyring, secretAssociatedData(request.agentId));
  return { enrolled: false, secret, uri: totpUri(secret, identity?.email ?? `agent-${String(request.agentId)}`) };
}

export type SecondFactorResult =
  | { readonly ok: true; readonly enrolledNow: boolean }
  | { readonly ok: false; readonly reason: 'WRONG_CODE' | 'REPLAYED' | 'NOT_ENROLLED' }
  | { readonly ok: false; readonly reason: 'THROTTLED'; readonly retryAfterMs: number };

/**
 * Checks a super admin's code. Every attempt counts as a failure before the code is checked, on
 * the agent's sign-in key (the lock of the password step) and on the second factor's own key;
 * a right code clears both.
 */
export async function verifySecondFactor(services: SuperAdminServices, request: { agentId: number; code: string | undefined; now: Date }): Promise<SecondFactorResult> {
  const identity = await findAgentIdentity(services.db, request.agentId);
  const keys = [secondFactorThrottleKey(services.sessionSecret, request.agentId), ...(identity === undefined ? [] : [agentSignInThrottleKey(services.sessionSecret, identity.email)])];
  for (const keyHash of keys) {
    const decision = await claimSignInAttempt(services.db, { keyHash, now: request.now });
    if (!decision.allowed) return { ok: false, reason: 'THROTTLED', retryAfterMs: decision.retryAfterMs };
  }
  const row = await findSecondFactor(services.db, request.agentId);
  if (row === undefined || identity === undefined) return { ok: false, reason: 'NOT_ENROLLED' };
  const code = normaliseTotpCode(request.code);
  if (code === undefined) return { ok: false, reason: 'WRONG_CODE' };
  const secret = decryptSecret(row.secretEncrypted, services.keyring, secretAssociatedData(request.agentId));
  const check = checkTotpCode({ secret, code, now: request.now, lastUsedStep: row.lastUsedStep });
  if (!check.ok) return check;
  const enrolledNow = row.confirmedAt === null;
  const used = await services.db.transaction().execute(async (trx) => {
    if (!(await useTimeStep(trx, { agentId: request.agentId, timeStep: check.timeStep, now: request.now }))) return false;
    if (enrolledNow) {
      await trx
        .insertInto('audit_log')
        .values({ occurred_at: request.now, actor_type: 'agent', actor_id: request.agentId, action: 'update', subject_type: 'agent', subject_id: request.agentId, territory_id: null, details: JSON.stringify({ event: 'second_factor_enrolled' }) })
        .execute();
    }
    return true;
  });
  if (!used) return { ok: false, reason: 'REPLAYED' };
  for (const keyHash of keys) await clearSignInThrottle(services.db, keyHash);
  return { ok: true, enrolledNow };
}

// ── E-mails stored in the transaction ────────────────────────────────────────────────────────

/** Stores an account e-mail as a notification (encrypted, sent after the commit or by the worker). */
async function storeAccountMail(db: Db, keyring: SecretKeyring, request: { to: string; mail: AgentMail; kind: string; now: Date }): Promise<number> {
  const idempotencyKey = `account:${randomUUID()}`;
  const message: MailMessage = { to: request.to, subject: request.mail.subject, text: request.mail.text };
  const row = await db
    .insertInto('notifications')
    .values({
      idempotency_key: idempotencyKey,
      event: 'account',
      channel: 'mail',
      details: JSON.stringify({ kind: request.kind }),
      content_encrypted: encryptSecret(JSON.stringify(message), keyring, accountMailAssociatedData(idempotencyKey)),
      not_before: request.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

interface AdminGrant {
  readonly agentId: number;
  readonly invited: boolean;
  readonly notificationId: number;
}

/**
 * Makes `email` a territorial admin of the territory and an admin of `organisation` (so that they
 * can sign in), inviting a new agent or one who never chose a password; stores the e-mail. In the
 * caller's transaction. Undefined: the address belongs to a deleted account.
 */
async function grantFirstAdmin(
  trx: Db,
  services: SuperAdminServices,
  request: { principal: AgentPrincipal; territory: { id: number; name: string }; organisation: { id: number; name: string }; admin: { firstName: string; lastName: string; email: string }; now: Date },
): Promise<AdminGrant | undefined> {
  const existing = await findAgentByEmail(trx, request.admin.email);
  if (existing?.deleted === true) return undefined;
  const agentId = existing?.id ?? (await insertInvitedAgent(trx, request.admin));
  await grantOrganisationAdmin(trx, { agentId, organisationId: request.organisation.id });
  await grantTerritorialAdmin(trx, { agentId, territoryId: request.territory.id });
  await insertAgentAuditEntry(trx, {
    actorAgentId: request.principal.agentId,
    action: existing === undefined ? 'create' : 'update',
    agentId,
    organisationId: request.organisation.id,
    territoryId: request.territory.id,
    details: { event: 'territorial_admin_added', accessLevel: 'admin' },
  });
  const invitedBy = `${agentDisplayName(request.principal)} (Créneau)`;
  const firstName = existing?.firstName ?? request.admin.firstName;
  const to = existing?.email ?? request.admin.email;
  if (existing === undefined || !existing.hasPassword) {
    const link = await issueInvitationLink(trx, { agentId, createdByAgentId: request.principal.agentId, baseUrl: services.baseUrl, now: request.now });
    const mail = agentInvitationMail({ firstName, organisationName: request.organisation.name, invitedBy, link });
    return { agentId, invited: true, notificationId: await storeAccountMail(trx, services.keyring, { to, mail, kind: 'agent-invitation', now: request.now }) };
  }
  const mail = agentAddedMail({ firstName, organisationName: request.organisation.name, invitedBy, signInLink: `${services.baseUrl}/agents/connexion` });
  return { agentId, invited: false, notificationId: await storeAccountMail(trx, services.keyring, { to, mail, kind: 'agent-added', now: request.now }) };
}

async function deliverQuietly(services: SuperAdminServices, ids: readonly number[], now: Date): Promise<void> {
  try {
    await services.deliver(ids, now);
  } catch {
    // Stored: the worker's delivery round sends it later.
  }
}

// ── Territories ──────────────────────────────────────────────────────────────────────────────

export type CreateTerritoryResult =
  | { readonly ok: true; readonly territoryId: number; readonly adminInvited: boolean }
  | { readonly ok: false; readonly reason: 'DEPARTEMENT_TAKEN' | 'ADDRESS_UNUSABLE' };

class Refusal extends Error {
  constructor(readonly reason: 'DEPARTEMENT_TAKEN' | 'ADDRESS_UNUSABLE') {
    super(reason);
  }
}

/** A free organisation slug: the name's, else with the département, else numbered. */
async function freeSlug(db: Db, name: string, departement: string): Promise<string> {
  const base = slugOf(name);
  const taken = await slugsStartingWith(db, base);
  const candidates = [base, `${base}-${departement.toLowerCase()}`, ...Array.from({ length: 50 }, (_unused, index) => `${base}-${String(index + 2)}`)];
  return candidates.find((candidate) => !taken.has(candidate)) ?? `${base}-${randomUUID().slice(0, 8)}`;
}

/**
 * Where the first place is: the address the geocoder found in the département (its coordinates,
 * when the adapter gives them), or the address as typed without coordinates when the geocoder
 * could not be reached (the admin confirms it later under « Lieux »).
 */
export interface FirstPlaceLocation {
  readonly address: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

/**
 * The « nouveau territoire » form, in one transaction; the invitation e-mail is stored in it and
 * sent after the commit. A département that already has a territory (the route says so before
 * geocoding; two creations at once) is refused by the unique constraint.
 */
export async function createTerritory(
  services: SuperAdminServices,
  request: { principal: AgentPrincipal; form: TerritoryForm; location: FirstPlaceLocation; now: Date },
): Promise<CreateTerritoryResult> {
  const { form, location, now } = request;
  let written: { territoryId: number; grant: AdminGrant };
  try {
    written = await services.db.transaction().execute(async (trx) => {
      const territoryId = await insertTerritory(trx, { departementNumber: form.departement.code, name: form.territoryName, holidayRegion: form.holidayRegion, now });
      const slug = await freeSlug(trx, form.organisationName, form.departement.code);
      const organisationId = await insertOrganisation(trx, { territoryId, name: form.organisationName, slug, timeZone: form.departement.timeZone, now });
      const placeId = await insertPlace(trx, { organisationId, name: form.placeName, ...location, timeZone: form.departement.timeZone, now });
      await insertAuditEntry(trx, {
        actor: { type: 'agent', agentId: request.principal.agentId },
        action: 'create',
        subjectType: 'territory',
        subjectId: territoryId,
        territoryId,
        details: { event: 'territory_created', departement: form.departement.code, organisationId, placeId, placeGeocoded: location.latitude !== null },
      });
      const grant = await grantFirstAdmin(trx, services, {
        principal: request.principal,
        territory: { id: territoryId, name: form.territoryName },
        organisation: { id: organisationId, name: form.organisationName },
        admin: form.admin,
        now,
      });
      if (grant === undefined) throw new Refusal('ADDRESS_UNUSABLE');
      return { territoryId, grant };
    });
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.reason };
    // Two creations of one département at once: the second is refused like a taken number.
    if (isUniqueViolation(error)) return { ok: false, reason: 'DEPARTEMENT_TAKEN' };
    throw error;
  }
  await deliverQuietly(services, [written.grant.notificationId], now);
  return { ok: true, territoryId: written.territoryId, adminInvited: written.grant.invited };
}

// ── Territorial admins ───────────────────────────────────────────────────────────────────────

export type AddTerritorialAdminResult =
  | { readonly ok: true; readonly outcome: 'INVITED' | 'ADDED' }
  | { readonly ok: false; readonly reason: 'ALREADY_ADMIN' | 'NEEDS_NAMES' | 'ADDRESS_UNUSABLE' | 'NO_ORGANISATION' | 'UNKNOWN_TERRITORY' };

/**
 * Adds a territorial admin by e-mail: an existing agent gets the role (and an admin role in the
 * territory's first organisation, to sign in); an unknown address needs a first and last name
 * and is invited.
 */
export async function addTerritorialAdmin(
  services: SuperAdminServices,
  request: { principal: AgentPrincipal; territoryId: number; email: string; names: { firstName: string; lastName: string } | undefined; now: Date },
): Promise<AddTerritorialAdminResult> {
  const territory = await findTerritory(services.db, request.territoryId);
  if (territory === undefined) return { ok: false, reason: 'UNKNOWN_TERRITORY' };
  const organisation = await findFirstOrganisation(services.db, request.territoryId);
  if (organisation === undefined) return { ok: false, reason: 'NO_ORGANISATION' };
  const existing = await findAgentByEmail(services.db, request.email);
  if (existing?.deleted === true) return { ok: false, reason: 'ADDRESS_UNUSABLE' };
  if (existing === undefined && request.names === undefined) return { ok: false, reason: 'NEEDS_NAMES' };
  if (existing !== undefined && (await listTerritorialAdmins(services.db, request.territoryId)).some((admin) => admin.agentId === existing.id)) return { ok: false, reason: 'ALREADY_ADMIN' };
  let grant: AdminGrant | undefined;
  try {
    grant = await services.db.transaction().execute((trx) =>
      grantFirstAdmin(trx, services, {
        principal: request.principal,
        territory,
        organisation,
        admin: { email: request.email, firstName: request.names?.firstName ?? existing?.firstName ?? '', lastName: request.names?.lastName ?? existing?.lastName ?? '' },
        now: request.now,
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'ALREADY_ADMIN' };
    throw error;
  }
  if (grant === undefined) return { ok: false, reason: 'ADDRESS_UNUSABLE' };
  await deliverQuietly(services, [grant.notificationId], request.now);
  return { ok: true, outcome: grant.invited ? 'INVITED' : 'ADDED' };
}

export type RemoveTerritorialAdminResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'NOT_ADMIN' | 'LAST_ADMIN' };

/** Removes the territorial role (not the agent's organisation roles); the last admin only with `confirmedLast`. */
export async function removeTerritorialAdmin(
  services: SuperAdminServices,
  request: { principal: AgentPrincipal; territoryId: number; agentId: number; confirmedLast: boolean; now: Date },
): Promise<RemoveTerritorialAdminResult> {
  return services.db.transaction().execute(async (trx) => {
    if (!(await lockTerritory(trx, request.territoryId))) return { ok: false, reason: 'NOT_ADMIN' } as const;
    const admins = await listTerritorialAdmins(trx, request.territoryId);
    if (!admins.some((admin) => admin.agentId === request.agentId)) return { ok: false, reason: 'NOT_ADMIN' } as const;
    if (admins.length === 1 && !request.confirmedLast) return { ok: false, reason: 'LAST_ADMIN' } as const;
    await revokeTerritorialAdmin(trx, { agentId: request.agentId, territoryId: request.territoryId });
    await trx
      .insertInto('audit_log')
      .values({
        occurred_at: request.now,
        actor_type: 'agent',
        actor_id: request.principal.agentId,
        action: 'update',
        subject_type: 'agent',
        subject_id: request.agentId,
        territory_id: request.territoryId,
        details: JSON.stringify({ event: 'territorial_admin_removed', wasLast: admins.length === 1 }),
      })
      .execute();
    return { ok: true } as const;
  });
}

// ── Impersonation ────────────────────────────────────────────────────────────────────────────

export type StartImpersonationResult =
  | { readonly ok: true; readonly impersonationId: number; readonly expiresAt: Date }
  | { readonly ok: false; readonly reason: 'UNKNOWN_AGENT' | 'SUPER_ADMIN' | 'CANNOT_SIGN_IN' };

/** Starts « se connecter en tant que » (the caller checked the principal acts as a super admin, reason checked). */
export async function startImpersonation(
  db: Db,
  request: { principal: AgentPrincipal; agentId: number; reason: string; now: Date; minutes: number },
): Promise<StartImpersonationResult> {
  const target = await findImpersonationTarget(db, request.agentId);
  if (target === undefined || target.id === request.principal.agentId) return { ok: false, reason: 'UNKNOWN_AGENT' };
  if (target.isSuperAdmin) return { ok: false, reason: 'SUPER_ADMIN' };
  if (!target.maySignIn) return { ok: false, reason: 'CANNOT_SIGN_IN' };
  const expiresAt = new Date(request.now.getTime() + request.minutes * 60_000);
  const impersonationId = await db.transaction().execute(async (trx) => {
    const id = await insertImpersonation(trx, { superAdminAgentId: request.principal.agentId, agentId: target.id, reason: request.reason, now: request.now, expiresAt });
    await trx
      .insertInto('audit_log')
      .values({
        occurred_at: request.now,
        actor_type: 'agent',
        actor_id: request.principal.agentId,
        action: 'impersonate',
        subject_type: 'agent',
        subject_id: target.id,
        territory_id: null,
        details: JSON.stringify({ event: 'start', impersonationId: id, expiresAt: expiresAt.toISOString() }),
      })
      .execute();
    return id;
  });
  return { ok: true, impersonationId, expiresAt };
}

// ── Background jobs ──────────────────────────────────────────────────────────────────────────

export interface JobsOverview {
  /** False when pg-boss never started on this database (no queue yet). */
  readonly available: boolean;
  readonly queues: readonly QueueSummary[];
  readonly failedJobs: readonly { readonly id: string; readonly name: string; readonly failedAt: Date | null; readonly retryCount: number; readonly error: string; readonly archived: boolean }[];
  readonly failedNotifications: number;
  readonly failedExports: number;
}

export async function jobsOverview(db: Db): Promise<JobsOverview> {
  const failures = await countFailures(db);
  if (!(await hasJobTables(db))) return { available: false, queues: [], failedJobs: [], failedNotifications: failures.notifications, failedExports: failures.exports };
  const [queues, failed] = await Promise.all([listQueues(db), listFailedJobs(db)]);
  return {
    available: true,
    queues,
    failedJobs: failed.map((job) => ({ id: job.id, name: job.name, failedAt: job.failedAt, retryCount: job.retryCount, error: jobErrorMessage(job.output), archived: job.archived })),
    failedNotifications: failures.notifications,
    failedExports: failures.exports,
  };
}
