// Which free agent gets a public booking when the usager did not pick one. RDV-Solidarités gives
// it to the first agent found, so one agent fills up while a colleague's agenda stays empty; we
// spread the load: the agent with the fewest booked minutes that day, then a tie-break derived
// from the request (stable for a retry of the same request, different between requests).
import { createHash } from 'node:crypto';

export interface AgentLoad {
  readonly agentId: number;
  /** Minutes of active appointments of that agent on the appointment's local day. */
  readonly bookedMinutes: number;
}

function tieBreak(seed: string, agentId: number): string {
  return createHash('sha256').update(`${seed}\n${String(agentId)}`).digest('hex');
}

/** Candidates from the most to the least suitable: least booked first, then the request's tie-break. */
export function rankAgents(loads: readonly AgentLoad[], seed: string): number[] {
  return [...loads]
    .sort((a, b) => a.bookedMinutes - b.bookedMinutes || tieBreak(seed, a.agentId).localeCompare(tieBreak(seed, b.agentId)))
    .map((load) => load.agentId);
}
