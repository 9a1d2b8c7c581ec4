import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, findUserId, newKey } from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { dateToEpochMinutes, epochMinutesToDate, localDayOf } from '../../shared/time/index.js';
import { createInvitation, openInvitation, type InvitationScope } from '../invitations/index.js';
import { confirmBooking } from './confirm.use-cases.js';
import {
  findMotifChoice,
  listWhereToBook,
  loadCatalogue,
  loadWeekOfSlots,
  locationForInvitation,
  mondayOf,
  resolveChosenSlot,
  resolveScope,
  type FunnelScope,
  type SearchLocation,
} from './funnel.use-cases.js';

const SUIVI_RSA = 'Suivi RSA avec votre référent';

describe('follow-up motifs through a partner invitation', () => {
  let database: TestDatabase;
  let melunId: number;
  let julienId: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    melunId = (await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow()).id;
    // Julien Petit, Melun's RSA agent, is the referent of the first three demo usagers (Karim among them).
    julienId = (await database.db.selectFrom('agents').select('id').where('first_name', '=', 'Julien').where('last_name', '=', 'Petit').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await database.destroy();
  });

  /** Invites the usager to the RSA follow-up category at Melun and opens the link, as the route does. */
  async function openFollowUpInvitation(userId: number): Promise<{ invitation: InvitationScope; location: SearchLocation; scope: FunnelScope }> {
    const created = await createInvitation(database.db, { userId, motifCategoryShortName: 'rsa_accompagnement', organisationIds: [melunId], partner: 'rdv-insertion', now: NOW });
    if (!created.ok) throw new Error(`invitation refusée : ${created.reason}`);
    const opened = await openInvitation(database.db, { token: created.token, now: NOW });
    if (!opened.ok) throw new Error(`invitation non ouverte : ${opened.reason}`);
    const location = await locationForInvitation(database.db, opened.invitation);
    if (location === null) throw new Error('invitation sans organisation');
    const scope = await resolveScope(database.db, location);
    if (scope === null) throw new Error('territoire inconnu');
    return { invitation: opened.invitation, location, scope };
  }

  it('offers a follow-up-only motif to an invited usager with a referent, with the referent’s slots only, and books it', async () => {
    const karimId = await findUserId(database.db, 'Karim');
    const { invitation, location, scope } = await openFollowUpInvitation(karimId);
    expect(invitation.referentAgentIds).toContain(julienId);

    const catalogue = await loadCatalogue(database.db, scope);
    const motif = catalogue.motifs.find((candidate) => candidate.name === SUIVI_RSA);
    expect(motif).toMatchObject({ isFollowUpOnly: true, organisationId: melunId });
    const selection = findMotifChoice(catalogue, motif!.id);
    expect(selection).not.toBeNull();

    const where = await listWhereToBook(database.db, scope, selection!, location, NOW);
    expect(where.kind).toBe('places');
    if (where.kind !== 'places') return;
    expect(where.places.length).toBeGreaterThan(0);
    const place = where.places[0]!;

    const week = await loadWeekOfSlots(database.db, scope, selection!, { placeId: place.place.id }, mondayOf(localDayOf(place.nextSlot.timeZone, place.nextSlot.startsAtEpochMinutes)), NOW);
    expect(week).not.toBeNull();
    expect(week!.slots.length).toBeGreaterThan(0);
    expect(week!.slots.every((slot) => slot.agentIds.every((agentId) => invitation.referentAgentIds.includes(agentId)))).toBe(true);

    const slot = week!.slots[0]!;
    const chosen = await resolveChosenSlot(database.db, scope, selection!, { placeId: place.place.id }, slot.startsAtEpochMinutes, null, NOW);
    expect(chosen).toMatchObject({ stillOffered: true, placeId: place.place.id });
    const booked = await confirmBooking(database.db, {
      userId: karimId,
      invited: true,
      appointmentTypeId: chosen!.appointmentTypeId,
      startsAt: epochMinutesToDate(chosen!.startsAtEpochMinutes),
      placeId: chosen!.placeId,
      allowedAgentIds: chosen!.allowedAgentIds,
      collectiveAppointmentId: null,
      form: { firstName: 'Karim', lastName: 'Haddad', birthDate: null, phoneNumber: '06 12 34 56 02', phoneE164: '+33612345602', address: null, beneficiary: { kind: 'self' } },
      idempotencyKey: newKey(),
      now: NOW,
    });
    expect(booked.ok).toBe(true);
    if (!booked.ok) return;
    expect(booked.appointment.agentIds).toEqual([julienId]);
    expect(dateToEpochMinutes(booked.appointment.startsAt)).toBe(slot.startsAtEpochMinutes);
  });

  it('offers the motif but no place to an invited usager without a referent', async () => {
    const moussaId = await findUserId(database.db, 'Moussa');
    const { invitation, location, scope } = await openFollowUpInvitation(moussaId);
    expect(invitation.referentAgentIds).toEqual([]);

    const catalogue = await loadCatalogue(database.db, scope);
    const motif = catalogue.motifs.find((candidate) => candidate.name === SUIVI_RSA);
    expect(motif).toMatchObject({ isFollowUpOnly: true });
    const where = await listWhereToBook(database.db, scope, findMotifChoice(catalogue, motif!.id)!, location, NOW);
    expect(where).toEqual({ kind: 'places', places: [] });
  });
});
