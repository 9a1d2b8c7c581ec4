/**
 * Who really acts during an impersonation (ADR 0032). A super admin « connecté en tant que » an
 * agent acts with the agent's principal, so every module writes its audit entries with the
 * agent as the actor — modules build their `Actor` from the principal's agent id, and changing
 * each of them would miss the next one. Instead, the request runs in an async context (one
 * `onRequest` hook, `AsyncLocalStorage`) which the agent guard marks with the super admin's id,
 * and a Kysely plugin adds `impersonator_agent_id` to every `INSERT INTO audit_log` compiled in
 * that context, whichever module writes it (query builder; raw SQL is not rewritten — no module
 * writes audit entries that way).
 *
 * Outside a request, or in a request without impersonation, the plugin changes nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ColumnNode,
  InsertQueryNode,
  PrimitiveValueListNode,
  ValueListNode,
  ValueNode,
  ValuesNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/** The mutable facts of one request that audit writes need. */
export interface AuditRequestContext {
  /** The super admin acting as the signed-in agent, if any. */
  impersonatorAgentId?: number;
}

const storage = new AsyncLocalStorage<AuditRequestContext>();

/** Runs `next` (the rest of a request's lifecycle) in a fresh audit context. */
export function runInAuditContext<T>(next: () => T): T {
  return storage.run({}, next);
}

/** Marks the current request as made by a super admin acting as the agent. No-op outside a request. */
export function markImpersonation(impersonatorAgentId: number): void {
  const context = storage.getStore();
  if (context !== undefined) context.impersonatorAgentId = impersonatorAgentId;
}

/** The impersonating super admin of the current request, if any. */
export function currentImpersonator(): number | undefined {
  return storage.getStore()?.impersonatorAgentId;
}

const AUDIT_TABLE = 'audit_log';
const IMPERSONATOR_COLUMN = 'impersonator_agent_id';

/** Adds the impersonator's column and value to an INSERT INTO audit_log; other queries unchanged. */
export function withImpersonator(node: RootOperationNode, impersonatorAgentId: number): RootOperationNode {
  if (!InsertQueryNode.is(node) || node.into?.table.identifier.name !== AUDIT_TABLE || node.columns === undefined || node.values === undefined) return node;
  if (node.columns.some((column) => column.column.name === IMPERSONATOR_COLUMN)) return node;
  const values: OperationNode = node.values;
  if (!ValuesNode.is(values)) return node;
  const rows = values.values.map((row) =>
    PrimitiveValueListNode.is(row) ? PrimitiveValueListNode.create([...row.values, impersonatorAgentId]) : ValueListNode.create([...row.values, ValueNode.create(impersonatorAgentId)]),
  );
  const rewritten: InsertQueryNode = { ...node, columns: [...node.columns, ColumnNode.create(IMPERSONATOR_COLUMN)], values: ValuesNode.create(rows) };
  return rewritten;
}

/** The Kysely plugin every database handle carries (platform/db/database.ts). */
export const impersonationAuditPlugin: KyselyPlugin = {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const impersonator = currentImpersonator();
    return impersonator === undefined ? args.node : withImpersonator(args.node, impersonator);
  },
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  },
};
