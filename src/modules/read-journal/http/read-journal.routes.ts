// The read journal page (issue 10 §2, ADR 0021):
//   GET /agents/organisations/:organisationId/journal-des-consultations?agent=&usager=&du=&au=&page=
// requireAgent + requireOrganisation, then the policy: territorial admins of the organisation's
// territory only (canManageTerritory); anyone else, and an agent of another territory in
// `agent=`, gets a 404. Reading the journal is not itself journaled (ADR 0021): it shows ids,
// and names only of usagers the admin may open anyway.
import type { AppContext } from '../../../platform/context.js';
import { NotFoundError } from '../../../platform/http/errors.js';
import type { ZodApp } from '../../../platform/http/schemas.js';
import { csrfToken } from '../../../platform/security/index.js';
import { sendPage } from '../../../platform/views/send-page.js';
import { agentGuards, agentOf, canManageTerritory, organisationParams, roleIn } from '../../agents/index.js';
import { JOURNAL_MAX_PAGE, parseJournalFilters } from '../domain/journal-filters.js';
import { listJournal, listTerritoryAgents, visibleUserNames } from '../read-journal.queries.js';
import { ReadJournalPage } from '../views/read-journal-page.js';
import { journalQuery } from './read-journal.schemas.js';
import type { JournalUsersPort } from './users-port.js';

export function registerReadJournalRoutes(app: ZodApp, context: AppContext, users: JournalUsersPort): void {
  const { db } = context;
  const { requireAgent, requireOrganisation } = agentGuards(context);

  app.get(
    '/agents/organisations/:organisationId/journal-des-consultations',
    { preHandler: [requireAgent, requireOrganisation], schema: { params: organisationParams, querystring: journalQuery } },
    async (request, reply) => {
      const { organisationId } = request.params;
      const principal = agentOf(request);
      const role = roleIn(principal, organisationId);
      if (role === undefined || !canManageTerritory(principal, role.territoryId)) throw new NotFoundError();
      const territory = await db.selectFrom('territories').select('name').where('id', '=', role.territoryId).executeTakeFirstOrThrow();
      const agents = await listTerritoryAgents(db, role.territoryId);
      const check = parseJournalFilters(request.query, role.timeZone);
      if (check.ok && check.filters.agentId !== undefined && !agents.some((agent) => agent.id === check.filters.agentId)) throw new NotFoundError();
      const found = check.ok ? await listJournal(db, role.territoryId, check.filters) : undefined;
      const page = found === undefined ? undefined : { rows: found.rows, hasNext: found.hasNext && check.ok && check.filters.page < JOURNAL_MAX_PAGE };
      const condition = page === undefined ? undefined : await users.visibleCondition(db, principal, organisationId);
      const names = condition === undefined || page === undefined ? new Map<number, string>() : await visibleUserNames(db, condition, page.rows.flatMap((row) => row.userIds));
      const view = ReadJournalPage({
        principal,
        organisationId,
        csrfToken: csrfToken(request),
        timeZone: role.timeZone,
        territoryName: territory.name,
        agents,
        values: request.query,
        errors: check.ok ? {} : check.errors,
        currentPage: check.ok ? check.filters.page : 1,
        page,
        names,
      });
      return sendPage(reply, view, { statusCode: check.ok ? 200 : 422, private: true });
    },
  );
}
