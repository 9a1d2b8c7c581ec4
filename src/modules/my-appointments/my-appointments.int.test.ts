import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../app.js';
import { createTestContext } from '../../../test/support/app.js';
import { InjectSession, linksStartingWith } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import type * as LoggerModule from '../../platform/logger/logger.js';
import { hashPassword } from '../../platform/security/index.js';
import { DEMO_PASSWORD, DEMO_USER_EMAIL, seedDemoTerritory } from '../../seed/index.js';
import { addDays, dateToEpochMinutes, dayNumberToIsoDate, epochMinutesToDate, localDayOf } from '../../shared/time/index.js';
import {
  NOW,
  bookFirstPublicSlot,
  createUser,
  findTypeId,
  findUserId,
  isOffered,
  newKey,
} from '../../../test/support/appointments.js';
import { issueAccessToken } from '../access-tokens/index.js';
import { bookAppointment, joinCollectiveAppointment, type BookedAppointment } from '../appointments/index.js';

// Request logs go to this array when an app of this file runs with a log level (most run silent).
const logs = vi.hoisted(() => ({ lines: [] as string[] }));
vi.mock('../../platform/logger/logger.js', async (importOriginal) => {
  const original = await importOriginal<typeof LoggerModule>();
  return {
    ...original,
    loggerOptions: (level: string) => ({ ...original.loggerOptions(level), stream: { write: (line: string) => logs.lines.push(line) } }),
  };
});

const PUERICULTURE = 'Consultation de puériculture';
const HOUR_MS = 3_600_000;

describe('"Mes rendez-vous" and appointment links', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let camille: InjectSession;
  let puericultureId: number;
  let camilleId: number;
  let noeId: number;

  async function signIn(target: FastifyInstance, email: string, password: string): Promise<InjectSession> {
    const browser = new InjectSession(target);
    await browser.get('/connexion');
    const response = await browser.post('/connexion', { email, motDePasse: password });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/mes-rdv');
    return browser;
  }

  /** Books the first public slot of puériculture from `dayOffset` days on, by Camille for `userId`. */
  const book = (dayOffset: number, userId: number = camilleId): Promise<BookedAppointment> =>
    bookFirstPublicSlot(database.db, puericultureId, dayOffset, userId, camilleId);

  async function statusOf(appointmentId: number): Promise<string> {
    const row = await database.db.selectFrom('participations').select('status').where('appointment_id', '=', appointmentId).executeTakeFirstOrThrow();
    return row.status;
  }

  async function startsAtOf(appointmentId: number): Promise<Date> {
    const row = await database.db
      .selectFrom('appointments')
      .select((eb) => eb.fn<Date>('lower', [eb.ref('during')]).as('starts_at'))
      .where('id', '=', appointmentId)
      .executeTakeFirstOrThrow();
    return new Date(row.starts_at);
  }

  function weekOf(appointment: BookedAppointment, plusDays = 0): string {
    return dayNumberToIsoDate(addDays(localDayOf(appointment.timeZone, dateToEpochMinutes(appointment.startsAt)), plusDays));
  }

  function offeredStarts(html: string): number[] {
    return [...html.matchAll(/name="debut" value="(\d+)"/g)].map((match) => Number(match[1]));
  }

  function idempotencyKeyOf(html: string): string {
    const key = /name="cle" value="([^"]+)"/.exec(html)?.[1];
    if (key === undefined) throw new Error('pas de clé d’idempotence dans le formulaire');
    return key;
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    app = await buildApp(createTestContext(database, NOW));
    await app.ready();
    puericultureId = await findTypeId(database.db, 'mds-melun', PUERICULTURE);
    camilleId = await findUserId(database.db, 'Camille');
    noeId = await findUserId(database.db, 'Noé');
    camille = await signIn(app, DEMO_USER_EMAIL, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  describe('signed-in usager', () => {
    it('sends a visitor to the sign-in page first, coming back afterwards', async () => {
      const list = await app.inject({ method: 'GET', url: '/mes-rdv' });
      expect(list.statusCode).toBe(303);
      expect(list.headers.location).toBe('/connexion?retour=/mes-rdv');
      const appointment = await book(3);
      const confirm = await app.inject({ method: 'GET', url: `/mes-rdv/${appointment.publicId}/annuler` });
      expect(confirm.statusCode).toBe(303);
      expect(confirm.headers.location).toBe(`/connexion?retour=/mes-rdv/${appointment.publicId}/annuler`);
    });

    it('lists the usager’s and the child’s appointments, upcoming and past, with their status in French', async () => {
      const forNoe = await book(4, noeId);
      const page = await camille.get('/mes-rdv');
      expect(page.statusCode).toBe(200);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.body.match(/<h1/g)).toHaveLength(1);
      expect(page.body).toContain('À venir');
      expect(page.body).toContain('Rendez-vous passés');
      expect(page.body).toContain('Pour : Noé Durand');
      expect(page.body).toContain(PUERICULTURE);
      expect(page.body).toContain('MDS de Melun');
      expect(linksStartingWith(page.body, `/mes-rdv/${forNoe.publicId}/`)).toContain(`/mes-rdv/${forNoe.publicId}/annuler`);
      // one card per participation of Camille and Noé
      const participations = await database.db.selectFrom('participations').select('id').where('user_id', 'in', [camilleId, noeId]).execute();
      expect(page.body.match(/<article /g)).toHaveLength(participations.length);
      const statuses = await database.db.selectFrom('participations').select('status').where('user_id', 'in', [camilleId, noeId]).execute();
      if (statuses.some((row) => row.status === 'seen')) expect(page.body).toContain('Honoré');
      if (statuses.some((row) => row.status === 'noshow')) expect(page.body).toContain('Absent');
      if (statuses.some((row) => row.status === 'excused')) expect(page.body).toContain('Annulé');
      // no sequential id in the action URLs
      expect(linksStartingWith(page.body, `/mes-rdv/${String(forNoe.id)}/`)).toEqual([]);
    });

    it('cancels after a confirmation page, then refuses a second cancel', async () => {
      const appointment = await book(5);
      const confirm = await camille.get(`/mes-rdv/${appointment.publicId}/annuler`);
      expect(confirm.statusCode).toBe(200);
      expect(confirm.body).toContain('Confirmez-vous l’annulation ?');
      expect(confirm.body).toContain('<button class="fr-btn" type="submit">Oui, annuler le rendez-vous</button>');

      const cancelled = await camille.post(`/mes-rdv/${appointment.publicId}/annuler`, {});
      expect(cancelled.statusCode).toBe(303);
      expect(cancelled.headers.location).toBe('/mes-rdv');
      expect(await statusOf(appointment.id)).toBe('excused');
      const list = await camille.get('/mes-rdv');
      expect(list.body).toContain('est annulé.');
      expect(linksStartingWith(list.body, `/mes-rdv/${appointment.publicId}/annuler`)).toEqual([]);
      // the notice shows once
      expect((await camille.get('/mes-rdv')).body).not.toContain('est annulé.');

      const again = await camille.post(`/mes-rdv/${appointment.publicId}/annuler`, {});
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain('Ce rendez-vous est déjà annulé.');
    });

    it('explains the 4-hour deadline in French when it is too late to cancel online', async () => {
      const appointment = await book(2);
      const late = new Date(appointment.startsAt.getTime() - 2 * HOUR_MS);
      const lateApp = await buildApp(createTestContext(database, late));
      await lateApp.ready();
      try {
        const browser = await signIn(lateApp, DEMO_USER_EMAIL, DEMO_PASSWORD);
        const list = await browser.get('/mes-rdv');
        expect(list.body).toContain('L’annulation en ligne n’est plus possible moins de 4 heures avant le rendez-vous.');
        expect(linksStartingWith(list.body, `/mes-rdv/${appointment.publicId}/annuler`)).toEqual([]);
        const refused = await browser.post(`/mes-rdv/${appointment.publicId}/annuler`, {});
        expect(refused.statusCode).toBe(409);
        expect(refused.body).toContain('L’annulation en ligne n’est plus possible moins de 4 heures avant le rendez-vous. Appelez Maison départementale des solidarités de Melun au 01 64 00 00 01.');
        expect(await statusOf(appointment.id)).toBe('unknown');
      } finally {
        await lateApp.close();
      }
    });

    it('moves the appointment to another slot of the week; the old slot is free again', async () => {
      const appointment = await book(8);
      const week = await camille.get(`/mes-rdv/${appointment.publicId}/deplacer?semaine=${weekOf(appointment, 7)}`);
      expect(week.statusCode).toBe(200);
      expect(week.body).toContain('Déplacer le rendez-vous');
      const target = offeredStarts(week.body)[0];
      expect(target).toBeDefined();
      const moved = await camille.post(`/mes-rdv/${appointment.publicId}/deplacer`, { debut: String(target), cle: idempotencyKeyOf(week.body) });
      expect(moved.statusCode).toBe(303);
      expect(moved.headers.location).toBe('/mes-rdv');
      expect((await startsAtOf(appointment.id)).getTime()).toBe(epochMinutesToDate(target!).getTime());
      expect(await isOffered(database.db, puericultureId, appointment.startsAt, appointment.placeId)).toBe(true);
      expect((await camille.get('/mes-rdv')).body).toContain('Votre rendez-vous est déplacé au');
    });

    it('re-renders the week with a French message when the chosen slot was just taken', async () => {
      const appointment = await book(9);
      const week = await camille.get(`/mes-rdv/${appointment.publicId}/deplacer?semaine=${weekOf(appointment, 7)}`);
      const target = offeredStarts(week.body)[0]!;
      // Others take every agent of the place at that time meanwhile.
      for (let attempt = 0; attempt < 6; attempt += 1) {
        const other = await createUser(database.db, `Occupant${String(attempt)}`);
        const taken = await bookAppointment(database.db, {
          appointmentTypeId: puericultureId,
          startsAt: epochMinutesToDate(target),
          placeId: appointment.placeId,
          userId: other,
          bookedBy: { type: 'user', userId: other },
          idempotencyKey: newKey(),
          now: NOW,
        });
        if (!taken.ok) break;
      }
      const refused = await camille.post(`/mes-rdv/${appointment.publicId}/deplacer`, { debut: String(target), cle: idempotencyKeyOf(week.body) });
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain('Ce créneau vient d’être pris');
      expect(refused.body).toContain('name="debut"');
      expect(offeredStarts(refused.body)).not.toContain(target);
      expect((await startsAtOf(appointment.id)).getTime()).toBe(appointment.startsAt.getTime());
    });

    it('asks to choose a slot when none was chosen (422)', async () => {
      const appointment = await book(10);
      const week = await camille.get(`/mes-rdv/${appointment.publicId}/deplacer`);
      const refused = await camille.post(`/mes-rdv/${appointment.publicId}/deplacer`, { cle: idempotencyKeyOf(week.body) });
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('Choisissez un nouvel horaire dans la liste.');
      expect(refused.body).toContain('href="#debut"');
      expect(refused.body).toContain('aria-describedby="debut-erreur"');
    });

    it('turns the "earlier slot" alert on and off with buttons', async () => {
      const appointment = await book(11);
      const list = await camille.get('/mes-rdv');
      expect(list.body).toContain(`action="/mes-rdv/${appointment.publicId}/liste-attente"`);
      expect(list.body).toContain('Prévenez-moi si un créneau plus tôt se libère');
      const on = await camille.post(`/mes-rdv/${appointment.publicId}/liste-attente`, { actif: 'oui' });
      expect(on.statusCode).toBe(303);
      const entries = () => database.db.selectFrom('waitlist_entries').select('user_id').where('appointment_id', '=', appointment.id).execute();
      expect(await entries()).toHaveLength(1);
      expect((await camille.get('/mes-rdv')).body).toContain('Ne plus me prévenir');
      const off = await camille.post(`/mes-rdv/${appointment.publicId}/liste-attente`, { actif: 'non' });
      expect(off.statusCode).toBe(303);
      expect(await entries()).toHaveLength(0);
    });

    it('leaves a collective session after confirmation', async () => {
      const session = await database.db
        .selectFrom('appointments')
        .select(['id', 'public_id'])
        .where('is_collective', '=', true)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const joined = await joinCollectiveAppointment(database.db, { appointmentId: session.id, userId: camilleId, idempotencyKey: newKey(), now: NOW });
      expect(joined.ok).toBe(true);
      const redirected = await camille.get(`/mes-rdv/${session.public_id}/annuler`);
      expect(redirected.headers.location).toBe(`/mes-rdv/${session.public_id}/quitter`);
      const confirm = await camille.get(`/mes-rdv/${session.public_id}/quitter`);
      expect(confirm.body).toContain('Confirmez-vous votre désinscription ?');
      const left = await camille.post(`/mes-rdv/${session.public_id}/quitter`, {});
      expect(left.statusCode).toBe(303);
      const participation = await database.db
        .selectFrom('participations')
        .select('status')
        .where('appointment_id', '=', session.id)
        .where('user_id', '=', camilleId)
        .executeTakeFirstOrThrow();
      expect(participation.status).toBe('excused');
    });

    it('downloads the calendar file without the motif', async () => {
      const appointment = await book(12);
      const file = await camille.get(`/mes-rdv/${appointment.publicId}/calendrier.ics`);
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toMatch(/^text\/calendar/);
      expect(file.headers['content-disposition']).toBe('attachment; filename="rendez-vous.ics"');
      expect(file.body).toContain('BEGIN:VCALENDAR');
      const summary = /^SUMMARY:.*$/m.exec(file.body)?.[0] ?? '';
      expect(summary).not.toBe('');
      expect(summary.toLowerCase()).not.toContain('puériculture');
      expect(file.body.toLowerCase()).not.toContain('puériculture');
    });

    it('answers 404 to another usager for every route of someone else’s appointment', async () => {
      const appointment = await book(13);
      await database.db
        .insertInto('users')
        .values({
          first_name: 'Zoé',
          last_name: 'Martin',
          email: 'zoe.martin@example.fr',
          password_hash: await hashPassword('un mot de passe assez long pour Zoé'),
          confirmed_at: NOW,
          created_through: 'seed',
        })
        .execute();
      const zoe = await signIn(app, 'zoe.martin@example.fr', 'un mot de passe assez long pour Zoé');
      const list = await zoe.get('/mes-rdv');
      expect(list.body).not.toContain(appointment.publicId);
      expect(list.body).toContain('Vous n’avez aucun rendez-vous à venir.');
      for (const path of ['annuler', 'quitter', 'deplacer', 'calendrier.ics']) {
        expect((await zoe.get(`/mes-rdv/${appointment.publicId}/${path}`)).statusCode).toBe(404);
      }
      for (const path of ['annuler', 'deplacer', 'liste-attente']) {
        await zoe.get('/mes-rdv');
        expect((await zoe.post(`/mes-rdv/${appointment.publicId}/${path}`, { actif: 'oui', debut: '1', cle: newKey() })).statusCode).toBe(404);
      }
      expect((await zoe.get('/mes-rdv/pas-un-identifiant/annuler')).statusCode).toBe(404);
      expect(await statusOf(appointment.id)).toBe('unknown');
    });
  });

  describe('appointment links (SMS, e-mail)', () => {
    it('opens the appointment with the first three letters of the last name, whatever the case and accents, and cancels it', async () => {
      const appointment = await book(14, noeId);
      const { token } = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: appointment.participationId, now: NOW });
      const visitor = new InjectSession(app);

      const locked = await visitor.get(`/rdv/lien/${token}/rendez-vous`);
      expect(locked.statusCode).toBe(303);
      expect(locked.headers.location).toBe(`/rdv/lien/${token}`);

      const form = await visitor.get(`/rdv/lien/${token}`);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('Les 3 premières lettres du nom de famille');
      const wrong = await visitor.post(`/rdv/lien/${token}`, { lettres: 'Dup' });
      expect(wrong.statusCode).toBe(422);
      expect(wrong.body).toContain('Il vous reste 4 essais.');
      expect(wrong.body).toContain('aria-describedby="lettres-erreur"');
      expect(wrong.body).toContain('value="Dup"');

      const right = await visitor.post(`/rdv/lien/${token}`, { lettres: 'dÛr' });
      expect(right.statusCode).toBe(303);
      expect(right.headers.location).toBe(`/rdv/lien/${token}/rendez-vous`);
      const page = await visitor.get(`/rdv/lien/${token}/rendez-vous`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Votre rendez-vous');
      expect(page.body).toContain(PUERICULTURE);
      expect(linksStartingWith(page.body, `/rdv/lien/${token}/rendez-vous/`)).toContain(`/rdv/lien/${token}/rendez-vous/annuler`);

      const confirm = await visitor.get(`/rdv/lien/${token}/rendez-vous/annuler`);
      expect(confirm.body).toContain('Confirmez-vous l’annulation ?');
      const cancelled = await visitor.post(`/rdv/lien/${token}/rendez-vous/annuler`, {});
      expect(cancelled.statusCode).toBe(303);
      expect(cancelled.headers.location).toBe(`/rdv/lien/${token}/rendez-vous`);
      expect(await statusOf(appointment.id)).toBe('excused');
      expect((await visitor.get(`/rdv/lien/${token}/rendez-vous`)).body).toContain('est annulé.');

      const file = await visitor.get(`/rdv/lien/${token}/rendez-vous/calendrier.ics`);
      expect(file.headers['content-type']).toMatch(/^text\/calendar/);

      // the session opened this appointment only
      const other = await book(15);
      expect((await visitor.get(`/mes-rdv/${other.publicId}/annuler`)).statusCode).toBe(303);
    });

    it('refuses an expired or tampered link with a French 403 page', async () => {
      const appointment = await book(16);
      const expired = await issueAccessToken(database.db, {
        purpose: 'appointment_access',
        participationId: appointment.participationId,
        ttlMinutes: 5,
        now: new Date(NOW.getTime() - HOUR_MS),
      });
      const visitor = new InjectSession(app);
      const page = await visitor.get(`/rdv/lien/${expired.token}`);
      expect(page.statusCode).toBe(403);
      expect(page.body).toContain('Ce lien de rendez-vous a expiré.');

      const valid = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: appointment.participationId, now: NOW });
      const last = valid.token.endsWith('A') ? 'B' : 'A';
      const tampered = `${valid.token.slice(0, -1)}${last}`;
      expect((await visitor.get(`/rdv/lien/${tampered}`)).statusCode).toBe(403);
      expect((await visitor.get(`/rdv/lien/${tampered}/rendez-vous`)).statusCode).toBe(403);
      expect((await visitor.get('/rdv/lien/trop-court')).body).toContain('n’est pas valide');

      await visitor.get(`/rdv/lien/${valid.token}`);
      const forged = await visitor.post(`/rdv/lien/${tampered}`, { lettres: 'dur' });
      expect(forged.statusCode).toBe(403);
      expect(forged.body).toContain('Ce lien de rendez-vous n’est pas valide.');
    });

    it('locks the link after five wrong answers', async () => {
      const appointment = await book(17);
      const { token } = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: appointment.participationId, now: NOW });
      const visitor = new InjectSession(app);
      await visitor.get(`/rdv/lien/${token}`);
      for (const left of [4, 3, 2, 1]) {
        const wrong = await visitor.post(`/rdv/lien/${token}`, { lettres: 'xyz' });
        expect(wrong.statusCode).toBe(422);
        expect(wrong.body).toContain(`Il vous reste ${String(left)} essai`);
      }
      const locked = await visitor.post(`/rdv/lien/${token}`, { lettres: 'xyz' });
      expect(locked.statusCode).toBe(403);
      expect(locked.body).toContain('ce lien a été bloqué');
      expect((await visitor.get(`/rdv/lien/${token}`)).statusCode).toBe(403);
    });

    it('keeps the token out of the request logs', async () => {
      const appointment = await book(18);
      const { token } = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: appointment.participationId, now: NOW });
      const context = createTestContext(database, NOW);
      const loggingApp = await buildApp({ ...context, config: { ...context.config, logLevel: 'info' } });
      await loggingApp.ready();
      logs.lines.length = 0;
      try {
        const visitor = new InjectSession(loggingApp);
        await visitor.get('/mes-rdv');
        await visitor.get(`/rdv/lien/${token}`);
        expect((await visitor.post(`/rdv/lien/${token}`, { lettres: 'Dur' })).statusCode).toBe(303);
        expect((await visitor.get(`/rdv/lien/${token}/rendez-vous`)).statusCode).toBe(200);
        await visitor.get(`/rdv/lien/${token}/rendez-vous/annuler`);
        expect((await visitor.get(`/rdv/lien/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).statusCode).toBe(403);
      } finally {
        await loggingApp.close();
      }
      // the logger works (the /mes-rdv request is there), and no line holds the token
      expect(logs.lines.some((line) => line.includes('"/mes-rdv"'))).toBe(true);
      expect(logs.lines.filter((line) => line.includes(token) || line.includes(token.slice(0, -1)))).toEqual([]);
      expect(logs.lines.filter((line) => line.includes('/rdv/lien/'))).toEqual([]);
    });

    it('opens a short SMS link /r/<22 characters> on the same page, and keeps it out of the logs', async () => {
      const appointment = await book(19);
      const { token } = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: appointment.participationId, length: 'short', now: NOW });
      expect(token).toHaveLength(22);
      const context = createTestContext(database, NOW);
      const loggingApp = await buildApp({ ...context, config: { ...context.config, logLevel: 'info' } });
      await loggingApp.ready();
      logs.lines.length = 0;
      try {
        const visitor = new InjectSession(loggingApp);
        await visitor.get('/mes-rdv');
        const short = await visitor.get(`/r/${token}`);
        expect(short.statusCode).toBe(303);
        expect(short.headers.location).toBe(`/rdv/lien/${token}`);
        expect((await visitor.get(`/rdv/lien/${token}`)).body).toContain('Les 3 premières lettres du nom de famille');
        expect((await visitor.post(`/rdv/lien/${token}`, { lettres: 'Dur' })).statusCode).toBe(303);
        const page = await visitor.get(`/rdv/lien/${token}/rendez-vous`);
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain('Votre rendez-vous');
        const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
        expect((await visitor.get(`/r/${tampered}`)).headers.location).toBe(`/rdv/lien/${tampered}`);
        expect((await visitor.get(`/rdv/lien/${tampered}`)).statusCode).toBe(403);
        expect((await visitor.get('/r/pas%20un%20jeton')).statusCode).toBe(404);
      } finally {
        await loggingApp.close();
      }
      expect(logs.lines.some((line) => line.includes('"/mes-rdv"'))).toBe(true);
      expect(logs.lines.filter((line) => line.includes(token) || line.includes(token.slice(0, -1)))).toEqual([]);
      expect(logs.lines.filter((line) => line.includes('/r/') || line.includes('/rdv/lien/'))).toEqual([]);
    });
  });
});
