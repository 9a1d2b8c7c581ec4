// Route of the slot search: schema → guards (agent, organisation) → one use case → page. The use
// case answers 404 for a motif, agent, team or place the principal may not use or see.
import type { AppContext } from '../../platform/context.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { csrfToken } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { agentGuards, agentOf } from '../agents/index.js';
import { organisationParams, slotSearchQuery } from './slot-search.schemas.js';
import { searchAgentSlots } from './slot-search.use-cases.js';
import { SlotSearchPage } from './views/slot-search-page.js';

/** `''` (a select's empty option) and absent both mean "no value". */
function present<T>(value: T | '' | undefined): T | undefined {
  return value === '' ? undefined : value;
}

export function registerSlotSearchRoutes(app: ZodApp, context: AppContext): void {
  const { requireAgent, requireOrganisation } = agentGuards(context);
  app.get(
    '/agents/organisations/:organisationId/creneaux',
    { schema: { params: organisationParams, querystring: slotSearchQuery }, preHandler: [requireAgent, requireOrganisation] },
    async (request, reply) => {
      const query = request.query;
      const model = await searchAgentSlots(context.db, {
        principal: agentOf(request),
        organisationId: request.params.organisationId,
        query: {
          submitted: Object.keys(query).length > 0,
          motifId: present(query.motif),
          agentIds: query.agents ?? [],
          teamIds: query.equipes ?? [],
          placeIds: query.lieux ?? [],
          partnerId: present(query.binome),
          fromDay: present(query.du),
        },
        now: context.now(),
      });
      const statusCode = Object.keys(model.errors).length > 0 ? 422 : 200;
      return sendPage(reply, SlotSearchPage({ principal: agentOf(request), csrfToken: csrfToken(request), model }), { private: true, statusCode });
    },
  );
}
