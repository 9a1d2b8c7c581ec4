import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW } from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { expectEveryFieldPresent, expectKeys, expectRawRowKeys, recordRawRows } from '../../../test/support/row-keys.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { findOfferedMotifs, type BookableScope } from './funnel.repository.js';

const OFFERED_MOTIF_COLUMNS = [
  'id',
  'organisation_id',
  'service_id',
  'service_name',
  'name',
  'location_type',
  'is_collective',
  'is_follow_up_only',
  'sectorisation_level',
  'restriction_for_booking',
  'instruction_for_booking',
];

const OFFERED_MOTIF_KEYS = [
  'id',
  'organisationId',
  'serviceId',
  'serviceName',
  'name',
  'locationType',
  'isCollective',
  'isFollowUpOnly',
  'sectorisationLevel',
  'restrictionForBooking',
  'instructionForBooking',
];

describe('funnel repository: raw SQL rows', () => {
  let database: TestDatabase;
  let territoryId: number;
  let melunId: number;
  let accompagnementId: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    territoryId = (await database.db.selectFrom('territories').select('id').where('departement_number', '=', '77').executeTakeFirstOrThrow()).id;
    melunId = (await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow()).id;
    accompagnementId = (await database.db.selectFrom('motif_categories').select('id').where('short_name', '=', 'rsa_accompagnement').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await database.destroy();
  });

  describe('findOfferedMotifs', () => {
    it('selects every column its row type declares, for the ordinary funnel', async () => {
      const recorder = recordRawRows(database.db);
      const scope: BookableScope = { territoryId, sectorOrganisationIds: [melunId], agentOrganisationIds: [] };
      const motifs = await findOfferedMotifs(recorder.db, scope);

      expectRawRowKeys(recorder.onlyQueryRows(), OFFERED_MOTIF_COLUMNS);
      expect(motifs.length).toBeGreaterThan(0);
      for (const motif of motifs) expectKeys(motif, OFFERED_MOTIF_KEYS);
      expectEveryFieldPresent(motifs);
      // Selected NULLs stay null: motifs without restriction or instruction are in the demo.
      expect(motifs.some((motif) => motif.restrictionForBooking === null)).toBe(true);
      expect(motifs.some((motif) => motif.restrictionForBooking !== null)).toBe(true);
      expect(motifs.some((motif) => motif.instructionForBooking === null)).toBe(true);
      expect(motifs.every((motif) => !motif.isFollowUpOnly)).toBe(true);
    });

    it('selects every column its row type declares, for an invitation, and flags follow-up motifs', async () => {
      const recorder = recordRawRows(database.db);
      const scope: BookableScope = {
        territoryId,
        sectorOrganisationIds: [melunId],
        agentOrganisationIds: [],
        onlyOrganisationIds: [melunId],
        invitationMotifCategoryId: accompagnementId,
      };
      const motifs = await findOfferedMotifs(recorder.db, scope);

      expectRawRowKeys(recorder.onlyQueryRows(), OFFERED_MOTIF_COLUMNS);
      expect(motifs.length).toBeGreaterThan(0);
      for (const motif of motifs) expectKeys(motif, OFFERED_MOTIF_KEYS);
      expectEveryFieldPresent(motifs);
      expect(motifs.find((motif) => motif.name === 'Suivi RSA avec votre référent')).toMatchObject({ isFollowUpOnly: true, organisationId: melunId });
    });
  });
});
