// Use cases of the territory administration (ADR 0030). Each change runs in one transaction with
// its audit_log row; a refusal is data ({ ok: false, reason }) the routes turn into a 422 page.
import type { Kysely } from 'kysely';
import type { AccessLevel, Database, UserField, UsersSearchScope } from '../../platform/db/schema.js';
import type { AgentPrincipal } from '../agents/index.js';
import { decideRevocation, type RevocationDecision } from './domain/territorial-roles.js';
import type { ClosureForm, CategoryForm, OrganisationForm } from './domain/territory-forms.js';
import {
  activeMotifsUsing,
  deleteClosure,
  disableToggleable,
  enableToggleable,
  findOrganisation,
  findTerritoryAgent,
  grantTerritorialAdmin,
  insertCategory,
  insertClosure,
  insertOrganisation,
  insertRole,
  insertTerritoryAudit,
  lockTerritory,
  organisationConflicts,
  revokeTerritorialAdmin,
  categoryCodeTaken,
  territorialAdminIds,
  updateDirectorySettings,
  updateHolidayRegion,
  updateOrganisation,
  findTerritory,
  type ToggleableKind,
} from './territory-admin.repository.js';

type Db = Kysely<Database>;

export type SaveOrganisationResult = { readonly ok: true; readonly organisationId: number } | { readonly ok: false; readonly errors: Record<string, string> } | { readonly ok: false; readonly reason: 'NOT_FOUND' };

const SLUG_TAKEN = 'Cet identifiant de lien public est déjà celui d’une autre organisation : choisissez-en un autre.';
const EXTERNAL_ID_TAKEN = 'Cet identifiant externe est déjà celui d’une autre organisation du territoire.';

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

/** Creates (organisationId null) or updates an organisation of the territory; a taken slug or external id is a field error. */
export async function saveOrganisation(db: Db, request: { principal: AgentPrincipal; territoryId: number; organisationId: number | null; form: OrganisationForm }): Promise<SaveOrganisationResult> {
  const { territoryId, organisationId, form } = request;
  try {
    return await db.transaction().execute(async (trx): Promise<SaveOrganisationResult> => {
      const conflicts = await organisationConflicts(trx, { territoryId, slug: form.slug, externalId: form.externalId, exceptId: organisationId });
      if (conflicts.slug || conflicts.externalId) return { ok: false, errors: { ...(conflicts.slug ? { slug: SLUG_TAKEN } : {}), ...(conflicts.externalId ? { identifiantExterne: EXTERNAL_ID_TAKEN } : {}) } };
      if (organisationId === null) {
        const id = await insertOrganisation(trx, territoryId, form);
        await insertTerritoryAudit(trx, { actorAgentId: request.principal.agentId, action: 'create', subjectType: 'organisation', subjectId: id, territoryId, details: { slug: form.slug, timeZone: form.timeZone } });
        return { ok: true, organisationId: id };
      }
      const before = await findOrganisation(trx, territoryId, organisationId);
      if (before === undefined || !(await updateOrganisation(trx, territoryId, organisationId, form))) return { ok: false, reason: 'NOT_FOUND' };
      const changed = (['name', 'slug', 'phoneNumber', 'email', 'website', 'externalId', 'timeZone'] as const).filter((field) => before[field] !== form[field]);
      await insertTerritoryAudit(trx, { actorAgentId: request.principal.agentId, action: 'update', subjectType: 'organisation', subjectId: organisationId, territoryId, details: { fields: changed } });
      return { ok: true, organisationId };
    });
  } catch (error) {
    // Two admins choosing the same slug at once: the constraint decides, the second gets the field error.
    if (isUniqueViolation(error)) {
      const constraint = typeof error === 'object' && error !== null && 'constraint' in error ? String(error.constraint) : '';
      return { ok: false, errors: constraint.includes('external') ? { identifiantExterne: EXTERNAL_ID_TAKEN } : { slug: SLUG_TAKEN } };
    }
    throw error;
  }
}

export type TerritorialRoleResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'NOT_FOUND' | 'ALREADY_ADMIN' | Exclude<RevocationDecision, { ok: true }>['reason'] };

/** Makes an agent of the territory a territorial admin. */
export async function grantTerritorialRole(db: Db, request: { principal: AgentPrincipal; territoryId: number; agentId: number }): Promise<TerritorialRoleResult> {
  return db.transaction().execute(async (trx): Promise<TerritorialRoleResult> => {
    await lockTerritory(trx, request.territoryId);
    const agent = await findTerritoryAgent(trx, request.territoryId, request.agentId);
    if (agent === undefined) return { ok: false, reason: 'NOT_FOUND' };
    if (!(await grantTerritorialAdmin(trx, request.territoryId, request.agentId))) return { ok: false, reason: 'ALREADY_ADMIN' };
    await insertTerritoryAudit(trx, { actorAgentId: request.principal.agentId, action: 'create', subjectType: 'agent_territorial_role', subjectId: request.agentId, territoryId: request.territoryId, details: { event: 'grant' } });
    return { ok: true };
  });
}

/** Removes a territorial admin role: never the last one; one's own only when confirmed. The territory's row is locked, so two admins removing each other cannot leave none. */
export async function revokeTerritorialRole(db: Db, request: { principal: AgentPrincipal; territoryId: number; agentId: number; confirmed: boolean }): Promise<TerritorialRoleResult> {
  return db.transaction().execute(async (trx): Promise<TerritorialRoleResult> => {
    await lockTerritory(trx, request.territoryId);
    const agent = await findTerritoryAgent(trx, request.territoryId, request.agentId);
    if (agent === undefined) return { ok: false, reason: 'NOT_FOUND' };
    const decision = decideRevocation({ actorId: request.principal.agentId, targetId: request.agentId, adminIds: await territorialAdminIds(trx, request.territoryId), confirmed: request.confirmed });
    if (!decision.ok) return decision;
    await revokeTerritorialAdmin(trx, request.territoryId, request.agentId);
    await insertTerritoryAudit(trx, { actorAgentId: request.principal.agentId, action: 'delete', subjectType: 'agent_territorial_role', subjectId: request.agentId, territoryId: request.territoryId, details: { event: 'revoke', self: request.agentId === request.principal.agentId } });
    return { ok: true };
  });
}

export type AddRoleResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'NOT_FOUND' | 'ALREADY_MEMBER' };

/** Adds an agent of the territory to another organisation of the territory with an access level. */
export async function addAgentToOrganisation(db: Db, request: { principal: AgentPrincipal; territoryId: number; agentId: number; organisationId: number; accessLevel: AccessLevel }): Promise<AddRoleResult> {
  return db.transaction().execute(async (trx): Promise<AddRoleResult> => {
    const [agent, organisation] = await Promise.all([findTerritoryAgent(trx, request.territoryId, request.agentId), findOrganisation(trx, request.territoryId, request.organisationId)]);
    if (agent === undefined || organisation === undefined) return { ok: false, reason: 'NOT_FOUND' };
    if (!(await insertRole(trx, { agentId: request.agentId, organisationId: request.organisationId, accessLevel: request.accessLevel }))) return { ok: false, reason: 'ALREADY_MEMBER' };
    await insertTerritoryAudit(trx, {
      actorAgentId: request.principal.agentId,
      action: 'create',
      subjectType: 'agent_role',
      subjectId: request.agentId,
      territoryId: request.territoryId,
      details: { organisationId: request.organisationId, accessLevel: request.accessLevel },
    });
    return { ok: true };
  });
}

export type ToggleResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'IN_USE'; readonly motifs: readonly { id: number; name: string; organisationName: string }[] };

/** The audit subject of enabling or disabling each kind (the link table's name). */
const TOGGLE_AUDIT_SUBJECTS: Readonly<Record<ToggleableKind, string>> = { service: 'territory_service', category: 'territory_motif_category' };

/** Enables or disables a service or a motif category in the territory; disabling is refused while active motifs of the territory use it (listed). */
export async function setToggleableEnabled(db: Db, request: { principal: AgentPrincipal; territoryId: number; kind: ToggleableKind; id: number; enabled: boolean }): Promise<ToggleResult> {
  return db.transaction().execute(async (trx): Promise<ToggleResult> => {
    await lockTerritory(trx, request.territoryId);
    if (!request.enabled) {
      const motifs = await activeMotifsUsing(trx, request.territoryId, request.kind, request.id);
      if (motifs.length > 0) return { ok: false, reason: 'IN_USE', motifs };
    }
    const changed = request.enabled ? await enableToggleable(trx, request.territoryId, request.kind, request.id) : await disableToggleable(trx, request.territoryId, request.kind, request.id);
    if (changed) {
      await insertTerritoryAudit(trx, {
        actorAgentId: request.principal.agentId,
        action: request.enabled ? 'create' : 'delete',
        subjectType: TOGGLE_AUDIT_SUBJECTS[request.kind],
        subjectId: request.id,
        territoryId: request.territoryId,
        details: { enabled: request.enabled },
      });
    }
    return { ok: true };
  });
}

export type CreateCategoryResult = { readonly ok: true; readonly categoryId: number } | { readonly ok: false; readonly errors: Record<string, string> };

const CATEGORY_CODE_TAKEN = 'Ce code est déjà celui d’une catégorie : activez-la dans la liste, ou choisissez un autre code.';

/** Creates a (global) motif category and enables it in the territory. */
export async function createCategory(db: Db, request: { principal: AgentPrincipal; territoryId: number; form: CategoryForm }): Promise<CreateCategoryResult> {
  try {
    return await db.transaction().execute(async (trx): Promise<CreateCategoryResult> => {
      if (await categoryCodeTaken(trx, request.form.shortName)) return { ok: false, errors: { code: CATEGORY_CODE_TAKEN } };
      const categoryId = await insertCategory(trx, request.form);
      await enableToggleable(trx, request.territoryId, 'category', categoryId);
      await insertTerritoryAudit(trx, { actorAgentId: request.principal.agentId, action: 'create', subjectType: 'motif_category', subjectId: categoryId, territoryId: request.territoryId, details: { shortName: request.form.shortName } });
      return { ok: true, categoryId };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { code: CATEGORY_CODE_TAKEN } };
    throw error;
  }
}

/** Journals a change of the territory's own settings (its row in `territories`). */
async function auditTerritorySettings(db: Db, request: { principal: AgentPrincipal; territoryId: number }, details: Parameters<typeof insertTerritoryAudit>[1]['details']): Promise<void> {
  await insertTerritoryAudit(db, { actorAgentId: request.principal.agentId, action: 'update', subjectType: 'territory', subjectId: request.territoryId, territoryId: request.territoryId, details });
}

/** The optional social fields, the directory's scope and whether a reason is asked before reading a user page. */
export async function saveDirectorySettings(db: Db, request: { principal: AgentPrincipal; territoryId: number; userFields: readonly UserField[]; usersSearchScope: UsersSearchScope; readReasonRequired: boolean }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await findTerritory(trx, request.territoryId);
    await updateDirectorySettings(trx, request.territoryId, request);
    await auditTerritorySettings(trx, request, {
      event: 'directory_settings',
      userFields: [...request.userFields],
      usersSearchScope: request.usersSearchScope,
      readReasonRequired: request.readReasonRequired,
      previousUserFields: before === undefined ? [] : [...before.userFields],
    });
  });
}

export async function saveHolidayRegion(db: Db, request: { principal: AgentPrincipal; territoryId: number; holidayRegion: string | null }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await findTerritory(trx, request.territoryId);
    await updateHolidayRegion(trx, request.territoryId, request.holidayRegion);
    await auditTerritorySettings(trx, request, { event: 'holiday_region', holidayRegion: request.holidayRegion, previous: before?.holidayRegion ?? null });
  });
}

export async function addClosure(db: Db, request: { principal: AgentPrincipal; territoryId: number; form: ClosureForm }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const closureId = await insertClosure(trx, request.territoryId, request.form);
    await insertTerritoryAudit(trx, {
      actorAgentId: request.principal.agentId,
      action: 'create',
      subjectType: 'territory_closure',
      subjectId: closureId,
      territoryId: request.territoryId,
      details: { firstDay: request.form.firstDay, lastDay: request.form.lastDay },
    });
    return closureId;
  });
}

export async function removeClosure(db: Db, request: { principal: AgentPrincipal; territoryId: number; closureId: number }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const removed = await deleteClosure(trx, request.territoryId, request.closureId);
    if (removed === undefined) return false;
    await insertTerritoryAudit(trx, {
      actorAgentId: request.principal.agentId,
      action: 'delete',
      subjectType: 'territory_closure',
      subjectId: removed.id,
      territoryId: request.territoryId,
      details: { firstDay: removed.firstDay, lastDay: removed.lastDay },
    });
    return true;
  });
}
