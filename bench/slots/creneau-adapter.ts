// Créneau's side of the benchmark: the calculator interface of calculator.ts mapped onto the
// availability module's public use cases (the same ones the booking pages call).
//
// Contract (checked slot for slot against the baseline, see bench/README.md "Semantics"):
// - searchSlots: every bookable start in [from, to) for the appointment type, restricted to
//   placeIds / agentIds when given; public audience applies the booking notice, agent audience
//   only hides starts before `now`.
// - searchJointSlots: starts where every agent of agentIds is open for the type (same place for
//   office visits) and free; aligned on the first agent's occurrences.
// - findNextAvailability: earliest start per place over [now, horizonEnd) for the motif (same
//   name and location type in the territory), with each type's booking notice.
import type { Kysely } from 'kysely';
import { findNextAvailabilities, searchJointSlots, searchSlots } from '../../src/modules/availability/index.js';
import type { Database } from '../../src/platform/db/schema.js';
import type { SlotCalculator } from './calculator.js';

/** Créneau's calculator over a database. */
export function createCreneauCalculator(db: Kysely<Database>): SlotCalculator {
  return {
    name: 'creneau',
    searchSlots: (request) =>
      searchSlots(db, {
        appointmentTypeId: request.appointmentTypeId,
        audience: request.audience,
        from: request.from,
        to: request.to,
        now: request.now,
        filters: { placeIds: request.placeIds, agentIds: request.agentIds },
      }),
    searchJointSlots: (request) =>
      searchJointSlots(db, {
        appointmentTypeId: request.appointmentTypeId,
        agentIds: request.agentIds,
        from: request.from,
        to: request.to,
        now: request.now,
      }),
    findNextAvailability: async (request) => {
      const [representative] = request.appointmentTypeIds;
      if (representative === undefined) return new Map();
      return findNextAvailabilities(db, {
        appointmentTypeId: representative,
        appointmentTypeIds: request.appointmentTypeIds,
        audience: request.audience,
        now: request.now,
        until: request.horizonEnd,
        filters: { placeIds: request.placeIds },
      });
    },
  };
}
