// SQL of the exports (ADR 0024). The requests (one row per export, at most a few in progress per
// agent under a lock on the agent's row), the worker's lease (claim with FOR UPDATE SKIP LOCKED,
// every later write fenced by the attempt number it claimed, so a worker whose lease was taken
// over writes nothing more), the encrypted chunks, and the batches of rows read by keyset under
// the appointment list's own condition.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database, ExportKind, ExportStatus } from '../../platform/db/schema.js';
import type { AppointmentExportRow, ParticipationExportRow } from './domain/export-columns.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What the request needs of the organisation's territory. */
export interface ExportTerritorySettings {
  readonly territoryId: number;
  readonly readReasonRequired: boolean;
  readonly showsCaseNumber: boolean;
}

export async function findExportTerritorySettings(db: Db, organisationId: number): Promise<ExportTerritorySettings | undefined> {
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('territories as t', 't.id', 'o.territory_id')
    .select(['t.id', 't.read_reason_required', 't.user_fields'])
    .where('o.id', '=', organisationId)
    .executeTakeFirst();
  return row === undefined ? undefined : { territoryId: row.id, readReasonRequired: row.read_reason_required, showsCaseNumber: row.user_fields.includes('case_number') };
}

/**
 * Locks the agent's row for the rest of the transaction, so that two requests of one agent
 * count their exports in progress one after the other (the limit cannot be slipped past).
 * NO KEY UPDATE: inserts that reference the agent (KEY SHARE) are not blocked.
 */
export async function lockAgentForExportRequest(trx: Transaction<Database>, agentId: number): Promise<void> {
  await sql`SELECT id FROM agents WHERE id = ${agentId} FOR NO KEY UPDATE`.execute(trx);
}

export async function countExportsInProgress(db: Db, agentId: number, now: Date): Promise<number> {
  const row = await db
    .selectFrom('exports')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('agent_id', '=', agentId)
    .where('status', 'in', ['pending', 'running'])
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface NewExport {
  readonly agentId: number;
  readonly organisationId: number;
  readonly territoryId: number;
  readonly kind: ExportKind;
  readonly filters: StoredExportFilters;
  readonly reason: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** The list's selection and the instant « à venir » / « à renseigner » are read at. */
export interface StoredExportFilters {
  readonly agentId?: number;
  readonly motifId?: number;
  readonly placeId?: number;
  readonly status?: string;
  readonly fromDay?: number;
  readonly toDay?: number;
  /** Epoch minutes of the request. */
  readonly asOf: number;
}

export async function insertExport(db: Db, values: NewExport): Promise<{ id: number; publicId: string }> {
  const row = await db
    .insertInto('exports')
    .values({
      agent_id: values.agentId,
      organisation_id: values.organisationId,
      territory_id: values.territoryId,
      kind: values.kind,
      filters: JSON.stringify(values.filters),
      reason: values.reason,
      created_at: values.createdAt,
      expires_at: values.expiresAt,
    })
    .returning(['id', 'public_id'])
    .executeTakeFirstOrThrow();
  return { id: row.id, publicId: row.public_id };
}

/** An export as its page shows it. */
export interface ExportSummary {
  readonly id: number;
  readonly publicId: string;
  readonly kind: ExportKind;
  readonly status: ExportStatus;
  readonly rowsDone: number;
  readonly rowsTotal: number | null;
  readonly error: string | null;
  readonly fileName: string | null;
  readonly byteSize: number | null;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
  readonly expiresAt: Date;
}

const SUMMARY_COLUMNS = [
  'id',
  'public_id',
  'kind',
  'status',
  'rows_done',
  'rows_total',
  'error',
  'file_name',
  'byte_size',
  'created_at',
  'finished_at',
  'expires_at',
] as const;

function toSummary(row: {
  id: number;
  public_id: string;
  kind: ExportKind;
  status: ExportStatus;
  rows_done: number;
  rows_total: number | null;
  error: string | null;
  file_name: string | null;
  byte_size: number | string | null;
  created_at: Date;
  finished_at: Date | null;
  expires_at: Date;
}): ExportSummary {
  return {
    id: row.id,
    publicId: row.public_id,
    kind: row.kind,
    status: row.status,
    rowsDone: row.rows_done,
    rowsTotal: row.rows_total,
    error: row.error,
    fileName: row.file_name,
    byteSize: row.byte_size === null ? null : Number(row.byte_size),
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    expiresAt: row.expires_at,
  };
}

/** The agent's exports in the organisation that have not expired, newest first. */
export async function findAgentExports(db: Db, agentId: number, organisationId: number, now: Date, limit: number): Promise<ExportSummary[]> {
  const rows = await db
    .selectFrom('exports')
    .select(SUMMARY_COLUMNS)
    .where('agent_id', '=', agentId)
    .where('organisation_id', '=', organisationId)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toSummary);
}

/** One export of the agent in the organisation (expired ones included: the route says « expiré »). */
export async function findAgentExport(db: Db, publicId: string, agentId: number, organisationId: number): Promise<ExportSummary | undefined> {
  const row = await db
    .selectFrom('exports')
    .select(SUMMARY_COLUMNS)
    .where('public_id', '=', publicId)
    .where('agent_id', '=', agentId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row === undefined ? undefined : toSummary(row);
}

/** The number of chunks of a finished export. */
export async function countChunks(db: Db, exportId: number): Promise<number> {
  const row = await db.selectFrom('export_chunks').select((eb) => eb.fn.countAll<string | number>().as('count')).where('export_id', '=', exportId).executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function readChunk(db: Db, exportId: number, position: number): Promise<Uint8Array | undefined> {
  const row = await db.selectFrom('export_chunks').select('content').where('export_id', '=', exportId).where('position', '=', position).executeTakeFirst();
  return row?.content;
}

/** The usagers named by the production's journal line of an export (its download names them again). */
export async function findProducedUserIds(db: Db, exportId: number, agentId: number): Promise<number[]> {
  const result = await sql<{ user_ids: number[] }>`
    SELECT user_ids FROM read_journal
     WHERE kind = 'export' AND agent_id = ${agentId} AND details->>'exportId' = ${String(exportId)} AND details->>'step' = 'produced'
     ORDER BY id DESC LIMIT 1`.execute(db);
  return (result.rows[0]?.user_ids ?? []).map(Number);
}

// ---------------------------------------------------------------------------------------------
// The worker's lease
// ---------------------------------------------------------------------------------------------

/** An export claimed by a worker: `attempt` fences every later write. */
export interface ClaimedExport {
  readonly id: number;
  readonly publicId: string;
  readonly agentId: number;
  readonly organisationId: number;
  readonly territoryId: number;
  readonly kind: ExportKind;
  readonly filters: StoredExportFilters;
  readonly reason: string | null;
  readonly attempt: number;
  readonly createdAt: Date;
}

export const EXHAUSTED_MESSAGE = 'L’export n’a pas pu être produit après plusieurs tentatives. Demandez-le de nouveau.';

/**
 * Takes the oldest export waiting, or whose worker's lease expired (it stopped mid-way: the file
 * is started again from scratch, its chunks deleted in the same transaction). Exports whose lease
 * expired `maxAttempts` times are marked failed first. Safe with several workers (SKIP LOCKED).
 */
export async function claimNextExport(db: Kysely<Database>, now: Date, leaseSeconds: number, maxAttempts: number): Promise<ClaimedExport | undefined> {
  return db.transaction().execute(async (trx) => {
    const exhausted = await trx
      .updateTable('exports')
      .set({ status: 'failed', error: EXHAUSTED_MESSAGE, locked_until: null, finished_at: now })
      .where('status', '=', 'running')
      .where('locked_until', '<', now)
      .where('attempts', '>=', maxAttempts)
      .returning('id')
      .execute();
    if (exhausted.length > 0) await trx.deleteFrom('export_chunks').where('export_id', 'in', exhausted.map((row) => row.id)).execute();
    const lockedUntil = new Date(now.getTime() + leaseSeconds * 1000);
    const claimed = await sql<{
      id: number;
      public_id: string;
      agent_id: number;
      organisation_id: number;
      territory_id: number;
      kind: ExportKind;
      filters: StoredExportFilters;
      reason: string | null;
      attempts: number;
      created_at: Date;
    }>`
      UPDATE exports
         SET status = 'running', attempts = attempts + 1, locked_until = ${lockedUntil}, rows_done = 0, error = NULL,
             started_at = coalesce(started_at, ${now})
       WHERE id = (
         SELECT id FROM exports
          WHERE (status = 'pending' OR (status = 'running' AND locked_until < ${now}))
            AND attempts < ${maxAttempts} AND expires_at > ${now}
          ORDER BY created_at, id
          LIMIT 1
          FOR UPDATE SKIP LOCKED)
      RETURNING id, public_id, agent_id, organisation_id, territory_id, kind, filters, reason, attempts, created_at`.execute(trx);
    const row = claimed.rows[0];
    if (row === undefined) return undefined;
    // A lease taken over: what the stopped worker wrote goes; the file starts again.
    await trx.deleteFrom('export_chunks').where('export_id', '=', row.id).execute();
    return {
      id: row.id,
      publicId: row.public_id,
      agentId: row.agent_id,
      organisationId: row.organisation_id,
      territoryId: row.territory_id,
      kind: row.kind,
      filters: typeof row.filters === 'string' ? (JSON.parse(row.filters) as StoredExportFilters) : row.filters,
      reason: row.reason,
      attempt: row.attempts,
      createdAt: new Date(row.created_at),
    };
  });
}

/**
 * Locks the export's row if this worker still holds it (same attempt, still running), for the
 * rest of the transaction: a worker that would take the lease over waits, and a worker whose
 * lease was taken over finds nothing. False when the lease is lost.
 */
async function holdLease(trx: Transaction<Database>, exportId: number, attempt: number): Promise<boolean> {
  const result = await sql`SELECT id FROM exports WHERE id = ${exportId} AND attempts = ${attempt} AND status = 'running' FOR UPDATE`.execute(trx);
  return result.rows.length > 0;
}

/** Appends chunks and records the progress, if the lease is still this worker's; false otherwise. */
export async function writeProgress(
  db: Kysely<Database>,
  lease: { exportId: number; attempt: number },
  progress: { chunks: readonly { position: number; content: Uint8Array }[]; rowsDone: number; rowsTotal: number; lockedUntil: Date },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await holdLease(trx, lease.exportId, lease.attempt))) return false;
    if (progress.chunks.length > 0) {
      await trx
        .insertInto('export_chunks')
        .values(progress.chunks.map((chunk) => ({ export_id: lease.exportId, position: chunk.position, content: chunk.content })))
        .execute();
    }
    await trx
      .updateTable('exports')
      .set({ rows_done: progress.rowsDone, rows_total: progress.rowsTotal, locked_until: progress.lockedUntil })
      .where('id', '=', lease.exportId)
      .execute();
    return true;
  });
}

/**
 * Marks the export done (the file is whole) and runs `journal` in the same transaction, if the
 * lease is still this worker's; false otherwise.
 */
export async function finishExport(
  db: Kysely<Database>,
  lease: { exportId: number; attempt: number },
  result: { rowsDone: number; fileName: string; byteSize: number; finishedAt: Date },
  journal: (trx: Transaction<Database>) => Promise<void>,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await holdLease(trx, lease.exportId, lease.attempt))) return false;
    await trx
      .updateTable('exports')
      .set({
        status: 'done',
        rows_done: result.rowsDone,
        rows_total: result.rowsDone,
        file_name: result.fileName,
        byte_size: result.byteSize,
        finished_at: result.finishedAt,
        locked_until: null,
      })
      .where('id', '=', lease.exportId)
      .execute();
    await journal(trx);
    return true;
  });
}

/** Marks the export failed with a French message for the agent, and drops its chunks. */
export async function failExport(db: Kysely<Database>, lease: { exportId: number; attempt: number }, message: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await holdLease(trx, lease.exportId, lease.attempt))) return false;
    await trx.updateTable('exports').set({ status: 'failed', error: message, locked_until: null, finished_at: now }).where('id', '=', lease.exportId).execute();
    await trx.deleteFrom('export_chunks').where('export_id', '=', lease.exportId).execute();
    return true;
  });
}

/** Gives the export back after an unexpected error: the next round takes it again (attempts permitting). */
export async function releaseExport(db: Kysely<Database>, lease: { exportId: number; attempt: number }, now: Date): Promise<void> {
  await db
    .updateTable('exports')
    .set({ locked_until: new Date(now.getTime() - 1) })
    .where('id', '=', lease.exportId)
    .where('attempts', '=', lease.attempt)
    .where('status', '=', 'running')
    .execute();
}

/** Deletes the exports past their expiry, with their chunks (ON DELETE CASCADE). Returns how many. */
export async function purgeExpiredExports(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom('exports').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---------------------------------------------------------------------------------------------
// The rows, in batches (keyset on the list's order: start, then id)
// ---------------------------------------------------------------------------------------------

/** Where the previous batch ended: the start (as PostgreSQL wrote it, exact) and the ids. */
export interface BatchCursor {
  readonly startsAt: string;
  readonly appointmentId: number;
  readonly participationId: number;
}

/**
 * The slice of time a batch reads: starts in [fromMs, toMs), after `after` within it. Batches
 * walk the time axis window by window so that each query reads its rows through the GiST index
 * on (organisation_id, during) instead of sorting every remaining row of the organisation (a
 * plain LIMIT keyset on lower(during), which no btree index serves, grew quadratic: 141 s for
 * 100 000 rows).
 */
export interface BatchWindow {
  readonly organisationId: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly after: BatchCursor | null;
}

/** How many rows the export will have, and the first and last starts (ms, floored), under the list's condition. */
export interface RowBounds {
  readonly total: number;
  readonly firstStartMs: number | null;
  readonly lastStartMs: number | null;
}

export async function findRowBounds(db: Db, where: RawBuilder<unknown>, kind: ExportKind): Promise<RowBounds> {
  const participations = kind === 'participations' ? sql`JOIN participations ON participations.appointment_id = appointments.id` : sql``;
  const result = await sql<{ total: number; first_ms: string | number | null; last_ms: string | number | null }>`
    SELECT count(*)::int AS total,
           floor(extract(epoch FROM min(lower(appointments.during))) * 1000)::bigint AS first_ms,
           floor(extract(epoch FROM max(lower(appointments.during))) * 1000)::bigint AS last_ms
      FROM appointments JOIN appointment_types ON appointment_types.id = appointments.appointment_type_id
      ${participations}
     WHERE ${where}`.execute(db);
  const row = result.rows[0];
  return {
    total: row?.total ?? 0,
    firstStartMs: row?.first_ms === null || row?.first_ms === undefined ? null : Number(row.first_ms),
    lastStartMs: row?.last_ms === null || row?.last_ms === undefined ? null : Number(row.last_ms),
  };
}

/** The appointments of the window (through the GiST index), before the list's condition and the keyset. */
function windowRows(window: BatchWindow): RawBuilder<unknown> {
  return sql`in_window AS MATERIALIZED (
      SELECT id FROM appointments
       WHERE organisation_id = ${window.organisationId}
         AND during && tstzrange(to_timestamp(${window.fromMs / 1000}), to_timestamp(${window.toMs / 1000})))`;
}

function windowBounds(window: BatchWindow): RawBuilder<unknown> {
  return sql`lower(appointments.during) >= to_timestamp(${window.fromMs / 1000}) AND lower(appointments.during) < to_timestamp(${window.toMs / 1000})`;
}

/** The appointment's columns both exports read, over `a` (appointments), `t`, `s`, `p`, `creator`. */
const APPOINTMENT_SELECT = sql`
  a.id,
  floor(extract(epoch FROM lower(a.during)) / 60)::int AS starts_at,
  ceil(extract(epoch FROM upper(a.during)) / 60)::int AS ends_at,
  a.time_zone, a.status, a.is_collective, a.name,
  t.name AS motif_name, s.name AS service_name, t.location_type, p.name AS place_name,
  ARRAY(SELECT ag.first_name || ' ' || ag.last_name FROM appointment_agents aa JOIN agents ag ON ag.id = aa.agent_id
         WHERE aa.appointment_id = a.id ORDER BY ag.last_name, ag.first_name, ag.id) AS agent_names,
  a.created_by_type, CASE WHEN creator.id IS NULL THEN NULL ELSE creator.first_name || ' ' || creator.last_name END AS created_by_agent_name,
  floor(extract(epoch FROM a.created_at) / 60)::int AS created_at`;

const APPOINTMENT_JOINS = sql`
  JOIN appointments a ON a.id = page.appointment_id
  JOIN appointment_types t ON t.id = a.appointment_type_id
  JOIN services s ON s.id = t.service_id
  LEFT JOIN places p ON p.id = a.place_id
  LEFT JOIN agents creator ON creator.id = a.created_by_agent_id`;

interface AppointmentColumnsRow {
  id: number;
  starts_at: number;
  ends_at: number;
  time_zone: string;
  status: AppointmentExportRow['status'];
  is_collective: boolean;
  name: string | null;
  motif_name: string;
  service_name: string;
  location_type: AppointmentExportRow['locationType'];
  place_name: string | null;
  agent_names: string[];
  created_by_type: AppointmentExportRow['createdByType'];
  created_by_agent_name: string | null;
  created_at: number;
  cursor_starts_at: string;
}

function toExportedAppointment(row: AppointmentColumnsRow): Omit<AppointmentExportRow, 'participants'> {
  return {
    id: row.id,
    startsAtEpochMinutes: row.starts_at,
    endsAtEpochMinutes: row.ends_at,
    timeZone: row.time_zone,
    status: row.status,
    isCollective: row.is_collective,
    name: row.name,
    motifName: row.motif_name,
    serviceName: row.service_name,
    locationType: row.location_type,
    placeName: row.place_name,
    agentNames: row.agent_names,
    createdByType: row.created_by_type,
    createdByAgentName: row.created_by_agent_name,
    createdAtEpochMinutes: row.created_at,
  };
}

/** A batch of rows, the usagers they name, and where the next batch starts. */
export interface Batch<Row> {
  readonly rows: readonly Row[];
  readonly userIds: readonly number[];
  readonly cursor: BatchCursor | null;
}

/** The next `limit` appointments of the list in the window, in the list's order, with their participants. */
export async function findAppointmentBatch(db: Db, where: RawBuilder<unknown>, window: BatchWindow, limit: number): Promise<Batch<AppointmentExportRow>> {
  const cursor = window.after;
  const after = cursor === null ? sql`true` : sql`(lower(appointments.during), appointments.id) > (${cursor.startsAt}::timestamptz, ${cursor.appointmentId})`;
  const result = await sql<AppointmentColumnsRow & { participants: { userId: number; firstName: string; lastName: string; isCancelled: boolean }[] | null }>`
    WITH ${windowRows(window)},
    page AS MATERIALIZED (
      SELECT appointments.id AS appointment_id, lower(appointments.during) AS starts_at
        FROM in_window JOIN appointments ON appointments.id = in_window.id
        JOIN appointment_types ON appointment_types.id = appointments.appointment_type_id
       WHERE (${where}) AND ${windowBounds(window)} AND ${after}
       ORDER BY lower(appointments.during), appointments.id
       LIMIT ${limit})
    SELECT ${APPOINTMENT_SELECT}, page.starts_at::text AS cursor_starts_at,
      (SELECT json_agg(json_build_object('userId', u.id, 'firstName', u.first_name, 'lastName', u.last_name,
                                         'isCancelled', pa.status IN ('excused', 'revoked')) ORDER BY u.last_name, u.first_name, pa.id)
         FROM participations pa JOIN users u ON u.id = pa.user_id WHERE pa.appointment_id = a.id) AS participants
      FROM page ${APPOINTMENT_JOINS}
     ORDER BY page.starts_at, page.appointment_id`.execute(db);
  const rows = result.rows.map((row) => ({ ...toExportedAppointment(row), participants: row.participants ?? [] }));
  const last = result.rows.at(-1);
  return {
    rows,
    userIds: rows.flatMap((row) => row.participants.map((participant) => participant.userId)),
    cursor: last === undefined ? null : { startsAt: last.cursor_starts_at, appointmentId: last.id, participationId: 0 },
  };
}

/** The next `limit` participations of the list's appointments in the window (start, appointment, participation). */
export async function findParticipationBatch(db: Db, where: RawBuilder<unknown>, window: BatchWindow, limit: number): Promise<Batch<ParticipationExportRow>> {
  const cursor = window.after;
  const after =
    cursor === null
      ? sql`true`
      : sql`(lower(appointments.during), appointments.id, participations.id) > (${cursor.startsAt}::timestamptz, ${cursor.appointmentId}, ${cursor.participationId})`;
  const result = await sql<
    AppointmentColumnsRow & {
      participation_id: number;
      participation_status: ParticipationExportRow['participationStatus'];
      participation_created_by_type: ParticipationExportRow['participationCreatedByType'];
      user_id: number;
      first_name: string;
      last_name: string;
      birth_name: string | null;
      birth_date: string | null;
      phone_number: string | null;
      email: string | null;
      address: string | null;
      case_number: string | null;
    }
  >`
    WITH ${windowRows(window)},
    page AS MATERIALIZED (
      SELECT appointments.id AS appointment_id, participations.id AS participation_id, lower(appointments.during) AS starts_at
        FROM in_window JOIN appointments ON appointments.id = in_window.id
        JOIN appointment_types ON appointment_types.id = appointments.appointment_type_id
        JOIN participations ON participations.appointment_id = appointments.id
       WHERE (${where}) AND ${windowBounds(window)} AND ${after}
       ORDER BY lower(appointments.during), appointments.id, participations.id
       LIMIT ${limit})
    SELECT ${APPOINTMENT_SELECT}, page.starts_at::text AS cursor_starts_at,
      page.participation_id, pa.status AS participation_status, pa.created_by_type AS participation_created_by_type,
      u.id AS user_id, u.first_name, u.last_name, u.birth_name, u.birth_date::text AS birth_date, u.phone_number, u.email, u.address, u.case_number
      FROM page ${APPOINTMENT_JOINS}
      JOIN participations pa ON pa.id = page.participation_id
      JOIN users u ON u.id = pa.user_id
     ORDER BY page.starts_at, page.appointment_id, page.participation_id`.execute(db);
  const rows: ParticipationExportRow[] = result.rows.map((row) => ({
    ...toExportedAppointment(row),
    participationStatus: row.participation_status,
    participationCreatedByType: row.participation_created_by_type,
    userId: row.user_id,
    firstName: row.first_name,
    lastName: row.last_name,
    birthName: row.birth_name,
    birthDate: row.birth_date,
    phoneNumber: row.phone_number,
    email: row.email,
    address: row.address,
    caseNumber: row.case_number,
  }));
  const last = result.rows.at(-1);
  return {
    rows,
    userIds: rows.map((row) => row.userId),
    cursor: last === undefined ? null : { startsAt: last.cursor_starts_at, appointmentId: last.id, participationId: last.participation_id },
  };
}
