// SQL of the territory administration (ADR 0030). Every query names the territory in its WHERE
// clause: an id of another territory finds nothing, and the routes answer 404.
import { sql, type Kysely } from 'kysely';
import type { AccessLevel, Database, UserField, UsersSearchScope } from '../../platform/db/schema.js';
import type { OrganisationForm } from './domain/territory-forms.js';

type Db = Kysely<Database>;

export interface TerritoryRecord {
  readonly id: number;
  readonly departementNumber: string;
  readonly name: string;
  readonly holidayRegion: string | null;
  readonly usersSearchScope: UsersSearchScope;
  readonly readReasonRequired: boolean;
  readonly userFields: readonly UserField[];
}

export async function findTerritory(db: Db, territoryId: number): Promise<TerritoryRecord | undefined> {
  const row = await db
    .selectFrom('territories')
    .select(['id', 'departement_number', 'name', 'holiday_region', 'users_search_scope', 'read_reason_required', 'user_fields'])
    .where('id', '=', territoryId)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        id: row.id,
        departementNumber: row.departement_number,
        name: row.name,
        holidayRegion: row.holiday_region,
        usersSearchScope: row.users_search_scope,
        readReasonRequired: row.read_reason_required,
        userFields: row.user_fields,
      };
}

/** Locks the territory's row: changes of its admins are serialised (the last-admin rule). */
export async function lockTerritory(db: Db, territoryId: number): Promise<void> {
  await db.selectFrom('territories').select('id').where('id', '=', territoryId).forUpdate().execute();
}

/** Journals a change of the territory administration (ids and settings only, never personal data). */
export async function insertTerritoryAudit(
  db: Db,
  entry: { actorAgentId: number; action: 'create' | 'update' | 'delete'; subjectType: string; subjectId: number; territoryId: number; details: Record<string, string | number | boolean | null | readonly string[]> },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_type: 'agent',
      actor_id: entry.actorAgentId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      territory_id: entry.territoryId,
      details: JSON.stringify(entry.details),
    })
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Organisations
// ---------------------------------------------------------------------------------------------

export interface OrganisationSummary {
  readonly id: number;
  readonly name: string;
  readonly slug: string;
  readonly agents: number;
  readonly places: number;
  readonly motifs: number;
}

export async function listOrganisations(db: Db, territoryId: number): Promise<OrganisationSummary[]> {
  const rows = await db
    .selectFrom('organisations as o')
    .select((eb) => [
      'o.id',
      'o.name',
      'o.slug',
      eb.selectFrom('agent_roles as r').innerJoin('agents as a', 'a.id', 'r.agent_id').select(eb.fn.countAll<number>().as('n')).whereRef('r.organisation_id', '=', 'o.id').where('a.deleted_at', 'is', null).as('agents'),
      eb.selectFrom('places as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.organisation_id', '=', 'o.id').where('p.status', '=', 'enabled').as('places'),
      eb.selectFrom('appointment_types as t').select(eb.fn.countAll<number>().as('n')).whereRef('t.organisation_id', '=', 'o.id').where('t.archived_at', 'is', null).as('motifs'),
    ])
    .where('o.territory_id', '=', territoryId)
    .orderBy('o.name')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, slug: row.slug, agents: row.agents ?? 0, places: row.places ?? 0, motifs: row.motifs ?? 0 }));
}

/** An organisation of the territory: its id and the fields of its form. */
export interface OrganisationRecord extends OrganisationForm {
  readonly id: number;
}

export async function findOrganisation(db: Db, territoryId: number, organisationId: number): Promise<OrganisationRecord | undefined> {
  const row = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'slug', 'phone_number', 'email', 'website', 'external_id', 'time_zone'])
    .where('territory_id', '=', territoryId)
    .where('id', '=', organisationId)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { id: row.id, name: row.name, slug: row.slug, phoneNumber: row.phone_number, email: row.email, website: row.website, externalId: row.external_id, timeZone: row.time_zone };
}

function organisationColumns(values: OrganisationForm) {
  return { name: values.name, slug: values.slug, phone_number: values.phoneNumber, email: values.email, website: values.website, external_id: values.externalId, time_zone: values.timeZone };
}

export async function insertOrganisation(db: Db, territoryId: number, values: OrganisationForm): Promise<number> {
  const row = await db.insertInto('organisations').values({ territory_id: territoryId, ...organisationColumns(values) }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateOrganisation(db: Db, territoryId: number, organisationId: number, values: OrganisationForm): Promise<boolean> {
  const result = await db.updateTable('organisations').set(organisationColumns(values)).where('territory_id', '=', territoryId).where('id', '=', organisationId).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Which of the slug (any territory: the public link is global) and the external id (this territory) are taken by another organisation. */
export async function organisationConflicts(db: Db, request: { territoryId: number; slug: string; externalId: string | null; exceptId: number | null }): Promise<{ slug: boolean; externalId: boolean }> {
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'slug', 'external_id', 'territory_id'])
    .where((eb) => eb.or([eb('slug', '=', request.slug), ...(request.externalId === null ? [] : [eb.and([eb('external_id', '=', request.externalId), eb('territory_id', '=', request.territoryId)])])]))
    .execute();
  const others = rows.filter((row) => row.id !== request.exceptId);
  return {
    slug: others.some((row) => row.slug === request.slug),
    externalId: request.externalId !== null && others.some((row) => row.external_id === request.externalId && row.territory_id === request.territoryId),
  };
}

// ---------------------------------------------------------------------------------------------
// Agents and roles
// ---------------------------------------------------------------------------------------------

export interface TerritoryAgentRole {
  readonly organisationId: number;
  readonly organisationName: string;
  readonly accessLevel: AccessLevel;
}

export interface TerritoryAgent {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly isTerritorialAdmin: boolean;
  readonly invitationPending: boolean;
  readonly roles: readonly TerritoryAgentRole[];
}

/** The agents of the territory: a role in one of its organisations, or its territorial admins. */
function territoryAgentIds(db: Db, territoryId: number) {
  return db
    .selectFrom('agent_roles as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select('r.agent_id')
    .where('o.territory_id', '=', territoryId)
    .union(db.selectFrom('agent_territorial_roles').select('agent_id').where('territory_id', '=', territoryId));
}

export const AGENTS_PAGE_LIMIT = 200;

/** Agents of the territory, filtered by organisation and by a name or e-mail fragment (folded by ILIKE). */
export async function listTerritoryAgents(db: Db, territoryId: number, filters: { organisationId?: number | undefined; search?: string | undefined; agentId?: number }): Promise<TerritoryAgent[]> {
  let query = db
    .selectFrom('agents as a')
    .select(['a.id', 'a.first_name', 'a.last_name', 'a.email', 'a.password_hash'])
    .select((eb) => eb.exists(eb.selectFrom('agent_territorial_roles as tr').select('tr.agent_id').whereRef('tr.agent_id', '=', 'a.id').where('tr.territory_id', '=', territoryId)).as('is_admin'))
    .where('a.deleted_at', 'is', null)
    .where('a.id', 'in', territoryAgentIds(db, territoryId));
  if (filters.agentId !== undefined) query = query.where('a.id', '=', filters.agentId);
  if (filters.organisationId !== undefined) {
    const organisationId = filters.organisationId;
    query = query.where('a.id', 'in', db.selectFrom('agent_roles').select('agent_id').where('organisation_id', '=', organisationId));
  }
  const search = (filters.search ?? '').trim();
  if (search !== '') {
    const pattern = `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('a.email', 'ilike', pattern),
        eb(sql<string>`a.first_name || ' ' || a.last_name`, 'ilike', pattern),
        eb(sql<string>`a.last_name || ' ' || a.first_name`, 'ilike', pattern),
      ]),
    );
  }
  const agents = await query.orderBy('a.last_name').orderBy('a.first_name').orderBy('a.id').limit(AGENTS_PAGE_LIMIT).execute();
  if (agents.length === 0) return [];
  const roles = await db
    .selectFrom('agent_roles as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.agent_id', 'r.organisation_id', 'o.name', 'r.access_level'])
    .where('o.territory_id', '=', territoryId)
    .where(
      'r.agent_id',
      'in',
      agents.map((agent) => agent.id),
    )
    .orderBy('o.name')
    .execute();
  return agents.map((agent) => {
    const own = roles.filter((role) => role.agent_id === agent.id);
    return {
      id: agent.id,
      firstName: agent.first_name,
      lastName: agent.last_name,
      email: agent.email,
      isTerritorialAdmin: Boolean(agent.is_admin),
      invitationPending: agent.email !== null && agent.password_hash === null && own.some((role) => role.access_level !== 'intervenant'),
      roles: own.map((role) => ({ organisationId: role.organisation_id, organisationName: role.name, accessLevel: role.access_level })),
    };
  });
}

export async function findTerritoryAgent(db: Db, territoryId: number, agentId: number): Promise<TerritoryAgent | undefined> {
  return (await listTerritoryAgents(db, territoryId, { agentId }))[0];
}

export async function territorialAdminIds(db: Db, territoryId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('agent_territorial_roles as tr')
    .innerJoin('agents as a', 'a.id', 'tr.agent_id')
    .select('tr.agent_id')
    .where('tr.territory_id', '=', territoryId)
    .where('a.deleted_at', 'is', null)
    .execute();
  return rows.map((row) => row.agent_id);
}

export async function grantTerritorialAdmin(db: Db, territoryId: number, agentId: number): Promise<boolean> {
  const result = await db.insertInto('agent_territorial_roles').values({ agent_id: agentId, territory_id: territoryId }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function revokeTerritorialAdmin(db: Db, territoryId: number, agentId: number): Promise<boolean> {
  const result = await db.deleteFrom('agent_territorial_roles').where('territory_id', '=', territoryId).where('agent_id', '=', agentId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Gives the agent a role in the organisation; false when they already have one there. */
export async function insertRole(db: Db, grant: { agentId: number; organisationId: number; accessLevel: AccessLevel }): Promise<boolean> {
  const result = await db
    .insertInto('agent_roles')
    .values({ agent_id: grant.agentId, organisation_id: grant.organisationId, access_level: grant.accessLevel })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

// ---------------------------------------------------------------------------------------------
// Services and motif categories
// ---------------------------------------------------------------------------------------------

/** What a territory enables among the platform's lists: its services and its motif categories. */
const TOGGLEABLES = {
  service: { table: 'services', link: 'territory_services', column: 'service_id' },
  category: { table: 'motif_categories', link: 'territory_motif_categories', column: 'motif_category_id' },
} as const;

export type ToggleableKind = keyof typeof TOGGLEABLES;

/** A service or a motif category: whether the territory enables it, and how many of its active motifs use it. */
export interface ToggleableState {
  readonly id: number;
  readonly name: string;
  readonly shortName: string;
  readonly enabled: boolean;
  readonly activeMotifs: number;
}

/** Every service, or every motif category, of the platform with its state in the territory, by name. */
export async function listToggleables(db: Db, territoryId: number, kind: ToggleableKind): Promise<ToggleableState[]> {
  const { table, link, column } = TOGGLEABLES[kind];
  const rows = await db
    .selectFrom(db.dynamic.table(table).as('x'))
    .select((eb) => [
      'x.id',
      'x.name',
      'x.short_name',
      eb.exists(eb.selectFrom(db.dynamic.table(link).as('l')).select('l.territory_id').whereRef(db.dynamic.ref(`l.${column}`), '=', 'x.id').where('l.territory_id', '=', territoryId)).as('enabled'),
      eb
        .selectFrom('appointment_types as t')
        .innerJoin('organisations as o', 'o.id', 't.organisation_id')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef(`t.${column}`, '=', 'x.id')
        .where('o.territory_id', '=', territoryId)
        .where('t.archived_at', 'is', null)
        .as('motifs'),
    ])
    .orderBy('x.name')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, shortName: row.short_name, enabled: Boolean(row.enabled), activeMotifs: row.motifs ?? 0 }));
}

export async function toggleableExists(db: Db, kind: ToggleableKind, id: number): Promise<boolean> {
  return (await db.selectFrom(db.dynamic.table(TOGGLEABLES[kind].table).as('x')).select('x.id').where('x.id', '=', id).executeTakeFirst()) !== undefined;
}

/** The territory's active (not archived) motifs of a service, or of a category: what a disabling would orphan. */
export async function activeMotifsUsing(db: Db, territoryId: number, kind: ToggleableKind, id: number): Promise<{ id: number; name: string; organisationName: string }[]> {
  return db
    .selectFrom('appointment_types as t')
    .innerJoin('organisations as o', 'o.id', 't.organisation_id')
    .select(['t.id', 't.name', 'o.name as organisationName'])
    .where('o.territory_id', '=', territoryId)
    .where('t.archived_at', 'is', null)
    .where(`t.${TOGGLEABLES[kind].column}`, '=', id)
    .orderBy('o.name')
    .orderBy('t.name')
    .execute();
}

/** Enables a service or a category in the territory; false when it already was. */
export async function enableToggleable(db: Db, territoryId: number, kind: ToggleableKind, id: number): Promise<boolean> {
  const { link, column } = TOGGLEABLES[kind];
  const result = await db.insertInto(link).values({ territory_id: territoryId, [column]: id }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Disables a service or a category in the territory; false when it was not enabled. */
export async function disableToggleable(db: Db, territoryId: number, kind: ToggleableKind, id: number): Promise<boolean> {
  const { link, column } = TOGGLEABLES[kind];
  const result = await db.deleteFrom(link).where('territory_id', '=', territoryId).where(column, '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Services enabled in the territory (the invitation form's choices). */
export async function enabledServices(db: Db, territoryId: number): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom('territory_services as ts')
    .innerJoin('services as s', 's.id', 'ts.service_id')
    .select(['s.id', 's.name'])
    .where('ts.territory_id', '=', territoryId)
    .orderBy('s.name')
    .execute();
}

export async function categoryCodeTaken(db: Db, shortName: string): Promise<boolean> {
  return (await db.selectFrom('motif_categories').select('id').where('short_name', '=', shortName).executeTakeFirst()) !== undefined;
}

export async function insertCategory(db: Db, values: { name: string; shortName: string }): Promise<number> {
  const row = await db.insertInto('motif_categories').values({ name: values.name, short_name: values.shortName }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

// ---------------------------------------------------------------------------------------------
// Settings, holidays, closures
// ---------------------------------------------------------------------------------------------

export async function updateDirectorySettings(db: Db, territoryId: number, settings: { userFields: readonly UserField[]; usersSearchScope: UsersSearchScope; readReasonRequired: boolean }): Promise<void> {
  await db
    .updateTable('territories')
    .set({ user_fields: [...settings.userFields], users_search_scope: settings.usersSearchScope, read_reason_required: settings.readReasonRequired })
    .where('id', '=', territoryId)
    .execute();
}

export async function updateHolidayRegion(db: Db, territoryId: number, holidayRegion: string | null): Promise<void> {
  await db.updateTable('territories').set({ holiday_region: holidayRegion }).where('id', '=', territoryId).execute();
}

export interface ClosureRecord {
  readonly id: number;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly label: string;
}

export async function listClosures(db: Db, territoryId: number): Promise<ClosureRecord[]> {
  const rows = await db.selectFrom('territory_closures').select(['id', 'first_day', 'last_day', 'label']).where('territory_id', '=', territoryId).orderBy('first_day').orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, firstDay: row.first_day, lastDay: row.last_day, label: row.label }));
}

/** Appointments still to come that a closure's days cover, per organisation of the territory. */
export interface BookedDuringClosure {
  readonly closureId: number;
  readonly organisationId: number;
  readonly organisationName: string;
  readonly appointments: number;
}

/**
 * For each closure of the territory (or only `onlyClosureId`), the appointments already booked on its days (in each
 * appointment's own time zone), still to come and not cancelled — a closure hides slots but
 * cancels nothing, so the admin must warn those usagers or move them. The range test on `during`
 * (widened by a day on each side for the time zones) uses the (organisation, during) GiST index.
 */
export async function listBookedDuringClosures(db: Db, territoryId: number, now: Date, onlyClosureId?: number): Promise<BookedDuringClosure[]> {
  const result = await sql<{ closure_id: number; organisation_id: number; organisation_name: string; appointments: string }>`
    SELECT c.id AS closure_id, o.id AS organisation_id, o.name AS organisation_name, count(*) AS appointments
      FROM territory_closures c
      JOIN organisations o ON o.territory_id = c.territory_id
      JOIN appointments a ON a.organisation_id = o.id
     WHERE c.territory_id = ${territoryId}
       ${onlyClosureId === undefined ? sql`` : sql`AND c.id = ${onlyClosureId}`}
       AND a.status = 'unknown'
       AND a.during && tstzrange((c.first_day - 1)::timestamp AT TIME ZONE 'UTC', (c.last_day + 2)::timestamp AT TIME ZONE 'UTC')
       AND (lower(a.during) AT TIME ZONE a.time_zone)::date BETWEEN c.first_day AND c.last_day
       AND lower(a.during) >= ${now}
     GROUP BY c.id, o.id, o.name
     ORDER BY c.id, o.name, o.id`.execute(db);
  return result.rows.map((row) => ({ closureId: row.closure_id, organisationId: row.organisation_id, organisationName: row.organisation_name, appointments: Number(row.appointments) }));
}

export async function insertClosure(db: Db, territoryId: number, closure: { firstDay: string; lastDay: string; label: string }): Promise<number> {
  const row = await db
    .insertInto('territory_closures')
    .values({ territory_id: territoryId, first_day: closure.firstDay, last_day: closure.lastDay, label: closure.label })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteClosure(db: Db, territoryId: number, closureId: number): Promise<ClosureRecord | undefined> {
  const row = await db.deleteFrom('territory_closures').where('territory_id', '=', territoryId).where('id', '=', closureId).returning(['id', 'first_day', 'last_day', 'label']).executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, firstDay: row.first_day, lastDay: row.last_day, label: row.label };
}

export async function closureExists(db: Db, territoryId: number, closureId: number): Promise<boolean> {
  return (await db.selectFrom('territory_closures').select('id').where('territory_id', '=', territoryId).where('id', '=', closureId).executeTakeFirst()) !== undefined;
}
