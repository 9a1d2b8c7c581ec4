// What both calculators of the benchmark answer: Créneau's use cases (through
// creneau-adapter.ts) and the RDV-Service-Public-style baseline (baseline.ts). Requests carry
// Dates like an HTTP layer would; slots come back in epoch minutes, the engine's unit.

import type { EpochMinutes } from '../../src/shared/time/index.js';

export type Audience = 'public' | 'agent';

/** A bookable slot; structurally a subset of the engine's `Slot`. */
export interface BenchSlot {
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
  /** One agent, or every agent of a joint slot (the first one aligns the slot). */
  readonly agentIds: readonly number[];
  readonly placeId: number | null;
}

/** Slots of one appointment type in [from, to). */
export interface SlotSearchRequest {
  readonly appointmentTypeId: number;
  readonly audience: Audience;
  /** null = every place. */
  readonly placeIds: readonly number[] | null;
  /** null = every agent. */
  readonly agentIds: readonly number[] | null;
  readonly from: Date;
  readonly to: Date;
  readonly now: Date;
}

/** Slots where every agent of `agentIds` (two or more; the first aligns) is open and free. */
export interface JointSlotSearchRequest {
  readonly appointmentTypeId: number;
  readonly audience: 'agent';
  readonly agentIds: readonly number[];
  readonly from: Date;
  readonly to: Date;
  readonly now: Date;
}

/**
 * Earliest slot per place of a motif offered by several organisations of a territory
 * ("motif name + location type"), as the public place-selection page shows it.
 */
export interface NextAvailabilityRequest {
  readonly audience: 'public';
  readonly territoryId: number;
  readonly motifName: string;
  readonly locationType: 'public_office';
  /** The appointment types of the territory with that name and location type, bookable by everyone. */
  readonly appointmentTypeIds: readonly number[];
  /** Every place of the territory. */
  readonly placeIds: readonly number[];
  readonly now: Date;
  /** End of the search horizon (exclusive): now + 92 days; booking notices still apply. */
  readonly horizonEnd: Date;
}

export interface SlotCalculator {
  readonly name: string;
  /** Slots, one per agent, place and start (public de-duplication is optional: the comparison does it). */
  searchSlots(request: SlotSearchRequest): Promise<readonly BenchSlot[]>;
  searchJointSlots(request: JointSlotSearchRequest): Promise<readonly BenchSlot[]>;
  /** Earliest slot per place id; places without a slot in the horizon are absent. */
  findNextAvailability(request: NextAvailabilityRequest): Promise<ReadonlyMap<number, BenchSlot>>;
}
