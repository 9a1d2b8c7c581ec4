import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql, type AliasedRawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { buildTestApp } from '../../../test/support/app.js';
import { InjectSession, linksStartingWith } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { dateToEpochMinutes, formatLocalDateTime, isoDateToDayNumber, localToEpochMinutes } from '../../shared/time/index.js';
import { searchSlots } from '../availability/index.js';

// Tuesday 24 November 2026, 10:00 in Paris.
const NOW = new Date('2026-11-24T09:00:00Z');

const csrfTokens = new WeakMap<InjectSession, string>();

/** Posts a form whose fields may repeat (checkbox lists), with the CSRF token of the last page that had one. */
async function postForm(session: InjectSession, url: string, fields: Record<string, string | readonly string[]>): Promise<LightMyRequestResponse> {
  const token = /name="_csrf" value="([^"]+)"/.exec(session.lastBody)?.[1] ?? csrfTokens.get(session) ?? '';
  csrfTokens.set(session, token);
  const body = new URLSearchParams({ _csrf: token });
  for (const [name, value] of Object.entries(fields)) {
    for (const item of typeof value === 'string' ? [value] : value) body.append(name, item);
  }
  return session.send('POST', url, body.toString(), 'application/x-www-form-urlencoded');
}

describe('opening periods and absences in the agent workspace', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let melun: number;
  let meaux: number;
  let nadia: number;
  let claire: number;
  let sophie: number;
  let morningPeriod: number;
  let meauxPeriod: number;
  let meauxPlace: number;
  let melunPlaces: number[];
  let socialMotif: number;
  let nadiaSession: InjectSession;
  let sophieSession: InjectSession;

  const base = (): string => `/agents/organisations/${String(melun)}`;

  async function idOf(table: 'organisations', column: 'slug', value: string): Promise<number> {
    const row = await database.db.selectFrom(table).select('id').where(column, '=', value).executeTakeFirstOrThrow();
    return row.id;
  }
  async function agentId(lastName: string): Promise<number> {
    return (await database.db.selectFrom('agents').select('id').where('last_name', '=', lastName).executeTakeFirstOrThrow()).id;
  }

  /** Local start times ('YYYY-MM-DDTHH:MM' in Paris) of Nadia's public slots of the motif on a day. */
  async function nadiaSlotsOn(day: string): Promise<string[]> {
    const from = new Date(`${day}T00:00:00+01:00`);
    const to = new Date(from.getTime() + 86_400_000);
    const slots = await searchSlots(database.db, { appointmentTypeId: socialMotif, audience: 'public', from, to, now: NOW, filters: { agentIds: [nadia] } });
    return slots.map((slot) => formatLocalDateTime(slot.timeZone, slot.startsAtEpochMinutes));
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    app = await buildTestApp(database, NOW);
    melun = await idOf('organisations', 'slug', 'mds-melun');
    meaux = await idOf('organisations', 'slug', 'mds-meaux');
    nadia = await agentId('Benali');
    claire = await agentId('Moreau');
    sophie = await agentId('Lambert');
    morningPeriod = (await database.db.selectFrom('opening_periods').select('id').where('agent_id', '=', nadia).where('title', '=', 'Permanence du matin').executeTakeFirstOrThrow()).id;
    meauxPeriod = (await database.db.selectFrom('opening_periods').select('id').where('organisation_id', '=', meaux).executeTakeFirstOrThrow()).id;
    meauxPlace = (await database.db.selectFrom('places').select('id').where('organisation_id', '=', meaux).executeTakeFirstOrThrow()).id;
    melunPlaces = (await database.db.selectFrom('places').select('id').where('organisation_id', '=', melun).orderBy('id').execute()).map((row) => row.id);
    socialMotif = (
      await database.db
        .selectFrom('opening_period_appointment_types as l')
        .innerJoin('appointment_types as t', 't.id', 'l.appointment_type_id')
        .select('t.id')
        .where('l.opening_period_id', '=', morningPeriod)
        .where('t.bookable_by', '=', 'everyone')
        .executeTakeFirstOrThrow()
    ).id;
    nadiaSession = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    sophieSession = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    // Seeding, then two Argon2 sign-ins: more than the default hook timeout on a loaded CI machine.
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  const weeklyForm = (): Record<string, string | string[]> => ({
    titre: 'Permanence une semaine sur deux',
    agent: String(nadia),
    lieu: String(melunPlaces[0]),
    motifs: [String(socialMotif)],
    premierJour: '2026-12-07',
    heureDebut: '13:00',
    heureFin: '15:00',
    repetition: 'hebdomadaire',
    jours: ['MO', 'TH'],
    intervalleSemaines: '2',
    fin: 'date',
    dateFin: '2027-12-31',
  });

  it('lists the signed-in agent’s periods with their recurrence in plain French, place and motifs', async () => {
    const page = await nadiaSession.get(`${base()}/plages`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('Mes plages d’ouverture');
    expect(page.body).toContain('Permanence du matin');
    expect(page.body).toContain('Tous les lundis, mardis, jeudis et vendredis, de 9 h à 12 h');
    expect(page.body).toContain(`/plages/${String(morningPeriod)}/occurrences/`);
  });

  it('creates a weekly period every two weeks on Mondays and Thursdays until a date, with its last day, motifs and audit entry', async () => {
    await nadiaSession.get(`${base()}/plages/nouvelle`);
    const response = await postForm(nadiaSession, `${base()}/plages/nouvelle`, weeklyForm());
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${base()}/plages?agent=${String(nadia)}`);
    const row = await database.db
      .selectFrom('opening_periods')
      .select(['id', 'recurrence', sqlText('last_day'), 'place_id', 'organisation_id'])
      .where('title', '=', 'Permanence une semaine sur deux')
      .executeTakeFirstOrThrow();
    expect(row.recurrence).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20271231');
    expect(row.last_day).toBe('2027-12-23');
    expect(row.organisation_id).toBe(melun);
    const motifs = await database.db.selectFrom('opening_period_appointment_types').select('appointment_type_id').where('opening_period_id', '=', row.id).execute();
    expect(motifs.map((motif) => motif.appointment_type_id)).toEqual([socialMotif]);
    const audit = await database.db.selectFrom('audit_log').select(['actor_id', 'action']).where('subject_type', '=', 'opening_period').where('subject_id', '=', row.id).execute();
    expect(audit).toEqual([{ actor_id: nadia, action: 'create' }]);
    const list = await nadiaSession.get(`${base()}/plages`);
    expect(list.body).toContain('Tous les lundis et jeudis, une semaine sur deux, de 13 h à 15 h, jusqu’au 31 décembre 2027');
    expect(list.body).toContain('La plage d’ouverture est enregistrée.');
  });

  it('creates a monthly period on the 2nd Tuesday and reads it back in the edit form', async () => {
    await nadiaSession.get(`${base()}/plages/nouvelle`);
    const response = await postForm(nadiaSession, `${base()}/plages/nouvelle`, {
      ...weeklyForm(),
      titre: 'Deuxième mardi',
      premierJour: '2026-12-08',
      heureDebut: '14:00',
      heureFin: '16:00',
      repetition: 'mensuelle',
      jours: [],
      rang: '2',
      jourDuMois: 'TU',
      intervalleMois: '1',
      fin: 'nombre',
      nombreOccurrences: '6',
    });
    expect(response.statusCode).toBe(303);
    const row = await database.db.selectFrom('opening_periods').select(['id', 'recurrence', sqlText('last_day')]).where('title', '=', 'Deuxième mardi').executeTakeFirstOrThrow();
    expect(row.recurrence).toBe('FREQ=MONTHLY;BYDAY=2TU;COUNT=6');
    expect(row.last_day).toBe('2027-05-11');
    const edit = await nadiaSession.get(`${base()}/plages/${String(row.id)}/modifier`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toMatch(/id="repetition-mensuelle" name="repetition" value="mensuelle" checked/);
    expect(edit.body).toMatch(/<option value="2" selected>2e<\/option>/);
    expect(edit.body).toMatch(/id="fin-nombre" name="fin" value="nombre" checked/);
    expect(edit.body).toContain('name="nombreOccurrences" value="6"');
  });

  it('warns of an overlap with another period of the agent, and saves once the agent confirms', async () => {
    await nadiaSession.get(`${base()}/plages/nouvelle`);
    const fields = { ...weeklyForm(), titre: 'Chevauchement', heureDebut: '11:00', heureFin: '13:00', repetition: 'hebdomadaire', jours: ['TU'], intervalleSemaines: '1', fin: 'jamais' };
    const warned = await postForm(nadiaSession, `${base()}/plages/nouvelle`, fields);
    expect(warned.statusCode).toBe(200);
    expect(warned.body).toContain('Cette plage chevauche « Permanence du matin » le mardi 8 décembre 2026');
    expect(warned.body).toContain('Enregistrer malgré les avertissements');
    expect(warned.body).toContain('value="Chevauchement"');
    expect(await database.db.selectFrom('opening_periods').select('id').where('title', '=', 'Chevauchement').executeTakeFirst()).toBeUndefined();
    const saved = await postForm(nadiaSession, `${base()}/plages/nouvelle`, { ...fields, confirmerAvertissements: 'oui' });
    expect(saved.statusCode).toBe(303);
    const row = await database.db.selectFrom('opening_periods').select('id').where('title', '=', 'Chevauchement').executeTakeFirstOrThrow();
    const audit = await database.db.selectFrom('audit_log').select('details').where('subject_type', '=', 'opening_period').where('subject_id', '=', row.id).executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ warningsConfirmed: true });
  });

  it('answers 422 with French messages and the input kept for what a person got wrong', async () => {
    await nadiaSession.get(`${base()}/plages/nouvelle`);
    const response = await postForm(nadiaSession, `${base()}/plages/nouvelle`, {
      ...weeklyForm(),
      titre: 'Plage à corriger',
      heureDebut: '15:00',
      heureFin: '13:00',
      jours: [],
      intervalleSemaines: '53',
    });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('L’heure de fin doit être après l’heure de début.');
    expect(response.body).toContain('Cochez au moins un jour de la semaine.');
    expect(response.body).toContain('Indiquez un intervalle entre 1 et 52 semaines.');
    expect(response.body).toContain('value="Plage à corriger"');
    expect(response.body).toContain('value="53"');
  });

  describe('single occurrences, seen at once by the public slot search', () => {
    it('cancels one occurrence: the public search no longer offers that day; restoring it brings the slots back', async () => {
      const before = await nadiaSlotsOn('2026-12-03');
      expect(before.length).toBeGreaterThan(0);
      expect(before.every((start) => start >= '2026-12-03T09:00' && start < '2026-12-03T12:00')).toBe(true);
      await nadiaSession.get(`${base()}/plages`);
      const cancelled = await postForm(nadiaSession, `${base()}/plages/${String(morningPeriod)}/occurrences/2026-12-03/annuler`, {});
      expect(cancelled.statusCode).toBe(303);
      expect(cancelled.headers.location).toBe(`${base()}/plages/${String(morningPeriod)}/occurrences?du=2026-12-03`);
      const row = await database.db.selectFrom('opening_periods').select(sqlText('excluded_dates')).where('id', '=', morningPeriod).executeTakeFirstOrThrow();
      expect(row.excluded_dates).toBe('{2026-12-03}');
      expect(await nadiaSlotsOn('2026-12-03')).toEqual([]);
      expect((await nadiaSlotsOn('2026-12-04')).length).toBeGreaterThan(0);

      const page = await nadiaSession.get(String(cancelled.headers.location));
      expect(page.body).toContain('est annulée : elle n’est plus proposée.');
      expect(page.body).toContain('Rétablir la séance du jeudi 3 décembre 2026');
      const again = await postForm(nadiaSession, `${base()}/plages/${String(morningPeriod)}/occurrences/2026-12-03/annuler`, {});
      expect(again.statusCode).toBe(303);
      expect((await nadiaSession.get(String(again.headers.location))).body).toContain('Cette séance était déjà annulée.');

      const restored = await postForm(nadiaSession, `${base()}/plages/${String(morningPeriod)}/occurrences/2026-12-03/retablir`, {});
      expect(restored.statusCode).toBe(303);
      expect(await nadiaSlotsOn('2026-12-03')).toEqual(before);
    });

    it('cancels one occurrence: the public week page of the place no longer offers that day', async () => {
      const dammarie = melunPlaces[1] ?? 0;
      const citizen = new InjectSession(app);
      await citizen.get('/');
      await citizen.post('/recherche', { adresse: '20 quai Hippolyte Rossignol 77000 Melun' });
      const weekUrl = `/prendre-rdv?motif=${String(socialMotif)}&lieu=${String(dammarie)}&semaine=2027-01-04`;
      const thursday = isoDateToDayNumber('2027-01-07');
      const startsOf = (body: string): number[] =>
        linksStartingWith(body, '/prendre-rdv/creneau?').map((href) => Number(new URL(href, 'http://localhost').searchParams.get('debut')));
      const onThursday = (starts: number[]): number[] =>
        starts.filter((start) => start >= localToEpochMinutes('Europe/Paris', thursday, 0) && start < localToEpochMinutes('Europe/Paris', thursday + 1, 0));
      const before = startsOf((await citizen.get(weekUrl)).body);
      expect(onThursday(before).length).toBeGreaterThan(0);

      await nadiaSession.get(`${base()}/plages/${String(morningPeriod)}/occurrences?du=2027-01-04`);
      expect((await postForm(nadiaSession, `${base()}/plages/${String(morningPeriod)}/occurrences/2027-01-07/annuler`, {})).statusCode).toBe(303);
      const after = startsOf((await citizen.get(weekUrl)).body);
      expect(onThursday(after)).toEqual([]);
      expect(after.length).toBe(before.length - onThursday(before).length);

      expect((await postForm(nadiaSession, `${base()}/plages/${String(morningPeriod)}/occurrences/2027-01-07/retablir`, {})).statusCode).toBe(303);
      expect(startsOf((await citizen.get(weekUrl)).body)).toEqual(before);
    });

    it('moves one occurrence to other hours and another place, then back to the usual ones', async () => {
      await nadiaSession.get(`${base()}/plages/${String(morningPeriod)}/occurrences/2026-12-10/modifier`);
      const invalid = await postForm(nadiaSession, `${base()}/plages/${String(morningPeriod)}/occurrences/2026-12-10/modifier`, { heureDebut: '16:00', heureFin: '15:00', lieu: String(meauxPlace) });
      expect(invalid.statusCode).toBe(422);
      expect(invalid.body).toContain('Choisissez un lieu dans la liste.');
      const moved = await postForm(nadiaSession, `${base()}/plages/${String(morningPeriod)}/occurrences/2026-12-10/modifier`, { heureDebut: '15:00', heureFin: '18:00', lieu: String(melunPlaces[0]) });
      expect(moved.statusCode).toBe(303);
      const override = await database.db
        .selectFrom('opening_period_overrides')
        .select([sqlText('occurrence_date'), sqlText('start_time'), sqlText('end_time'), 'place_id'])
        .where('opening_period_id', '=', morningPeriod)
        .executeTakeFirstOrThrow();
      expect(override).toEqual({ occurrence_date: '2026-12-10', start_time: '15:00:00', end_time: '18:00:00', place_id: melunPlaces[0] });
      const slots = await nadiaSlotsOn('2026-12-10');
      // The morning is no longer offered; the afternoon is (another period also opens 13:00–15:00 that day).
      expect(slots.filter((start) => start < '2026-12-10T12:00')).toEqual([]);
      expect(slots.filter((start) => start >= '2026-12-10T15:00').length).toBeGreaterThan(0);
      await nadiaSession.get(`${base()}/plages/${String(morningPeriod)}/occurrences?du=2026-12-10`);
      const reset = await postForm(nadiaSession, `${base()}/plages/${String(morningPeriod)}/occurrences/2026-12-10/reinitialiser`, {});
      expect(reset.statusCode).toBe(303);
      expect(await database.db.selectFrom('opening_period_overrides').select('occurrence_date').where('opening_period_id', '=', morningPeriod).execute()).toEqual([]);
    });

    it('lists the occurrences of a period between two days, and 404s a day that is not one', async () => {
      const page = await nadiaSession.get(`${base()}/plages/${String(morningPeriod)}/occurrences?du=2026-12-07&au=2026-12-13`);
      expect(page.statusCode).toBe(200);
      for (const day of ['lundi 7 décembre 2026', 'mardi 8 décembre 2026', 'jeudi 10 décembre 2026', 'vendredi 11 décembre 2026']) expect(page.body).toContain(day);
      expect(page.body).not.toContain('mercredi 9 décembre 2026');
      for (const date of ['2026-12-09', '2026-02-30']) {
        expect((await postForm(nadiaSession, `${base()}/plages/${String(morningPeriod)}/occurrences/${date}/annuler`, {})).statusCode).toBe(404);
      }
    });

    it('adds slots with a new period, and removes them with an absence', async () => {
      // Wednesday 2 December: Nadia has no morning period that day.
      expect(await nadiaSlotsOn('2026-12-02')).toEqual([]);
      await nadiaSession.get(`${base()}/plages/nouvelle`);
      const created = await postForm(nadiaSession, `${base()}/plages/nouvelle`, {
        ...weeklyForm(),
        titre: 'Mercredi exceptionnel',
        lieu: String(melunPlaces[1]),
        premierJour: '2026-12-02',
        heureDebut: '09:00',
        heureFin: '12:00',
        repetition: 'aucune',
      });
      expect(created.statusCode).toBe(303);
      const slots = await nadiaSlotsOn('2026-12-02');
      expect(slots[0]).toBe('2026-12-02T09:00');

      await nadiaSession.get(`${base()}/absences/nouvelle`);
      const absence = await postForm(nadiaSession, `${base()}/absences/nouvelle`, {
        titre: 'Formation',
        agents: [String(nadia)],
        premierJour: '2026-12-02',
        heureDebut: '08:00',
        heureFin: '13:00',
        repetition: 'aucune',
      });
      expect(absence.statusCode).toBe(303);
      expect(await nadiaSlotsOn('2026-12-02')).toEqual([]);
    });
  });

  it('deletes a period after a confirmation page', async () => {
    const row = await database.db.selectFrom('opening_periods').select('id').where('title', '=', 'Chevauchement').executeTakeFirstOrThrow();
    const confirm = await nadiaSession.get(`${base()}/plages/${String(row.id)}/supprimer`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Supprimer la plage « Chevauchement » ?');
    const deleted = await postForm(nadiaSession, `${base()}/plages/${String(row.id)}/supprimer`, {});
    expect(deleted.statusCode).toBe(303);
    expect(await database.db.selectFrom('opening_periods').select('id').where('id', '=', row.id).executeTakeFirst()).toBeUndefined();
    const audit = await database.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'opening_period').where('subject_id', '=', row.id).orderBy('id').execute();
    expect(audit.map((entry) => entry.action)).toEqual(['create', 'delete']);
  });

  describe('absences', () => {
    it('records one absence for two agents at once, in one go, with an audit entry each', async () => {
      await sophieSession.get(`${base()}/absences/nouvelle`);
      const response = await postForm(sophieSession, `${base()}/absences/nouvelle`, {
        titre: 'Séminaire',
        agents: [String(nadia), String(claire)],
        premierJour: '2027-01-11',
        jourFin: '2027-01-12',
        journeeEntiere: 'oui',
        repetition: 'aucune',
      });
      expect(response.statusCode).toBe(303);
      const rows = await database.db
        .selectFrom('absences')
        .select(['id', 'agent_id', sqlText('first_day'), sqlText('end_day'), sqlText('start_time'), sqlText('end_time'), sqlText('last_day'), 'organisation_id'])
        .where('title', '=', 'Séminaire')
        .orderBy('agent_id')
        .execute();
      expect(rows.map(({ id: _id, ...row }) => row)).toEqual(
        [nadia, claire]
          .sort((a, b) => a - b)
          .map((agent) => ({ agent_id: agent, first_day: '2027-01-11', end_day: '2027-01-13', start_time: '00:00:00', end_time: '00:00:00', last_day: '2027-01-13', organisation_id: melun })),
      );
      const audit = await database.db.selectFrom('audit_log').select('actor_id').where('subject_type', '=', 'absence').where('subject_id', 'in', rows.map((row) => row.id)).execute();
      expect(audit).toEqual([{ actor_id: sophie }, { actor_id: sophie }]);
      const list = await sophieSession.get(String(response.headers.location));
      expect(list.body).toContain('L’absence est enregistrée pour 2 agents.');
      expect(list.body).toContain('Du lundi 11 janvier 2027 au mardi 12 janvier 2027, journées entières');
      expect(await nadiaSlotsOn('2027-01-11')).toEqual([]);
    });

    it('warns when an absence covers appointments of the agent (listed), and saves once confirmed', async () => {
      const appointment = await database.db
        .selectFrom('appointment_agents as aa')
        .innerJoin('appointments as a', 'a.id', 'aa.appointment_id')
        .select(sql<number>`floor(extract(epoch FROM lower(a.during)) / 60)::int`.as('starts_at'))
        .where('aa.agent_id', '=', nadia)
        .where('aa.is_active', '=', true)
        .where(sql<boolean>`lower(a.during) > ${NOW}`)
        .orderBy(sql`lower(a.during)`, 'desc')
        .executeTakeFirstOrThrow();
      expect(appointment.starts_at).toBeGreaterThan(dateToEpochMinutes(NOW));
      const day = formatLocalDateTime('Europe/Paris', appointment.starts_at).slice(0, 10);
      await nadiaSession.get(`${base()}/absences/nouvelle`);
      const fields = { titre: 'Rendez-vous médical', agents: [String(nadia)], premierJour: day, journeeEntiere: 'oui', repetition: 'aucune' };
      const warned = await postForm(nadiaSession, `${base()}/absences/nouvelle`, fields);
      expect(warned.statusCode).toBe(200);
      expect(warned.body).toContain('rendez-vous tombe');
      expect(warned.body).toContain('Enregistrer malgré les avertissements');
      const saved = await postForm(nadiaSession, `${base()}/absences/nouvelle`, { ...fields, confirmerAvertissements: 'oui' });
      expect(saved.statusCode).toBe(303);
    });

    it('creates a recurring absence, edits it and deletes it', async () => {
      await nadiaSession.get(`${base()}/absences/nouvelle`);
      const created = await postForm(nadiaSession, `${base()}/absences/nouvelle`, {
        titre: 'Analyse de pratiques',
        agents: [String(nadia)],
        premierJour: '2027-02-03',
        heureDebut: '14:00',
        heureFin: '16:00',
        repetition: 'hebdomadaire',
        jours: ['WE'],
        intervalleSemaines: '2',
        fin: 'nombre',
        nombreOccurrences: '4',
        confirmerAvertissements: 'oui',
      });
      expect(created.statusCode).toBe(303);
      const row = await database.db.selectFrom('absences').select(['id', 'recurrence', sqlText('last_day')]).where('title', '=', 'Analyse de pratiques').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=4', last_day: '2027-03-17' });
      const edit = await nadiaSession.get(`${base()}/absences/${String(row.id)}/modifier`);
      expect(edit.statusCode).toBe(200);
      expect(edit.body).toContain('value="Analyse de pratiques"');
      const updated = await postForm(nadiaSession, `${base()}/absences/${String(row.id)}/modifier`, {
        titre: 'Analyse de pratiques',
        agents: [String(claire)],
        premierJour: '2027-02-03',
        heureDebut: '14:00',
        heureFin: '17:00',
        repetition: 'hebdomadaire',
        jours: ['WE'],
        intervalleSemaines: '2',
        fin: 'nombre',
        nombreOccurrences: '4',
        confirmerAvertissements: 'oui',
      });
      expect(updated.statusCode).toBe(303);
      const after = await database.db.selectFrom('absences').select(['agent_id', sqlText('end_time')]).where('id', '=', row.id).executeTakeFirstOrThrow();
      // The agent of an absence never changes through its edit form (agents[] is ignored).
      expect(after).toEqual({ agent_id: nadia, end_time: '17:00:00' });
      expect((await nadiaSession.get(`${base()}/absences/${String(row.id)}/supprimer`)).statusCode).toBe(200);
      expect((await postForm(nadiaSession, `${base()}/absences/${String(row.id)}/supprimer`, {})).statusCode).toBe(303);
      expect(await database.db.selectFrom('absences').select('id').where('id', '=', row.id).executeTakeFirst()).toBeUndefined();
    });

    it('lists the absences of the signed-in agent', async () => {
      const page = await nadiaSession.get(`${base()}/absences`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Mes absences');
      expect(page.body).toContain('Réunion d’équipe');
      expect(page.body).toContain('Tous les vendredis, de 14 h à 16 h');
    });
  });

  describe('authorisation', () => {
    it('lets an admin of the secretariat see and manage a colleague’s schedule', async () => {
      const list = await sophieSession.get(`${base()}/plages?agent=${String(nadia)}`);
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain('Plages d’ouverture de Nadia Benali');
      expect(list.body).toContain(`/plages/${String(morningPeriod)}/modifier`);
      expect((await sophieSession.get(`${base()}/plages/${String(morningPeriod)}/modifier`)).statusCode).toBe(200);
    });

    it('gives a basic agent 404 on a colleague’s schedule of another service, and never saves for them', async () => {
      const clairePeriod = (await database.db.selectFrom('opening_periods').select('id').where('agent_id', '=', claire).executeTakeFirstOrThrow()).id;
      const claireAbsence = (await database.db.selectFrom('absences').select('id').where('agent_id', '=', claire).executeTakeFirstOrThrow()).id;
      for (const path of [
        `plages?agent=${String(claire)}`,
        `plages/nouvelle?agent=${String(claire)}`,
        `plages/${String(clairePeriod)}/modifier`,
        `plages/${String(clairePeriod)}/supprimer`,
        `plages/${String(clairePeriod)}/occurrences`,
        `absences?agent=${String(claire)}`,
        `absences/nouvelle?agent=${String(claire)}`,
        `absences/${String(claireAbsence)}/modifier`,
        `absences/${String(claireAbsence)}/supprimer`,
      ]) {
        expect((await nadiaSession.get(`${base()}/${path}`)).statusCode, path).toBe(404);
      }
      await nadiaSession.get(`${base()}/plages`);
      for (const path of [`plages/${String(clairePeriod)}/supprimer`, `plages/${String(clairePeriod)}/occurrences/2026-12-07/annuler`, `absences/${String(claireAbsence)}/supprimer`]) {
        expect((await postForm(nadiaSession, `${base()}/${path}`, {})).statusCode, path).toBe(404);
      }
      expect((await postForm(nadiaSession, `${base()}/plages/${String(clairePeriod)}/modifier`, weeklyForm())).statusCode).toBe(404);
      const forClaire = await postForm(nadiaSession, `${base()}/plages/nouvelle`, { ...weeklyForm(), titre: 'Pour Claire', agent: String(claire) });
      expect(forClaire.statusCode).toBe(422);
      const absenceForClaire = await postForm(nadiaSession, `${base()}/absences/nouvelle`, { titre: 'Pour Claire', agents: [String(nadia), String(claire)], premierJour: '2027-03-01', journeeEntiere: 'oui' });
      expect(absenceForClaire.statusCode).toBe(422);
      expect(await database.db.selectFrom('opening_periods').select('id').where('title', '=', 'Pour Claire').executeTakeFirst()).toBeUndefined();
      expect(await database.db.selectFrom('absences').select('id').where('title', '=', 'Pour Claire').executeTakeFirst()).toBeUndefined();
      expect(
        (await database.db.selectFrom('opening_periods').select(sqlText('excluded_dates')).where('id', '=', clairePeriod).executeTakeFirstOrThrow()).excluded_dates,
      ).toBe('{}');
    });

    it('answers 404 for another organisation and its ids, and 422 for its place in a form', async () => {
      const meauxAbsence = (await database.db.selectFrom('absences').select('id').where('organisation_id', '=', meaux).executeTakeFirstOrThrow()).id;
      expect((await nadiaSession.get(`/agents/organisations/${String(meaux)}/plages`)).statusCode).toBe(404);
      expect((await nadiaSession.get(`/agents/organisations/${String(meaux)}/absences`)).statusCode).toBe(404);
      for (const path of [`plages/${String(meauxPeriod)}/modifier`, `plages/${String(meauxPeriod)}/occurrences`, `absences/${String(meauxAbsence)}/modifier`]) {
        expect((await sophieSession.get(`${base()}/${path}`)).statusCode, path).toBe(404);
      }
      await sophieSession.get(`${base()}/plages`);
      expect((await postForm(sophieSession, `${base()}/plages/${String(meauxPeriod)}/occurrences/2026-12-07/annuler`, {})).statusCode).toBe(404);
      expect((await postForm(sophieSession, `${base()}/plages/${String(meauxPeriod)}/supprimer`, {})).statusCode).toBe(404);
      const foreignPlace = await postForm(sophieSession, `${base()}/plages/nouvelle`, { ...weeklyForm(), titre: 'Lieu de Meaux', lieu: String(meauxPlace) });
      expect(foreignPlace.statusCode).toBe(422);
      expect(foreignPlace.body).toContain('Choisissez un lieu dans la liste.');
      const meauxMotif = (await database.db.selectFrom('appointment_types').select('id').where('organisation_id', '=', meaux).executeTakeFirstOrThrow()).id;
      const foreignMotif = await postForm(sophieSession, `${base()}/plages/nouvelle`, { ...weeklyForm(), titre: 'Motif de Meaux', motifs: [String(meauxMotif)] });
      expect(foreignMotif.statusCode).toBe(422);
      expect(await database.db.selectFrom('opening_periods').select('id').where('title', 'in', ['Lieu de Meaux', 'Motif de Meaux']).executeTakeFirst()).toBeUndefined();
    });

    it('answers 400 or 422 to hostile values, never 500', async () => {
      await nadiaSession.get(`${base()}/plages/nouvelle`);
      const url = `${base()}/plages/nouvelle`;
      const cases: [Record<string, string | string[]>, number][] = [
        [{ ...weeklyForm(), titre: 'x'.repeat(10_001) }, 400],
        [{ ...weeklyForm(), titre: 'Nul\u0000' }, 422],
        [{ ...weeklyForm(), titre: '✓ Plage 😀', heureFin: '25:61' }, 422],
        [{ ...weeklyForm(), premierJour: '2026-02-30' }, 422],
        [{ ...weeklyForm(), motifs: ['abc'] }, 422],
        [{ ...weeklyForm(), jours: ['XX'] }, 422],
        [{ ...weeklyForm(), fin: 'nombre', nombreOccurrences: '-1' }, 422],
        [{ ...weeklyForm(), repetition: 'x'.repeat(41) }, 400],
        [{ ...weeklyForm(), titre: ['un', 'deux'] }, 400],
        [{ ...weeklyForm(), jours: Array.from({ length: 8 }, () => 'MO') }, 400],
      ];
      for (const [fields, status] of cases) {
        const response = await postForm(nadiaSession, url, fields);
        expect(response.statusCode, JSON.stringify(fields).slice(0, 80)).toBe(status);
      }
      const json = await nadiaSession.send('POST', url, JSON.stringify({ titre: { a: 1 } }), 'application/json');
      expect(json.statusCode).toBeGreaterThanOrEqual(400);
      expect(json.statusCode).toBeLessThan(500);
      expect((await nadiaSession.get(`${base()}/plages/abc/modifier`)).statusCode).toBe(404);
      expect((await nadiaSession.get(`${base()}/plages?agent=abc`)).statusCode).toBe(400);
      expect((await nadiaSession.get(`${base()}/plages/${String(morningPeriod)}/occurrences?du=demain`)).statusCode).toBe(400);
      expect((await nadiaSession.get(`${base()}/plages/${String(morningPeriod)}/occurrences?du=2026-12-01&au=2099-01-01`)).statusCode).toBe(200);
      expect((await nadiaSession.get(`${base()}/plages/${String(morningPeriod)}/occurrences/2026-13-45/modifier`)).statusCode).toBe(404);
    });
  });
});

/** A date, time or array column as its text form (`::text`), under the column's name. */
function sqlText<C extends string>(column: C): AliasedRawBuilder<string, C> {
  return sql<string>`${sql.ref(column)}::text`.as(column);
}
