// Production of one claimed export (ADR 0024): the requesting agent's principal is loaded again
// (an agent who lost access gets a failed export, not a file), the list's filters are checked
// again through the agenda's own rules, the rows are read in batches by keyset under the list's
// condition and streamed through exceljs' streaming writer into encrypted chunks. One batch of
// rows is in memory at a time, plus the zip stream's buffers and the chunk being filled; across
// batches only the ids of the usagers named (for the read journal) are kept.
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/errors.js';
import { dateToEpochMinutes } from '../../shared/time/index.js';
import { appointmentListCondition, resolveAppointmentListFilters, statusDisplay, type AppointmentListSelection } from '../agenda/index.js';
import { canAccessOrganisation, loadAgentPrincipal } from '../agents/index.js';
import { recordRead } from '../read-journal/index.js';
import {
  APPOINTMENT_EXPORT_COLUMNS,
  appointmentExportCells,
  exportFileName,
  participationExportCells,
  participationExportColumns,
  type CellContext,
  type CellValue,
  type ExportColumn,
} from './domain/export-columns.js';
import { encryptChunk, type ChunkKeys } from './export-cipher.js';
import {
  failExport,
  findAppointmentBatch,
  findExportTerritorySettings,
  findParticipationBatch,
  findRowBounds,
  finishExport,
  writeProgress,
  type Batch,
  type BatchCursor,
  type BatchWindow,
  type ClaimedExport,
} from './exports.repository.js';

export interface ProductionOptions {
  /** Rows read per query (and held in memory at once); default 1 000. */
  readonly batchSize: number;
  /** Plain bytes per stored chunk; default 256 KiB. */
  readonly chunkBytes: number;
  /** How long a claim or a batch's progress keeps other workers off; default 120 s. */
  readonly leaseSeconds: number;
  /** Asked after each batch: true stops the production (the process is stopping); the export is given back. */
  readonly shouldStop?: () => boolean;
  /** Called after each batch (the benchmark samples the memory there). */
  readonly onBatch?: (progress: { rowsDone: number; rowsTotal: number }) => void;
}

export const DEFAULT_PRODUCTION_OPTIONS: ProductionOptions = { batchSize: 1000, chunkBytes: 256 * 1024, leaseSeconds: 120 };

export type ProductionOutcome = 'done' | 'failed' | 'lease-lost';

export const LOST_ACCESS_MESSAGE = 'Vous n’avez plus accès à ces rendez-vous : l’export n’a pas été produit.';
export const FILTERS_GONE_MESSAGE = 'Un filtre de cet export (agent, motif ou lieu) ne vous est plus accessible : l’export n’a pas été produit.';

/** The process is stopping: the export in hand is given back to the next worker. */
export class ProductionStoppedError extends Error {
  override name = 'ProductionStoppedError';
}

/** The lease was taken over by another worker (this one stopped too long): it writes nothing more. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

/**
 * The zip's output, cut into encrypted chunks of `chunkBytes`. A write is acknowledged once the
 * chunk it completes is handed over, so the zip waits for the database (backpressure). Full
 * chunks wait in `ready` until the batch's progress is written with them (one transaction).
 */
class ChunkSink extends Writable {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private position = 0;
  bytesWritten = 0;
  ready: { position: number; content: Uint8Array }[] = [];
  /** A write that failed (a lost lease while flushing): the batch loop stops on it. */
  failure: Error | null = null;

  constructor(
    private readonly keys: ChunkKeys,
    private readonly exportId: number,
    private readonly chunkBytes: number,
    private readonly flushReady: () => Promise<void>,
  ) {
    super();
    // Recorded, not thrown: the zip pipes into this stream and would otherwise rethrow it.
    this.on('error', (error) => {
      this.failure = error;
    });
  }

  private cut(all: boolean): void {
    while (this.pendingBytes >= this.chunkBytes || (all && this.pendingBytes > 0)) {
      const whole = Buffer.concat(this.pending);
      const size = Math.min(this.chunkBytes, whole.length);
      this.ready.push({ position: this.position, content: encryptChunk(whole.subarray(0, size), this.keys, this.exportId, this.position) });
      this.position += 1;
      const rest = whole.subarray(size);
      this.pending = rest.length > 0 ? [Buffer.from(rest)] : [];
      this.pendingBytes = rest.length;
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.bytesWritten += chunk.length;
    this.cut(false);
    // More than a few chunks waiting (a batch that compresses badly): write them now.
    if (this.ready.length >= 4) {
      this.flushReady().then(
        () => {
          callback();
        },
        (error: unknown) => {
          callback(error instanceof Error ? error : new Error('écriture de l’export en échec'));
        },
      );
      return;
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.cut(true);
    callback();
  }

  /** Throws the failure of an earlier write, if any. */
  throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  takeReady(): { position: number; content: Uint8Array }[] {
    const ready = this.ready;
    this.ready = [];
    return ready;
  }
}

/** A batch as cells, the usagers it names, and where the next one starts. */
interface CellBatch {
  readonly cells: readonly CellValue[][];
  readonly userIds: readonly number[];
  readonly cursor: BatchCursor | null;
}

/** The first window of starts: one day. */
const INITIAL_WINDOW_MS = 86_400_000;
const MIN_WINDOW_MS = 60_000;
const MAX_WINDOW_MS = 400 * 86_400_000;

/** The next window's width: doubled after a thin window (under half a batch), halved after a thick one (over four batches). */
export function nextWindowWidth(widthMs: number, rowsInWindow: number, batchSize: number): number {
  if (rowsInWindow < batchSize / 2) return Math.min(widthMs * 2, MAX_WINDOW_MS);
  if (rowsInWindow > batchSize * 4) return Math.max(Math.floor(widthMs / 2), MIN_WINDOW_MS);
  return widthMs;
}

async function cellsOf<Row>(batch: Promise<Batch<Row>>, toCells: (row: Row) => CellValue[]): Promise<CellBatch> {
  const { rows, userIds, cursor } = await batch;
  return { cells: rows.map(toCells), userIds, cursor };
}

function storedSelection(claimed: ClaimedExport): AppointmentListSelection {
  const filters = claimed.filters;
  const status = filters.status;
  return {
    agentId: filters.agentId,
    motifId: filters.motifId,
    placeId: filters.placeId,
    status: status === 'a-venir' || status === 'a-renseigner' || status === 'vu' || status === 'absent' || status === 'excuse' || status === 'annule' ? status : undefined,
    fromDay: filters.fromDay,
    toDay: filters.toDay,
  };
}

/** Produces one claimed export to its end: done, failed (with a French message), or lease lost. */
export async function produceExport(context: AppContext, claimed: ClaimedExport, keys: ChunkKeys, options: ProductionOptions = DEFAULT_PRODUCTION_OPTIONS): Promise<ProductionOutcome> {
  const db: Kysely<Database> = context.db;
  const lease = { exportId: claimed.id, attempt: claimed.attempt };
  const fail = async (message: string): Promise<ProductionOutcome> => ((await failExport(db, lease, message, context.now())) ? 'failed' : 'lease-lost');

  // The same visibility as the agent's list, as of now: re-loaded, never trusted from the request.
  const principal = await loadAgentPrincipal(db, claimed.agentId);
  if (principal === undefined || !canAccessOrganisation(principal, claimed.organisationId)) return fail(LOST_ACCESS_MESSAGE);
  let resolved;
  try {
    resolved = await resolveAppointmentListFilters(db, principal, claimed.organisationId, storedSelection(claimed));
  } catch (error) {
    if (error instanceof NotFoundError) return fail(FILTERS_GONE_MESSAGE);
    throw error;
  }
  const settings = await findExportTerritorySettings(db, claimed.organisationId);
  const withCaseNumber = settings?.showsCaseNumber ?? false;
  const asOf = claimed.filters.asOf;
  const where = appointmentListCondition(claimed.organisationId, resolved.scope, resolved.filters, asOf);
  const isAppointments = claimed.kind === 'appointments';
  const bounds = await findRowBounds(db, where, claimed.kind);
  const rowsTotal = bounds.total;
  const cellContext: CellContext = {
    statusLabel: (status, startsAt) => statusDisplay(status, startsAt, asOf).label,
    organisationTimeZone: resolved.organisation.timeZone,
  };
  const columns: readonly ExportColumn[] = isAppointments ? APPOINTMENT_EXPORT_COLUMNS : participationExportColumns({ withCaseNumber });

  let rowsDone = 0;
  const leaseUntil = (): Date => new Date(context.now().getTime() + options.leaseSeconds * 1000);
  // Progress (and the chunks cut so far) in one fenced transaction; a lost lease stops everything.
  const sink: ChunkSink = new ChunkSink(keys, claimed.id, options.chunkBytes, async () => {
    if (!(await writeProgress(db, lease, { chunks: sink.takeReady(), rowsDone, rowsTotal, lockedUntil: leaseUntil() }))) throw new LeaseLostError();
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Créneau';
  const sheet = workbook.addWorksheet(isAppointments ? 'Rendez-vous' : 'Participations', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, width: column.width, ...(column.numFmt === undefined ? {} : { style: { numFmt: column.numFmt } }) }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();

  const nextBatch: (window: BatchWindow) => Promise<CellBatch> = isAppointments
    ? (window) => cellsOf(findAppointmentBatch(db, where, window, options.batchSize), (row) => appointmentExportCells(row, cellContext))
    : (window) => cellsOf(findParticipationBatch(db, where, window, options.batchSize), (row) => participationExportCells(row, cellContext, { withCaseNumber }));
  const userIds = new Set<number>();
  try {
    // Window by window along the starts (widened while windows are thin, narrowed when thick),
    // batch by batch within a window (keyset after the last row written).
    let window: BatchWindow | null =
      bounds.firstStartMs === null ? null : { organisationId: claimed.organisationId, fromMs: bounds.firstStartMs, toMs: bounds.firstStartMs + INITIAL_WINDOW_MS, after: null };
    let rowsInWindow = 0;
    while (window !== null && bounds.lastStartMs !== null) {
      const batch = await nextBatch(window);
      for (const cells of batch.cells) sheet.addRow(cells).commit();
      for (const id of batch.userIds) userIds.add(id);
      rowsDone += batch.cells.length;
      rowsInWindow += batch.cells.length;
      if (batch.cells.length === options.batchSize) {
        window = { ...window, after: batch.cursor };
      } else {
        const width = nextWindowWidth(window.toMs - window.fromMs, rowsInWindow, options.batchSize);
        window = window.toMs > bounds.lastStartMs ? null : { organisationId: claimed.organisationId, fromMs: window.toMs, toMs: window.toMs + width, after: null };
        rowsInWindow = 0;
      }
      if (batch.cells.length === 0) continue;
      // Let the zip compress what the batch wrote before the next one is read.
      await new Promise<void>((resolve) => setImmediate(resolve));
      sink.throwIfFailed();
      if (!(await writeProgress(db, lease, { chunks: sink.takeReady(), rowsDone, rowsTotal: Math.max(rowsTotal, rowsDone), lockedUntil: leaseUntil() }))) {
        throw new LeaseLostError();
      }
      options.onBatch?.({ rowsDone, rowsTotal });
      if (options.shouldStop?.() === true) throw new ProductionStoppedError();
    }
    sheet.commit();
    await workbook.commit();
    sink.throwIfFailed();
  } catch (error) {
    sink.destroy();
    if (error instanceof LeaseLostError) return 'lease-lost';
    throw error;
  }

  const now = context.now();
  const fileName = exportFileName(claimed.kind, dateToEpochMinutes(claimed.createdAt), resolved.organisation.timeZone, claimed.publicId);
  const lastChunks = sink.takeReady();
  if (lastChunks.length > 0 && !(await writeProgress(db, lease, { chunks: lastChunks, rowsDone, rowsTotal: rowsDone, lockedUntil: leaseUntil() }))) return 'lease-lost';
  const finished = await finishExport(db, lease, { rowsDone, fileName, byteSize: sink.bytesWritten, finishedAt: now }, async (trx) => {
    // The journal names every usager whose data is in the file, when the file exists (ADR 0024).
    await recordRead(
      trx,
      {
        territoryId: claimed.territoryId,
        organisationId: claimed.organisationId,
        agentId: claimed.agentId,
        kind: 'export',
        userIds: [...userIds],
        reason: claimed.reason,
        details: { exportId: claimed.id, exportKind: claimed.kind, step: 'produced', rows: rowsDone },
      },
      now,
    );
  });
  return finished ? 'done' : 'lease-lost';
}
