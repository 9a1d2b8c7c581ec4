import { accountMailQueueOf } from '../notifications/index.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/app.js';
import { buildApp } from '../../app.js';
import type { AppContext } from '../../platform/context.js';
import { hiddenFields, InjectSession, linksStartingWith } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { DEMO_PASSWORD, DEMO_USER_EMAIL, seedDemoTerritory } from '../../seed/index.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const MELUN = '20 quai Hippolyte Rossignol 77000 Melun';

describe('confirming a booking', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let context: AppContext;
  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    context = createTestContext(database, NOW);
    app = await buildApp(context);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  /** Walks the funnel to the week of a motif at MDS de Melun and returns the slot links. */
  async function slotLinks(browser: InjectSession, motifName: string, weeksAhead = 0): Promise<string[]> {
    await browser.get('/');
    await browser.post('/recherche', { adresse: MELUN });
    const motif = await database.db
      .selectFrom('appointment_types')
      .select(['id', 'location_type'])
      .where('name', '=', motifName)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const places = await browser.get(`/prendre-rdv?motif=${String(motif.id)}`);
    const target = linksStartingWith(places.body, `/prendre-rdv?motif=${String(motif.id)}&`)[0];
    let week = await browser.get(target!);
    for (let index = 0; index < weeksAhead; index += 1) {
      const next = linksStartingWith(week.body, '/prendre-rdv?').filter((href) => href.includes('semaine=')).at(-1);
      week = await browser.get(next!);
    }
    return linksStartingWith(week.body, '/prendre-rdv/creneau?');
  }

  async function signIn(browser: InjectSession, returnTo: string): Promise<void> {
    await browser.get(`/connexion?retour=${encodeURIComponent(returnTo)}`);
    const response = await browser.post('/connexion', { email: DEMO_USER_EMAIL, motDePasse: DEMO_PASSWORD, retour: returnTo });
    expect(response.headers.location).toBe(returnTo);
  }


  it('asks an anonymous visitor to identify, then books for the usager in one step and shows the confirmation', async () => {
    const browser = new InjectSession(app);
    const [slot] = await slotLinks(browser, 'Consultation de puériculture');
    const identify = await browser.get(slot!);
    expect(identify.body).toContain('Identifiez-vous pour réserver');
    await signIn(browser, slot!);
    const details = await browser.get(slot!);
    expect(details.body).toContain('Vos informations');
    expect(details.body).toContain('value="Camille"');
    const fields = hiddenFields(details.body);
    const submitted = await browser.post('/prendre-rdv/confirmer', { ...fields, prenom: 'Camille', nom: 'Durand', naissance: '1991-04-12', telephone: '06 12 34 56 01', adresse: '', pourQui: 'moi' });
    expect(submitted.statusCode).toBe(303);
    const confirmation = await browser.get(submitted.headers.location as string);
    expect(confirmation.body).toContain('Votre rendez-vous est confirmé');
    expect(confirmation.body).toContain('Pensez à apporter le carnet de santé');
    expect(confirmation.body).toContain('.ics');

    // A double click (the same form, same idempotency key) returns the same appointment.
    const replay = await browser.post('/prendre-rdv/confirmer', { ...fields, prenom: 'Camille', nom: 'Durand', naissance: '1991-04-12', telephone: '06 12 34 56 01', adresse: '', pourQui: 'moi' });
    expect(replay.headers.location).toBe(submitted.headers.location);
  });

  it('tells the second submission the slot was taken and shows the refreshed week, never an error page', async () => {
    const first = new InjectSession(app);
    const links = await slotLinks(first, 'Premier rendez-vous avec une assistante sociale');
    const slot = links[0]!;
    await signIn(first, slot);
    const details = await first.get(slot);
    const fields = hiddenFields(details.body);
    const booked = await first.post('/prendre-rdv/confirmer', { ...fields, prenom: 'Camille', nom: 'Durand', naissance: '', telephone: '', adresse: '', pourQui: 'moi' });
    expect(booked.statusCode).toBe(303);
    // The same form submitted again with a new key, as another submission would: the slot is gone.
    const again = await first.post('/prendre-rdv/confirmer', { ...fields, cle: 'another-key-0123456789', prenom: 'Camille', nom: 'Durand', naissance: '', telephone: '', adresse: '', pourQui: 'moi' });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toContain('indisponible=1');
    const week = await first.get(again.headers.location as string);
    expect(week.body).toContain('Ce créneau n’est plus disponible');
    const fresh = linksStartingWith(week.body, '/prendre-rdv/creneau?');
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh).not.toContain(slot);
  });

  it('keeps every typed value and explains each error when the details are wrong (422), booking nothing', async () => {
    const browser = new InjectSession(app);
    const [slot] = await slotLinks(browser, 'Consultation de puériculture');
    await signIn(browser, slot!);
    const details = await browser.get(slot!);
    const before = await database.db.selectFrom('appointments').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const response = await browser.post('/prendre-rdv/confirmer', { ...hiddenFields(details.body), prenom: 'Camille', nom: 'Durand', naissance: '', telephone: '123', adresse: '', pourQui: 'nouveau', prochePrenom: 'Léon', procheNom: '', procheNaissance: '' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('value="123"');
    expect(response.body).toContain('value="Léon"');
    expect(response.body).toContain('id="telephone-erreur"');
    expect(response.body).toContain('id="procheNom-erreur"');
    const after = await database.db.selectFrom('appointments').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('books for a new relative, who then appears among the usager’s relatives', async () => {
    const browser = new InjectSession(app);
    const links = await slotLinks(browser, 'Consultation de puériculture');
    const slot = links.at(-1)!;
    await signIn(browser, slot);
    const details = await browser.get(slot);
    const response = await browser.post('/prendre-rdv/confirmer', { ...hiddenFields(details.body), prenom: 'Camille', nom: 'Durand', naissance: '', telephone: '', adresse: '', pourQui: 'nouveau', prochePrenom: 'Léna', procheNom: 'Durand', procheNaissance: '2024-03-05' });
    expect(response.statusCode).toBe(303);
    const confirmation = await browser.get(response.headers.location as string);
    expect(confirmation.body).toContain('Pour Léna Durand');
    const relative = await database.db.selectFrom('users').select('responsible_id').where('first_name', '=', 'Léna').executeTakeFirstOrThrow();
    expect(relative.responsible_id).not.toBeNull();
  });

  it('books once for a new relative on a double click: both submissions land on the same confirmation, one relative', async () => {
    const browser = new InjectSession(app);
    const links = await slotLinks(browser, 'Consultation de puériculture', 1);
    const slot = links.at(-2)!;
    await signIn(browser, slot);
    const details = await browser.get(slot);
    const form = { ...hiddenFields(details.body), prenom: 'Camille', nom: 'Durand', naissance: '', telephone: '', adresse: '', pourQui: 'nouveau', prochePrenom: 'Jade', procheNom: 'Durand', procheNaissance: '2025-01-09' };
    const first = await browser.post('/prendre-rdv/confirmer', form);
    const second = await browser.post('/prendre-rdv/confirmer', form);
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect((await browser.get(second.headers.location as string)).body).toContain('Pour Jade Durand');
    const relatives = await database.db.selectFrom('users').select('id').where('first_name', '=', 'Jade').execute();
    expect(relatives).toHaveLength(1);
  });

  it('refuses malformed booking forms with 400 and hostile typed values with 422, booking nothing', async () => {
    const browser = new InjectSession(app);
    const [slot] = await slotLinks(browser, 'Consultation de puériculture', 2);
    await signIn(browser, slot!);
    const details = await browser.get(slot!);
    const fields = hiddenFields(details.body);
    const before = await database.db.selectFrom('appointments').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const typed = { prenom: 'Camille', nom: 'Durand', naissance: '', telephone: '', adresse: '', pourQui: 'moi' };
    // a 300-character idempotency key, a missing one, a non-numeric start: malformed → 400
    expect((await browser.post('/prendre-rdv/confirmer', { ...fields, ...typed, cle: 'k'.repeat(300) })).statusCode).toBe(400);
    expect((await browser.post('/prendre-rdv/confirmer', { ...fields, ...typed, debut: 'demain' })).statusCode).toBe(400);
    // names with a newline, a URL, control characters or 10 000 letters: the form says why (422), input kept
    for (const nom of ['Durand\nSet-Cookie: x', 'https://evil.example', 'Du\u0000rand', 'é'.repeat(300)]) {
      const response = await browser.post('/prendre-rdv/confirmer', { ...fields, ...typed, nom });
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('id="nom-erreur"');
    }
    const after = await database.db.selectFrom('appointments').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect((await browser.get('/health')).statusCode).toBe(200);
  });

  it('brings a new usager back to the chosen slot from the activation e-mail opened on another device, saying the account is active', async () => {
    const phone = new InjectSession(app);
    const [slot] = await slotLinks(phone, 'Consultation de puériculture', 3);
    await phone.get(slot!);
    const signUpPage = await phone.get(`/inscription?retour=${encodeURIComponent(slot!)}`);
    const created = await phone.post('/inscription', { ...hiddenFields(signUpPage.body), prenom: 'Élise', nom: 'Vautrin', email: 'elise.vautrin@example.fr', motDePasse: 'Lune-Orange-Velo-2026' });
    expect(created.statusCode).toBe(303);
    await accountMailQueueOf(context, console).drain();
    const mail = await database.db.selectFrom('dev_outbox_emails').select('text_body').where('recipient', '=', 'elise.vautrin@example.fr').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const link = /https?:\/\/\S+jeton=\S+/.exec(mail.text_body)?.[0]?.replace(/^https?:\/\/[^/]+/, '');
    if (link === undefined) throw new Error('pas de lien dans l’e-mail');
    // Another device: a fresh session, without the address typed on the phone.
    const computer = new InjectSession(app);
    const activation = await computer.get(link);
    const action = /<form method="post" action="([^"]+)"/.exec(activation.body)?.[1] ?? '';
    const activated = await computer.post(action, { ...hiddenFields(activation.body), motDePasse: 'Lune-Orange-Velo-2026' });
    expect(activated.statusCode).toBe(303);
    expect(activated.headers.location).toContain('/prendre-rdv/creneau?');
    const details = await computer.get(activated.headers.location as string);
    expect(details.statusCode).toBe(200);
    expect(details.body).toContain('Votre compte est activé');
    expect(details.body).toContain('value="Élise"');
    const booked = await computer.post('/prendre-rdv/confirmer', { ...hiddenFields(details.body), prenom: 'Élise', nom: 'Vautrin', naissance: '', telephone: '', adresse: '', pourQui: 'moi' });
    expect(booked.statusCode).toBe(303);
    expect((await computer.get(booked.headers.location as string)).body).toContain('Votre rendez-vous est confirmé');
  });

  it('hides another usager’s confirmation page (404)', async () => {
    const browser = new InjectSession(app);
    const someoneElse = await database.db
      .selectFrom('appointments as a')
      .innerJoin('participations as p', 'p.appointment_id', 'a.id')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select('a.public_id')
      .where('u.email', '=', 'karim.haddad@demo.creneau.fr')
      .executeTakeFirstOrThrow();
    await signIn(browser, '/mes-rdv');
    expect((await browser.get(`/rdv/${someoneElse.public_id}/confirmation`)).statusCode).toBe(404);
    expect((await browser.get('/rdv/00000000000000000000000000000000/confirmation')).statusCode).toBe(404);
  });

  it('lets a prescripteur book for someone without an account, matching the beneficiary by name and phone', async () => {
    const browser = new InjectSession(app);
    const links = await slotLinks(browser, 'Consultation de puériculture');
    const slot = links[1]!;
    const identify = await browser.get(slot);
    const prescripteurLink = linksStartingWith(identify.body, '/prendre-rdv/prescripteur?')[0]!;
    const form = await browser.get(prescripteurLink);
    expect(form.body).toContain('Réserver pour une personne que vous accompagnez');
    const fields = hiddenFields(form.body);
    const wrong = await browser.post('/prendre-rdv/prescripteur', { ...fields, prescripteurPrenom: 'Sarah', prescripteurNom: 'Lopez', prescripteurEmail: 'pas-un-email', beneficiairePrenom: 'Karim', beneficiaireNom: 'Haddad', beneficiaireTelephone: '0612345602' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('value="pas-un-email"');
    const booked = await browser.post('/prendre-rdv/prescripteur', {
      ...fields,
      prescripteurPrenom: 'Sarah',
      prescripteurNom: 'Lopez',
      prescripteurEmail: 'sarah.lopez@asso-melun.fr',
      beneficiairePrenom: 'karim',
      beneficiaireNom: 'HADDAD',
      beneficiaireTelephone: '06 12 34 56 02',
    });
    expect(booked.statusCode).toBe(303);
    const confirmation = await browser.get(booked.headers.location as string);
    expect(confirmation.body).toContain('Le rendez-vous est confirmé');
    const karims = await database.db.selectFrom('users').select('id').where('phone_number_e164', '=', '+33612345602').execute();
    expect(karims).toHaveLength(1);
    const participation = await database.db
      .selectFrom('participations')
      .select(['created_by_type', 'user_id'])
      .where('user_id', '=', karims[0]!.id)
      .where('created_by_type', '=', 'prescripteur')
      .executeTakeFirstOrThrow();
    expect(participation.created_by_type).toBe('prescripteur');
  });

  it('takes a seat in a collective workshop from the funnel, and counts it', async () => {
    const browser = new InjectSession(app);
    const links = await slotLinks(browser, 'Atelier massage bébé', 1);
    const session = links.find((href) => href.includes('seance='));
    expect(session).toBeDefined();
    await signIn(browser, session!);
    const details = await browser.get(session!);
    expect(details.body).toContain('Vos informations');
    const sessionId = Number(/seance=(\d+)/.exec(session!)?.[1]);
    const before = await database.db.selectFrom('participations').select(({ fn }) => fn.countAll<number>().as('n')).where('appointment_id', '=', sessionId).executeTakeFirstOrThrow();
    const response = await browser.post('/prendre-rdv/confirmer', { ...hiddenFields(details.body), prenom: 'Camille', nom: 'Durand', naissance: '', telephone: '', adresse: '', pourQui: 'moi' });
    expect(response.statusCode).toBe(303);
    const after = await database.db.selectFrom('participations').select(({ fn }) => fn.countAll<number>().as('n')).where('appointment_id', '=', sessionId).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n + 1);
  });
});
