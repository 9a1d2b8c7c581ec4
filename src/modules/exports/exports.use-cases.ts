// Use cases of the exports (ADR 0024): ask for an export of the appointment list as filtered,
// list one's exports, and open a finished file. Every step leaves its line in the read journal:
// the request (with the reason, when the territory asks for one), the production (with the ids
// of every usager in the file, export-production.ts) and each download.
import type { Kysely } from 'kysely';
import type { Database, ExportKind } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/errors.js';
import { dateToEpochMinutes } from '../../shared/time/index.js';
import { resolveAppointmentListFilters, type AppointmentListSelection } from '../agenda/index.js';
import type { AgentPrincipal } from '../agents/index.js';
import { recordRead } from '../read-journal/index.js';
import {
  countChunks,
  countExportsInProgress,
  findAgentExport,
  findAgentExports,
  findExportTerritorySettings,
  findProducedUserIds,
  insertExport,
  lockAgentForExportRequest,
  type ExportSummary,
} from './exports.repository.js';

/** Exports waiting or in production at once, per agent. */
export const MAX_EXPORTS_IN_PROGRESS = 3;
/** Exports listed on the page (the newest). */
export const LISTED_EXPORTS = 50;
/** Longest reason kept (the journal's bound). */
export const MAX_REASON_LENGTH = 500;

export interface ExportRequest {
  readonly principal: AgentPrincipal;
  readonly organisationId: number;
  readonly kind: ExportKind;
  readonly selection: AppointmentListSelection;
  /** As typed; checked here. */
  readonly reason: string | undefined;
  readonly now: Date;
  readonly retentionHours: number;
}

export type ExportRequestResult =
  | { readonly ok: true; readonly publicId: string }
  | { readonly ok: false; readonly reason: 'REASON_REQUIRED' | 'REASON_INVALID'; readonly message: string }
  | { readonly ok: false; readonly reason: 'TOO_MANY'; readonly message: string };

// eslint-disable-next-line no-control-regex -- a reason is text: no control characters but line breaks and tabs
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The reason as the journal keeps it, or the French message that refuses it. */
export function checkReason(typed: string | undefined, required: boolean): { ok: true; reason: string | null } | { ok: false; kind: 'REASON_REQUIRED' | 'REASON_INVALID'; message: string } {
  const reason = (typed ?? '').trim();
  if (reason === '') return required ? { ok: false, kind: 'REASON_REQUIRED', message: 'Indiquez le motif de cet export.' } : { ok: true, reason: null };
  if (reason.length > MAX_REASON_LENGTH) return { ok: false, kind: 'REASON_INVALID', message: `Le motif ne doit pas dépasser ${String(MAX_REASON_LENGTH)} caractères.` };
  if (CONTROL_CHARACTERS.test(reason)) return { ok: false, kind: 'REASON_INVALID', message: 'Le motif contient des caractères non autorisés.' };
  return { ok: true, reason };
}

/** Whether the territory of the organisation asks why before an export. */
export async function isReasonRequired(db: Kysely<Database>, organisationId: number): Promise<boolean> {
  return (await findExportTerritorySettings(db, organisationId))?.readReasonRequired ?? false;
}

/**
 * Queues an export of the list as the agent filtered it. The filters are checked as the list
 * checks them (a hidden agent, a foreign place or motif: 404); at most
 * MAX_EXPORTS_IN_PROGRESS per agent, counted under a lock on the agent's row; the request and
 * its journal line are written in one transaction.
 */
export async function requestExport(db: Kysely<Database>, request: ExportRequest): Promise<ExportRequestResult> {
  const { principal, organisationId, now } = request;
  await resolveAppointmentListFilters(db, principal, organisationId, request.selection);
  const settings = await findExportTerritorySettings(db, organisationId);
  if (settings === undefined) throw new NotFoundError();
  const reason = checkReason(request.reason, settings.readReasonRequired);
  if (!reason.ok) return { ok: false, reason: reason.kind, message: reason.message };
  return db.transaction().execute(async (trx) => {
    await lockAgentForExportRequest(trx, principal.agentId);
    if ((await countExportsInProgress(trx, principal.agentId, now)) >= MAX_EXPORTS_IN_PROGRESS) {
      return {
        ok: false,
        reason: 'TOO_MANY',
        message: `Vous avez déjà ${String(MAX_EXPORTS_IN_PROGRESS)} exports en cours de préparation. Attendez qu’ils soient prêts avant d’en demander un autre.`,
      } as const;
    }
    const created = await insertExport(trx, {
      agentId: principal.agentId,
      organisationId,
      territoryId: settings.territoryId,
      kind: request.kind,
      filters: { ...request.selection, asOf: dateToEpochMinutes(now) },
      reason: reason.reason,
      createdAt: now,
      expiresAt: new Date(now.getTime() + request.retentionHours * 3_600_000),
    });
    // Who asked for what, and why; the usagers are named when the file is produced.
    await recordRead(
      trx,
      {
        territoryId: settings.territoryId,
        organisationId,
        agentId: principal.agentId,
        kind: 'export',
        userIds: [],
        reason: reason.reason,
        details: { exportId: created.id, exportKind: request.kind, step: 'requested' },
      },
      now,
    );
    return { ok: true, publicId: created.publicId } as const;
  });
}

/** The agent's exports in the organisation, newest first (expired ones are gone). */
export async function listMyExports(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number, now: Date): Promise<ExportSummary[]> {
  return findAgentExports(db, principal.agentId, organisationId, now, LISTED_EXPORTS);
}

export type OpenedExport =
  | { readonly ok: true; readonly export: ExportSummary & { readonly fileName: string }; readonly chunkCount: number }
  | { readonly ok: false; readonly reason: 'EXPIRED' | 'NOT_READY' };

/**
 * The requesting agent's finished export, before its expiry, and its download's journal line
 * (the usagers of the file, copied from the production's line). Anyone else, or an unknown id:
 * NotFoundError.
 */
export async function openExportFile(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number, publicId: string, now: Date): Promise<OpenedExport> {
  const found = await findAgentExport(db, publicId, principal.agentId, organisationId);
  if (found === undefined) throw new NotFoundError();
  if (found.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'EXPIRED' };
  if (found.status !== 'done' || found.fileName === null) return { ok: false, reason: 'NOT_READY' };
  const settings = await findExportTerritorySettings(db, organisationId);
  if (settings === undefined) throw new NotFoundError();
  const chunkCount = await countChunks(db, found.id);
  await recordRead(
    db,
    {
      territoryId: settings.territoryId,
      organisationId,
      agentId: principal.agentId,
      kind: 'export',
      userIds: await findProducedUserIds(db, found.id, principal.agentId),
      details: { exportId: found.id, exportKind: found.kind, step: 'downloaded' },
    },
    now,
  );
  return { ok: true, export: { ...found, fileName: found.fileName }, chunkCount };
}
