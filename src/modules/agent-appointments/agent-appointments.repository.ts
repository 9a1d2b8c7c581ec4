// Reads of the agent appointment pages. Writes go through the appointments core only (ADR 0014).
// Every query is scoped by the organisation; appointments also by `appointmentScopeCondition`.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { appointmentScopeCondition, type AppointmentScope } from '../agents/index.js';
import type { AppointmentStatus, LocationType } from '../appointments/index.js';

type Db = Kysely<Database>;

export interface MotifOption {
  readonly id: number;
  readonly name: string;
  readonly serviceId: number;
  readonly serviceName: string;
  readonly durationMinutes: number;
  readonly locationType: LocationType;
}

/** Individual, non-archived motifs of the organisation (the caller filters with `canUseMotif`). */
export async function findMotifs(db: Db, organisationId: number): Promise<MotifOption[]> {
  const rows = await db
    .selectFrom('appointment_types as t')
    .innerJoin('services as s', 's.id', 't.service_id')
    .select(['t.id', 't.name', 't.service_id', 's.short_name', 't.duration_minutes', 't.location_type'])
    .where('t.organisation_id', '=', organisationId)
    .where('t.archived_at', 'is', null)
    .where('t.is_collective', '=', false)
    .orderBy('s.short_name')
    .orderBy('t.name')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    serviceId: row.service_id,
    serviceName: row.short_name,
    durationMinutes: row.duration_minutes,
    locationType: row.location_type,
  }));
}

export interface PlaceOption {
  readonly id: number;
  readonly name: string;
  readonly address: string;
  readonly timeZone: string;
}

/** Enabled places of the organisation. */
export async function findPlaces(db: Db, organisationId: number): Promise<PlaceOption[]> {
  const rows = await db
    .selectFrom('places')
    .select(['id', 'name', 'address', 'time_zone'])
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'enabled')
    .orderBy('name')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, address: row.address, timeZone: row.time_zone }));
}

export interface AgentOption {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
}

/** Agents holding a role in the organisation (intervenants included: they have agendas). */
export async function findOrganisationAgents(db: Db, organisationId: number): Promise<AgentOption[]> {
  const rows = await db
    .selectFrom('agents as a')
    .innerJoin('agent_roles as r', 'r.agent_id', 'a.id')
    .select(['a.id', 'a.first_name', 'a.last_name'])
    .where('r.organisation_id', '=', organisationId)
    .where('a.deleted_at', 'is', null)
    .orderBy('a.last_name')
    .orderBy('a.first_name')
    .execute();
  return rows.map((row) => ({ id: row.id, firstName: row.first_name, lastName: row.last_name }));
}

export async function findAgentNames(db: Db, agentIds: readonly number[]): Promise<Map<number, string>> {
  if (agentIds.length === 0) return new Map();
  const rows = await db.selectFrom('agents').select(['id', 'first_name', 'last_name']).where('id', 'in', [...agentIds]).execute();
  return new Map(rows.map((row) => [row.id, `${row.first_name} ${row.last_name}`]));
}

export interface UserSummary {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string | null;
  readonly email: string | null;
  readonly phoneNumber: string | null;
  readonly responsibleId: number | null;
}

/** Users the organisation knows: a profile there, or an appointment there. */
function knownToOrganisation(organisationId: number) {
  return sql<boolean>`(EXISTS (SELECT 1 FROM user_profiles up WHERE up.user_id = u.id AND up.organisation_id = ${organisationId})
    OR EXISTS (SELECT 1 FROM participations p JOIN appointments a ON a.id = p.appointment_id WHERE p.user_id = u.id AND a.organisation_id = ${organisationId}))`;
}

function toUserSummary(row: { id: number; first_name: string; last_name: string; birth_date: string | null; email: string | null; phone_number: string | null; responsible_id: number | null }): UserSummary {
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    birthDate: row.birth_date,
    email: row.email,
    phoneNumber: row.phone_number,
    responsibleId: row.responsible_id,
  };
}

/** The users among `userIds` the organisation knows (a participant picked from another organisation is refused). */
export async function findOrganisationUsers(db: Db, organisationId: number, userIds: readonly number[]): Promise<UserSummary[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.first_name', 'u.last_name', 'u.birth_date', 'u.email', 'u.phone_number', 'u.responsible_id'])
    .where('u.id', 'in', [...userIds])
    .where('u.deleted_at', 'is', null)
    .where(knownToOrganisation(organisationId))
    .execute();
  return rows.map(toUserSummary);
}

/** The users among `userIds` who were erased (merged into another usager, ADR 0021). */
export async function findErasedUserIds(db: Db, userIds: readonly number[]): Promise<number[]> {
  if (userIds.length === 0) return [];
  const rows = await db.selectFrom('users').select('id').where('id', 'in', [...userIds]).where('deleted_at', 'is not', null).execute();
  return rows.map((row) => row.id);
}

export interface AppointmentDetail {
  readonly id: number;
  readonly organisationId: number;
  readonly motifId: number;
  readonly motifName: string;
  readonly serviceId: number;
  readonly locationType: LocationType;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly timeZone: string;
  readonly status: AppointmentStatus;
  readonly isCollective: boolean;
  readonly context: string | null;
  readonly revision: number;
  readonly place: { readonly id: number; readonly name: string; readonly address: string; readonly singleUse: boolean } | null;
  readonly agents: readonly { readonly id: number; readonly name: string; readonly overlapAllowed: boolean; readonly overlapReason: string | null }[];
  readonly participants: readonly (UserSummary & { readonly status: AppointmentStatus })[];
}

/** The appointment if it is in the organisation and within the scope the agent may see. */
export async function findVisibleAppointment(db: Db, organisationId: number, appointmentId: number, scope: AppointmentScope): Promise<AppointmentDetail | undefined> {
  const row = await db
    .selectFrom('appointments')
    .innerJoin('appointment_types', 'appointment_types.id', 'appointments.appointment_type_id')
    .leftJoin('places', 'places.id', 'appointments.place_id')
    .select([
      'appointments.id',
      'appointments.organisation_id',
      'appointments.appointment_type_id',
      'appointment_types.name as motif_name',
      'appointment_types.service_id',
      'appointment_types.location_type',
      sql<Date>`lower(appointments.during)`.as('starts_at'),
      sql<Date>`upper(appointments.during)`.as('ends_at'),
      'appointments.time_zone',
      'appointments.status',
      'appointments.is_collective',
      'appointments.context',
      'appointments.revision',
      'places.id as place_id',
      'places.name as place_name',
      'places.address as place_address',
      'places.status as place_status',
    ])
    .where('appointments.id', '=', appointmentId)
    .where('appointments.organisation_id', '=', organisationId)
    .where(appointmentScopeCondition(scope))
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const [agents, participants] = await Promise.all([
    db
      .selectFrom('appointment_agents as aa')
      .innerJoin('agents as a', 'a.id', 'aa.agent_id')
      .select(['a.id', 'a.first_name', 'a.last_name', 'aa.overlap_allowed', 'aa.overlap_reason'])
      .where('aa.appointment_id', '=', appointmentId)
      .orderBy('a.last_name')
      .execute(),
    db
      .selectFrom('participations as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['u.id', 'u.first_name', 'u.last_name', 'u.birth_date', 'u.email', 'u.phone_number', 'u.responsible_id', 'p.status'])
      .where('p.appointment_id', '=', appointmentId)
      .orderBy('p.id')
      .execute(),
  ]);
  return {
    id: row.id,
    organisationId: row.organisation_id,
    motifId: row.appointment_type_id,
    motifName: row.motif_name,
    serviceId: row.service_id,
    locationType: row.location_type,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    timeZone: row.time_zone,
    status: row.status,
    isCollective: row.is_collective,
    context: row.context,
    revision: row.revision,
    place:
      row.place_id === null
        ? null
        : { id: row.place_id, name: row.place_name ?? '', address: row.place_address ?? '', singleUse: row.place_status === 'single_use' },
    agents: agents.map((agent) => ({ id: agent.id, name: `${agent.first_name} ${agent.last_name}`, overlapAllowed: agent.overlap_allowed, overlapReason: agent.overlap_reason })),
    participants: participants.map((participant) => ({ ...toUserSummary(participant), status: participant.status })),
  };
}

export interface HistoryRow {
  readonly occurredAt: Date;
  readonly actorType: string;
  readonly actorAgentName: string | null;
  readonly action: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** The audit entries of the appointment and of its participations, oldest first (views excluded). */
export async function findAppointmentHistory(db: Db, appointmentId: number): Promise<HistoryRow[]> {
  const result = await sql<{ occurred_at: Date; actor_type: string; agent_name: string | null; action: string; details: Record<string, unknown> | null }>`
    SELECT l.occurred_at, l.actor_type, CASE WHEN l.actor_type = 'agent' THEN ag.first_name || ' ' || ag.last_name END AS agent_name,
           l.action, l.details
      FROM audit_log l
      LEFT JOIN agents ag ON l.actor_type = 'agent' AND ag.id = l.actor_id
     WHERE l.action IN ('create', 'update', 'overbook')
       AND ((l.subject_type = 'appointment' AND l.subject_id = ${appointmentId})
         OR (l.subject_type = 'participation' AND l.subject_id IN (SELECT id FROM participations WHERE appointment_id = ${appointmentId})))
     ORDER BY l.occurred_at, l.id`.execute(db);
  return result.rows.map((row) => ({
    occurredAt: new Date(row.occurred_at),
    actorType: row.actor_type,
    actorAgentName: row.agent_name,
    action: row.action,
    details: row.details ?? {},
  }));
}
