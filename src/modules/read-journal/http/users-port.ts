// Which usagers' names the journal page may show: the users module decides (ADR 0019, one
// definition of the agent's scope). The users module itself writes to the journal (recordRead),
// so the journal cannot import it without a cycle: app.ts hands its two functions over, composed
// here.
import type { Expression, Kysely, SqlBool } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { AgentPrincipal } from '../../agents/index.js';

export interface JournalUsersPort {
  /** The usagers this agent may see from this organisation, as a condition on `users as u`; undefined: none. */
  visibleCondition(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number): Promise<Expression<SqlBool> | undefined>;
}

/** The port from the users module's `usersScopeOf` and `knownUsersCondition`. */
export function journalUsersPort<Scope>(
  scopeOf: (db: Kysely<Database>, principal: AgentPrincipal, organisationId: number) => Promise<Scope | undefined>,
  condition: (scope: Scope) => Expression<SqlBool>,
): JournalUsersPort {
  return {
    async visibleCondition(db, principal, organisationId) {
      const scope = await scopeOf(db, principal, organisationId);
      return scope === undefined ? undefined : condition(scope);
    },
  };
}
