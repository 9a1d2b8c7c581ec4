import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { renderDocument } from '../../platform/views/jsx.js';
import { listTerritorySummaries } from './home.repository.js';
import { HomePage } from './views/home-page.js';

/** `GET /`: the landing page. */
export function registerHomeRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/', async (_request, reply) => {
    const territories = await listTerritorySummaries(context.db);
    return reply.type('text/html; charset=utf-8').send(renderDocument(HomePage({ territories })));
  });
}
