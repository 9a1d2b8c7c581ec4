import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/schema.js';
import { currentImpersonator, impersonationAuditPlugin, markImpersonation, runInAuditContext } from './impersonation-context.js';

const db = new Kysely<Database>({
  dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (kysely) => new PostgresIntrospector(kysely), createQueryCompiler: () => new PostgresQueryCompiler() },
  plugins: [impersonationAuditPlugin],
});

const auditInsert = () => db.insertInto('audit_log').values({ actor_type: 'agent', actor_id: 7, action: 'create', subject_type: 'absence', subject_id: 3, territory_id: 1, details: '{}' });

describe('impersonation audit context', () => {
  it('adds the impersonator to audit inserts of a marked request only', async () => {
    expect(auditInsert().compile().sql).not.toContain('impersonator_agent_id');
    await runInAuditContext(async () => {
      await Promise.resolve();
      expect(auditInsert().compile().sql).not.toContain('impersonator_agent_id');
      markImpersonation(42);
      await Promise.resolve();
      expect(currentImpersonator()).toBe(42);
      const compiled = auditInsert().compile();
      expect(compiled.sql).toContain('"impersonator_agent_id"');
      expect(compiled.parameters.at(-1)).toBe(42);
      // Other tables are untouched.
      expect(db.insertInto('territories').values({ departement_number: '14', name: 'x' }).compile().sql).not.toContain('impersonator');
    });
    // Another request does not inherit the mark.
    runInAuditContext(() => {
      expect(currentImpersonator()).toBeUndefined();
    });
    markImpersonation(1);
    expect(currentImpersonator()).toBeUndefined();
  });
});
