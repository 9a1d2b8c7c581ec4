import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { migrationState } from '../db/migrator.js';

/** `GET /health`: database reachability and migration state, as JSON (503 when not ready). */
export function registerHealthRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/health', async (_request, reply) => {
    const startedAt = performance.now();
    try {
      await sql`SELECT 1`.execute(context.db);
      const state = await migrationState(context.db);
      const ready = state.pending.length === 0;
      return await reply.status(ready ? 200 : 503).send({
        status: ready ? 'ok' : 'migrations_pending',
        database: {
          backend: context.backend,
          reachable: true,
          latencyMs: Math.round((performance.now() - startedAt) * 10) / 10,
        },
        migrations: { applied: state.applied.length, latest: state.applied.at(-1) ?? null, pending: state.pending },
      });
    } catch (error) {
      app.log.warn({ err: error }, 'health check failed');
      return reply.status(503).send({
        status: 'database_unreachable',
        database: { backend: context.backend, reachable: false },
      });
    }
  });
}
