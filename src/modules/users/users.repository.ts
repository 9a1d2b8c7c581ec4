// Queries of the users directory (ADR 0020). Every query that reads usagers goes through
// `knownUsersCondition` (users-scope.ts); the search is the one function the page AND the
// benchmark call.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database, UserField } from '../../platform/db/schema.js';
import { appointmentScopeCondition, visibleAppointmentsScope, type AgentPrincipal } from '../agents/index.js';
import type { DuplicateCandidateFacts, UserIdentity } from './domain/duplicates.js';
import type { UserSearchQuery } from './domain/search-query.js';
import { knownUsersCondition, type UsersScope } from './users-scope.js';

type Db = Kysely<Database>;

/** At most this many usagers per search (the page says when there may be more). */
export const SEARCH_LIMIT = 50;

export interface UserSearchResult {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthName: string | null;
  readonly birthDate: string | null;
  readonly email: string | null;
  readonly phoneNumber: string | null;
  readonly responsible: { readonly id: number; readonly firstName: string; readonly lastName: string } | null;
}

const NAMES = sql<string>`creneau_user_names(u.first_name, u.last_name, u.birth_name)`;

/** The condition and the ranking of one kind of search (all on indexed expressions). */
function searchCondition(scope: UsersScope, query: Exclude<UserSearchQuery, { kind: 'empty' | 'too_short' }>, phase: SearchPhase, limit: number): { where: Expression<SqlBool>; rank: Expression<number>; similarity: Expression<number> } {
  // A constant is no ranking (and ORDER BY 0 would name a column position): a typed constant.
  const zero = sql<number>`(0)::int`;
  switch (query.kind) {
    case 'id':
      return { where: sql<SqlBool>`u.id = ${query.id}`, rank: zero, similarity: zero };
    case 'phone':
      return { where: sql<SqlBool>`u.phone_number_e164 = ${query.e164}`, rank: zero, similarity: zero };
    case 'phone_prefix':
      return { where: sql<SqlBool>`u.phone_number_e164 LIKE ${`${query.e164Prefix}%`}`, rank: zero, similarity: zero };
    case 'email': {
      const escaped = query.prefix.replace(/[\\%_]/g, (character) => `\\${character}`);
      return {
        where: sql<SqlBool>`lower(u.email) LIKE ${`${escaped}%`}`,
        rank: sql<number>`CASE WHEN lower(u.email) = ${query.prefix} THEN 0 ELSE 1 END`,
        similarity: zero,
      };
    }
    case 'names': {
      // The folded text has only [a-z0-9@ ]: nothing to escape in a LIKE pattern.
      const q = query.folded;
      const prefix = `${q}%`;
      const firstLast = sql`creneau_fold(u.first_name || ' ' || u.last_name)`;
      const lastFirst = sql`creneau_fold(u.last_name || ' ' || u.first_name)`;
      const prefixes = sql<SqlBool>`(creneau_fold(u.last_name) LIKE ${prefix} OR creneau_fold(u.first_name) LIKE ${prefix} OR creneau_fold(u.birth_name) LIKE ${prefix}
        OR ${firstLast} LIKE ${prefix} OR ${lastFirst} LIKE ${prefix})`;
      const words = q.split(' ').filter((word) => word.length >= 3);
      // Both phases read the per-organisation search tables (0014, ADR 0027): only the scope's
      // usagers, in index order, stopped at a limit — never the instance's matches filtered
      // afterwards — and they choose the page's usagers themselves, so that only those are read
      // from users and ranked by the expressions below.
      const organisationIds = scope.organisationIds.length === 0 ? [0] : scope.organisationIds;
      const inScope = sql.join(organisationIds);
      const where =
        phase === 'prefix' || words.length === 0
          ? // Exact terms first (the btree's equality, in every organisation of the scope), then
            // prefixes in the terms' order; a usager found by several terms counts once.
            sql<SqlBool>`u.id IN (SELECT c.user_id FROM (
                SELECT m.user_id, min(m.exact) AS exact, min(m.term) AS term FROM (
                  (SELECT t.user_id, 0 AS exact, t.term FROM user_search_terms t WHERE t.organisation_id IN (${inScope}) AND t.term = ${q} LIMIT ${SEARCH_CANDIDATES})
                  UNION ALL
                  (SELECT t.user_id, 1 AS exact, t.term FROM user_search_terms t WHERE t.organisation_id IN (${inScope}) AND t.term LIKE ${prefix} LIMIT ${SEARCH_CANDIDATES * 3})
                ) m GROUP BY m.user_id
              ) c ORDER BY c.exact, c.term, c.user_id LIMIT ${limit})`
          : // Every word of three letters or more must be in the names, give or take a typo
            // (trigram word similarity, GIN of the organisation's part of the table). Shorter
            // words say nothing to a trigram; a search of short words only is a prefix search.
            sql<SqlBool>`u.id IN (SELECT c.user_id FROM (
                SELECT n.user_id, word_similarity(${q}, n.names) AS similarity FROM user_search_names n
                WHERE n.organisation_id IN (${inScope}) AND ${sql.join(words.map((word) => sql`${word} <% n.names`), sql` AND `)}
                LIMIT ${SEARCH_CANDIDATES}
              ) c GROUP BY c.user_id ORDER BY max(c.similarity) DESC, c.user_id LIMIT ${limit})`;
      return {
        where,
        rank: sql<number>`CASE
          WHEN ${firstLast} = ${q} OR ${lastFirst} = ${q} OR creneau_fold(u.last_name) = ${q} OR creneau_fold(u.birth_name) = ${q} THEN 0
          WHEN ${prefixes} THEN 1
          ELSE 2 END`,
        similarity: sql<number>`word_similarity(${q}, ${NAMES})`,
      };
    }
  }
}

/**
 * How many usagers of the scope a search ranks at most. A search matching more (« mar » in a
 * territory of 300 000 usagers) ranks the first ones the indexes give, and the page asks to
 * precise it: ranking every match would cost seconds.
 */
export const SEARCH_CANDIDATES = 500;

/** pg_trgm's word similarity a name word must reach to match a typed word (see searchUsers). */
export const WORD_SIMILARITY_THRESHOLD = 0.45;

/**
 * A names search runs in two phases: exact and prefix matches of the folded names (btree), and
 * only when there are none, the typo-tolerant trigram phase (GIN). Other kinds have one phase.
 */
export type SearchPhase = 'prefix' | 'typos';

/** The search as a query (the benchmark EXPLAINs it); `searchUsers` runs it. */
export function searchUsersQuery(db: Db, scope: UsersScope, query: Exclude<UserSearchQuery, { kind: 'empty' | 'too_short' }>, phase: SearchPhase = 'prefix', limit: number = SEARCH_LIMIT) {
  const { where, rank, similarity } = searchCondition(scope, query, phase, limit);
  const candidates = db
    .selectFrom('users as u')
    .select(['u.id', 'u.first_name', 'u.last_name', 'u.birth_name', 'u.birth_date', 'u.email', 'u.phone_number', 'u.responsible_id'])
    .where(where)
    .where(knownUsersCondition(scope))
    .limit(SEARCH_CANDIDATES);
  return db
    .selectFrom(candidates.as('u'))
    .leftJoin('users as r', (join) => join.onRef('r.id', '=', 'u.responsible_id').on('r.deleted_at', 'is', null))
    .select(['u.id', 'u.first_name', 'u.last_name', 'u.birth_name', 'u.birth_date', 'u.email', 'u.phone_number', 'r.id as responsible_id', 'r.first_name as responsible_first_name', 'r.last_name as responsible_last_name'])
    .orderBy(rank)
    .orderBy(similarity, 'desc')
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .orderBy('u.id')
    .limit(limit);
}

/**
 * The usagers of the scope matching the search, best first: exact, then prefixes, then by
 * trigram word similarity (typos); at most `limit`. Empty or too short a search finds nothing.
 */
export async function searchUsers(db: Db, scope: UsersScope, query: UserSearchQuery, limit: number = SEARCH_LIMIT): Promise<UserSearchResult[]> {
  if (query.kind === 'empty' || query.kind === 'too_short') return [];
  const found = await searchUsersQuery(db, scope, query, 'prefix', limit).execute();
  const typos = found.length === 0 && query.kind === 'names' && query.folded.split(' ').some((word) => word.length >= 3);
  const typoPhase = async (trx: Db) => {
    // One typo in a short name is a Jaccard similarity near 0.5 (« cauvin » / « chauvin »): the
    // default threshold (0.6) would miss it. For this transaction only.
    await sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY_THRESHOLD)}, true)`.execute(trx);
    return searchUsersQuery(trx, scope, query, 'typos', limit).execute();
  };
  const rows = !typos ? found : db.isTransaction ? await typoPhase(db) : await db.transaction().execute(typoPhase);
  return rows.map((row) => ({
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    birthName: row.birth_name,
    birthDate: row.birth_date,
    email: row.email,
    phoneNumber: row.phone_number,
    responsible: row.responsible_id === null ? null : { id: row.responsible_id, firstName: row.responsible_first_name ?? '', lastName: row.responsible_last_name ?? '' },
  }));
}

// ---------------------------------------------------------------------------------------------
// The user page
// ---------------------------------------------------------------------------------------------

export interface UserRecord {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthName: string | null;
  readonly birthDate: string | null;
  readonly email: string | null;
  readonly phoneNumber: string | null;
  readonly phoneNumberE164: string | null;
  readonly address: string | null;
  readonly notifyBySms: boolean;
  readonly notifyByEmail: boolean;
  readonly hasAccount: boolean;
  readonly responsibleId: number | null;
  readonly social: {
    readonly caisse_affiliation: 'caf' | 'msa' | null;
    readonly affiliation_number: string | null;
    readonly family_situation: 'single' | 'in_a_relationship' | 'divorced' | 'widowed' | null;
    readonly number_of_children: number | null;
    readonly housing: 'tenant' | 'owner' | 'hosted' | 'homeless' | 'other' | null;
    readonly case_number: string | null;
  };
  /** The organisation's profile: null when only another organisation of the territory knows them. */
  readonly profile: { readonly notes: string | null } | null;
}

/** The usager if in the scope, with this organisation's profile. */
export async function findUserRecord(db: Db, scope: UsersScope, userId: number): Promise<UserRecord | undefined> {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('user_profiles as p', (join) => join.onRef('p.user_id', '=', 'u.id').on('p.organisation_id', '=', scope.organisationId))
    .select([
      'u.id',
      'u.first_name',
      'u.last_name',
      'u.birth_name',
      'u.birth_date',
      'u.email',
      'u.phone_number',
      'u.phone_number_e164',
      'u.address',
      'u.notify_by_sms',
      'u.notify_by_email',
      'u.password_hash',
      'u.responsible_id',
      'u.caisse_affiliation',
      'u.affiliation_number',
      'u.family_situation',
      'u.number_of_children',
      'u.housing',
      'u.case_number',
      'p.organisation_id as profile_organisation_id',
      'p.notes',
    ])
    .where('u.id', '=', userId)
    .where(knownUsersCondition(scope))
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    birthName: row.birth_name,
    birthDate: row.birth_date,
    email: row.email,
    phoneNumber: row.phone_number,
    phoneNumberE164: row.phone_number_e164,
    address: row.address,
    notifyBySms: row.notify_by_sms,
    notifyByEmail: row.notify_by_email,
    hasAccount: row.password_hash !== null,
    responsibleId: row.responsible_id,
    social: {
      caisse_affiliation: row.caisse_affiliation,
      affiliation_number: row.affiliation_number,
      family_situation: row.family_situation,
      number_of_children: row.number_of_children,
      housing: row.housing,
      case_number: row.case_number,
    },
    profile: row.profile_organisation_id === null ? null : { notes: row.notes },
  };
}

export interface PersonLink {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string | null;
  /** Whether the agent may open their page (in the scope). */
  readonly known: boolean;
}

export interface UserAppointmentLine {
  readonly appointmentId: number;
  readonly organisationId: number;
  readonly organisationName: string;
  readonly motifName: string;
  readonly startsAt: Date;
  readonly timeZone: string;
  readonly status: string;
  readonly cancelled: boolean;
  readonly participationStatus: string;
}

export interface UserRelations {
  readonly responsible: PersonLink | null;
  readonly relatives: readonly PersonLink[];
  readonly referents: readonly { readonly id: number; readonly firstName: string; readonly lastName: string }[];
  readonly organisations: readonly { readonly id: number; readonly name: string }[];
  readonly appointments: readonly UserAppointmentLine[];
}

/** Appointments the agent may see, in any organisation of the territory where they work. */
export function visibleInTerritory(principal: AgentPrincipal, territoryId: number): Expression<SqlBool> {
  const conditions = principal.roles.filter((role) => role.territoryId === territoryId).map((role) => appointmentScopeCondition(visibleAppointmentsScope(principal, role.organisationId)));
  return conditions.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(conditions, sql` OR `)})`;
}

/** The people, agents, organisations and appointments around a usager, as the agent may see them. */
export async function loadUserRelations(db: Db, scope: UsersScope, principal: AgentPrincipal, user: UserRecord): Promise<UserRelations> {
  const people = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.first_name', 'u.last_name', 'u.birth_date', 'u.responsible_id', sql<boolean>`${knownUsersCondition(scope)}`.as('known')])
    .where('u.deleted_at', 'is', null)
    .where((eb) => eb.or([eb('u.responsible_id', '=', user.id), ...(user.responsibleId === null ? [] : [eb('u.id', '=', user.responsibleId)])]))
    .orderBy('u.birth_date')
    .orderBy('u.id')
    .execute();
  const link = (row: (typeof people)[number]): PersonLink => ({ id: row.id, firstName: row.first_name, lastName: row.last_name, birthDate: row.birth_date, known: row.known });
  const responsibleRow = people.find((row) => row.id === user.responsibleId);
  const referents = await db
    .selectFrom('referent_assignations as ra')
    .innerJoin('agents as a', 'a.id', 'ra.agent_id')
    .select(['a.id', 'a.first_name', 'a.last_name'])
    .where('ra.user_id', '=', user.id)
    .where('a.deleted_at', 'is', null)
    .where((eb) => eb.exists(eb.selectFrom('agent_roles as ar').innerJoin('organisations as o', 'o.id', 'ar.organisation_id').select('ar.agent_id').whereRef('ar.agent_id', '=', 'a.id').where('o.territory_id', '=', scope.territoryId)))
    .orderBy('a.last_name')
    .orderBy('a.first_name')
    .execute();
  const organisations = await db
    .selectFrom('user_profiles as up')
    .innerJoin('organisations as o', 'o.id', 'up.organisation_id')
    .select(['o.id', 'o.name'])
    .where('up.user_id', '=', user.id)
    .where('o.territory_id', '=', scope.territoryId)
    .orderBy('o.name')
    .execute();
  const appointments = await db
    .selectFrom('participations')
    .innerJoin('appointments', 'appointments.id', 'participations.appointment_id')
    .innerJoin('appointment_types', 'appointment_types.id', 'appointments.appointment_type_id')
    .innerJoin('organisations', 'organisations.id', 'appointments.organisation_id')
    .select([
      'appointments.id',
      'appointments.organisation_id',
      'organisations.name as organisation_name',
      'appointment_types.name as motif_name',
      sql<Date>`lower(appointments.during)`.as('starts_at'),
      'appointments.time_zone',
      'appointments.status',
      'appointments.cancelled_at',
      'participations.status as participation_status',
    ])
    .where('participations.user_id', '=', user.id)
    .where(visibleInTerritory(principal, scope.territoryId))
    .orderBy(sql`lower(appointments.during)`, 'desc')
    .limit(200)
    .execute();
  return {
    responsible: responsibleRow === undefined ? null : link(responsibleRow),
    relatives: people.filter((row) => row.responsible_id === user.id).map(link),
    referents: referents.map((row) => ({ id: row.id, firstName: row.first_name, lastName: row.last_name })),
    organisations,
    appointments: appointments.map((row) => ({
      appointmentId: row.id,
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
      motifName: row.motif_name,
      startsAt: new Date(row.starts_at),
      timeZone: row.time_zone,
      status: row.status,
      cancelled: row.cancelled_at !== null,
      participationStatus: row.participation_status,
    })),
  };
}

/** The territory's enabled social fields. */
export async function territoryUserFields(db: Db, territoryId: number): Promise<UserField[]> {
  const row = await db.selectFrom('territories').select('user_fields').where('id', '=', territoryId).executeTakeFirst();
  return row?.user_fields ?? [];
}

// ---------------------------------------------------------------------------------------------
// Duplicates, writes
// ---------------------------------------------------------------------------------------------

export type DuplicateCandidate = DuplicateCandidateFacts & { readonly known: boolean };

/**
 * The usagers that may be duplicates of `identity` (any organisation: an e-mail is one account
 * nationwide), through indexes: same e-mail, same folded names and birth date, same phone.
 * `known` says whether the agent may open them (a link) or only be told they exist.
 */
export async function findDuplicateCandidates(db: Db, scope: UsersScope, identity: UserIdentity): Promise<DuplicateCandidate[]> {
  const conditions: Expression<SqlBool>[] = [];
  if (identity.email !== null) conditions.push(sql<SqlBool>`lower(u.email) = ${identity.email.toLowerCase()}`);
  if (identity.birthDate !== null) {
    conditions.push(
      sql<SqlBool>`(creneau_fold(u.last_name) = creneau_fold(${identity.lastName}) AND creneau_fold(u.first_name) = creneau_fold(${identity.firstName}) AND u.birth_date = ${identity.birthDate})`,
    );
  }
  if (identity.phoneNumberE164 !== null) conditions.push(sql<SqlBool>`u.phone_number_e164 = ${identity.phoneNumberE164}`);
  if (conditions.length === 0) return [];
  const rows = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.first_name', 'u.last_name', 'u.birth_date', 'u.email', 'u.phone_number_e164', 'u.responsible_id', sql<boolean>`${knownUsersCondition(scope)}`.as('known')])
    .where('u.deleted_at', 'is', null)
    .where(sql<SqlBool>`(${sql.join(conditions, sql` OR `)})`)
    .orderBy('u.id')
    .limit(50)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    birthDate: row.birth_date,
    email: row.email,
    phoneNumberE164: row.phone_number_e164,
    responsibleId: row.responsible_id,
    known: row.known,
  }));
}

/** The future appointments (not cancelled, participation not cancelled) of these usagers in the organisation. */
export async function futureAppointmentsIn(db: Db, organisationId: number, userIds: readonly number[], now: Date, principal: AgentPrincipal) {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('participations')
    .innerJoin('appointments', 'appointments.id', 'participations.appointment_id')
    .innerJoin('appointment_types', 'appointment_types.id', 'appointments.appointment_type_id')
    .innerJoin('users', 'users.id', 'participations.user_id')
    .select([
      'appointments.id',
      'appointment_types.name as motif_name',
      sql<Date>`lower(appointments.during)`.as('starts_at'),
      'appointments.time_zone',
      'users.first_name',
      'users.last_name',
      sql<boolean>`${appointmentScopeCondition(visibleAppointmentsScope(principal, organisationId))}`.as('visible'),
    ])
    .where('appointments.organisation_id', '=', organisationId)
    .where('participations.user_id', 'in', [...userIds])
    .where('appointments.cancelled_at', 'is', null)
    .where('participations.status', 'not in', ['excused', 'revoked'])
    .where(sql<SqlBool>`upper(appointments.during) > ${now}`)
    .orderBy(sql`lower(appointments.during)`)
    .execute();
  return rows.map((row) => ({
    appointmentId: row.id,
    motifName: row.motif_name,
    startsAt: new Date(row.starts_at),
    timeZone: row.time_zone,
    participantName: `${row.first_name} ${row.last_name}`,
    visible: row.visible,
  }));
}
