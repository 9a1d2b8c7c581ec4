import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { buildTestApp, createTestContext } from '../../../test/support/app.js';
import { InjectSession, linksStartingWith } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { buildApp } from '../../app.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';

/** A complete, valid motif form (the fields the page sends). */
function motifForm(serviceId: number, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    nom: 'Permanence logement',
    couleur: '#1f8d49',
    service: String(serviceId),
    categorie: '',
    duree: '30',
    pas: '',
    tamponAvant: '0',
    tamponApres: '0',
    typeLieu: 'public_office',
    reservablePar: 'everyone',
    delaiMinimum: '0,5',
    delaiMaximum: '91',
    delaiAnnulation: '4',
    delaiReport: '48',
    restriction: '',
    instructions: 'Apportez votre dernier avis d’imposition.',
    sectorisation: 'departement',
    visibilite: 'visible_and_notified',
    rappel1: '48',
    rappel2: '2',
    ...overrides,
  };
}

/** The values of the motif form's « Catégorie (invitations) » options, and the selected one. */
function categoryOptions(html: string): { values: string[]; selected: string | undefined } {
  const select = /<select[^>]*name="categorie">(.*?)<\/select>/s.exec(html)?.[1] ?? '';
  const options = [...select.matchAll(/<option value="([^"]*)"( selected)?>/g)];
  return { values: options.map((match) => match[1] ?? '').filter((value) => value !== ''), selected: options.find((match) => match[2] !== undefined)?.[1] };
}

describe('organisation administration: hub, details, places, motifs', { timeout: 180_000 }, () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let melunId: number;
  let meauxId: number;
  let reunionId: number;
  let socialServiceId: number;
  let admin: InjectSession;
  let basic: InjectSession;
  let reunionAdmin: InjectSession;

  const base = (organisationId: number): string => `/agents/organisations/${String(organisationId)}/administration`;

  async function organisationId(slug: string): Promise<number> {
    return (await database.db.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  }

  async function auditRows(subjectType: string, subjectId: number) {
    return database.db.selectFrom('audit_log').select(['action', 'actor_type', 'details']).where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).orderBy('id').execute();
  }

  async function motifIdByName(organisation: number, name: string): Promise<number> {
    return (await database.db.selectFrom('appointment_types').select('id').where('organisation_id', '=', organisation).where('name', '=', name).orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, new Date('2026-11-24T09:00:00Z'));
    app = await buildTestApp(database);
    melunId = await organisationId('mds-melun');
    meauxId = await organisationId('mds-meaux');
    reunionId = await organisationId('solidarites-saint-denis-974');
    socialServiceId = (await database.db.selectFrom('services').select('id').where('short_name', '=', 'Service social').executeTakeFirstOrThrow()).id;
    admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    basic = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    reunionAdmin = await signInAgent(app, DEMO_AGENT_EMAILS.reunionAdmin);
  }, 300_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('shows the hub to the organisation’s admin, with links to details, places, motifs, agents and teams', async () => {
    const page = await admin.get(base(melunId));
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const links = linksStartingWith(page.body, `/agents/organisations/${String(melunId)}/`);
    for (const path of ['/administration/organisation', '/administration/lieux', '/administration/motifs', '/agents', '/administration/equipes']) {
      expect(links, path).toContain(`/agents/organisations/${String(melunId)}${path}`);
    }
    expect(page.body).toContain('aria-current="page">Administration');
  });

  it('answers 404 to a basic agent, and to the admin of another organisation or territory', async () => {
    const place = (await database.db.selectFrom('places').select('id').where('organisation_id', '=', melunId).executeTakeFirstOrThrow()).id;
    const motif = (await database.db.selectFrom('appointment_types').select('id').where('organisation_id', '=', melunId).executeTakeFirstOrThrow()).id;
    const paths = ['', '/organisation', '/lieux', '/lieux/nouveau', `/lieux/${String(place)}/modifier`, '/motifs', '/motifs/nouveau', `/motifs/${String(motif)}/modifier`];
    const posts = ['/organisation', '/lieux/nouveau', `/lieux/${String(place)}/modifier`, `/lieux/${String(place)}/archiver`, `/lieux/${String(place)}/desarchiver`, '/motifs/nouveau', `/motifs/${String(motif)}/modifier`, `/motifs/${String(motif)}/dupliquer`, `/motifs/${String(motif)}/archiver`, `/motifs/${String(motif)}/desarchiver`];
    const answers: string[] = [];
    for (const [who, session, organisation] of [
      ['basic Melun', basic, melunId],
      ['admin Melun → Meaux', admin, meauxId],
      ['admin Melun → La Réunion', admin, reunionId],
      ['admin La Réunion → Melun', reunionAdmin, melunId],
    ] as const) {
      for (const path of paths) answers.push(`${who} GET ${path} → ${String((await session.get(`${base(organisation)}${path}`)).statusCode)}`);
      for (const path of posts) {
        await session.get('/agents/compte');
        answers.push(`${who} POST ${path} → ${String((await session.post(`${base(organisation)}${path}`, { nom: 'X' })).statusCode)}`);
      }
    }
    expect(answers.filter((answer) => !answer.endsWith('→ 404'))).toEqual([]);
    // Melun's own places and motifs through Meaux's admin pages (ids of another organisation) are 404 too.
    const meauxAdmin = await database.db.selectFrom('agent_roles').select('agent_id').where('organisation_id', '=', meauxId).executeTakeFirst();
    expect(meauxAdmin).toBeDefined();
    expect((await admin.get(`${base(melunId)}/lieux/${String((await database.db.selectFrom('places').select('id').where('organisation_id', '=', meauxId).executeTakeFirstOrThrow()).id)}/modifier`)).statusCode).toBe(404);
    expect((await admin.get(`${base(melunId)}/motifs/${String((await database.db.selectFrom('appointment_types').select('id').where('organisation_id', '=', meauxId).executeTakeFirstOrThrow()).id)}/modifier`)).statusCode).toBe(404);
    // Unchanged: nothing was written by the refused requests.
    expect(await database.db.selectFrom('audit_log').select('id').where('subject_type', 'in', ['organisation', 'place', 'appointment_type']).execute()).toEqual([]);
  });

  it('edits the organisation’s details, refuses a slug already taken with a French message and keeps the input', async () => {
    const form = await admin.get(`${base(melunId)}/organisation`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="mds-melun"');
    const taken = await admin.post(`${base(melunId)}/organisation`, { nom: 'MDS de Melun (nouveau nom)', telephone: '01 64 87 00 00', email: 'mds.melun@example.fr', siteWeb: 'https://www.seine-et-marne.fr', lienPublic: 'mds-meaux', identifiantExterne: '' });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('Ce lien public est déjà celui d’une autre organisation');
    expect(taken.body).toContain('value="MDS de Melun (nouveau nom)"');
    const bad = await admin.post(`${base(melunId)}/organisation`, { nom: '', telephone: '12', email: 'x', siteWeb: 'ftp://a', lienPublic: 'MDS Melun', identifiantExterne: 'é' });
    expect(bad.statusCode).toBe(422);
    for (const message of ['Saisissez le nom de l’organisation', 'Numéro de téléphone invalide', 'Adresse e-mail invalide', 'Site internet invalide', 'Lien public invalide', 'Identifiant externe invalide']) expect(bad.body).toContain(message);
    expect(bad.body).toContain('value="MDS Melun"');

    const saved = await admin.post(`${base(melunId)}/organisation`, { nom: 'MDS de Melun', telephone: '01 64 87 00 00', email: 'MDS.Melun@example.fr', siteWeb: 'https://www.seine-et-marne.fr', lienPublic: 'mds-melun-77', identifiantExterne: 'MDS-77-MELUN' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${base(melunId)}/organisation`);
    const row = await database.db.selectFrom('organisations').selectAll().where('id', '=', melunId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ slug: 'mds-melun-77', external_id: 'MDS-77-MELUN', email: 'mds.melun@example.fr', phone_number: '01 64 87 00 00', website: 'https://www.seine-et-marne.fr' });
    const audit = await auditRows('organisation', melunId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'update', actor_type: 'agent' });
    expect(JSON.stringify(audit[0]?.details)).not.toContain('example.fr');
    // The new public link works at once; the old one is gone.
    expect((await new InjectSession(app).get('/org/mds-melun-77')).statusCode).toBe(303);
    expect((await new InjectSession(app).get('/org/mds-melun')).statusCode).toBe(404);
    const page = await admin.get(`${base(melunId)}/organisation`);
    expect(page.body).toContain('Les informations de l’organisation ont été enregistrées.');
    // Saving the same values again writes no new audit row.
    await admin.post(`${base(melunId)}/organisation`, { nom: 'MDS de Melun', telephone: '01 64 87 00 00', email: 'mds.melun@example.fr', siteWeb: 'https://www.seine-et-marne.fr', lienPublic: 'mds-melun-77', identifiantExterne: 'MDS-77-MELUN' });
    expect(await auditRows('organisation', melunId)).toHaveLength(1);
    // Put the demo's slug back for the other tests.
    await admin.get(`${base(melunId)}/organisation`);
    expect((await admin.post(`${base(melunId)}/organisation`, { nom: 'Maison départementale des solidarités de Melun', lienPublic: 'mds-melun' })).statusCode).toBe(303);
  });

  it('creates a place through the address confirmation: the address found as text, the département’s zone, then saved with its coordinates', async () => {
    await admin.get(`${base(melunId)}/lieux/nouveau`);
    const confirm = await admin.post(`${base(melunId)}/lieux/nouveau`, { nom: 'Antenne de Fontainebleau', adresse: '14 rue de la Paroisse 77300 Fontainebleau', telephone: '01 60 70 00 00', accessibilite: 'Accès de plain-pied.\nBoucle magnétique à l’accueil.', fuseau: '', etape: 'verifier' });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Vérifiez l’adresse trouvée');
    expect(confirm.body).toContain('77300');
    expect(confirm.body).toContain('code INSEE 77186');
    expect(confirm.body).toMatch(/48,\d{5}° N, 2,\d{5}° E/);
    expect(confirm.body).toContain('France métropolitaine');
    // Nothing is written before the confirmation.
    expect(await database.db.selectFrom('places').select('id').where('name', '=', 'Antenne de Fontainebleau').execute()).toEqual([]);

    // « Corriger » goes back to the form with the input.
    const corrected = await admin.post(`${base(melunId)}/lieux/nouveau`, { nom: 'Antenne de Fontainebleau', adresse: '14 rue de la Paroisse 77300 Fontainebleau', telephone: '01 60 70 00 00', accessibilite: 'Accès de plain-pied.', fuseau: '', etape: 'corriger' });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.body).toContain('value="14 rue de la Paroisse 77300 Fontainebleau"');

    await admin.post(`${base(melunId)}/lieux/nouveau`, { nom: 'Antenne de Fontainebleau', adresse: '14 rue de la Paroisse 77300 Fontainebleau', telephone: '01 60 70 00 00', accessibilite: 'Accès de plain-pied.\nBoucle magnétique à l’accueil.', fuseau: '', etape: 'verifier' });
    const saved = await admin.post(`${base(melunId)}/lieux/nouveau`, { nom: 'Antenne de Fontainebleau', adresse: '14 rue de la Paroisse 77300 Fontainebleau', telephone: '01 60 70 00 00', accessibilite: 'Accès de plain-pied.\nBoucle magnétique à l’accueil.', fuseau: '', etape: 'enregistrer', choix: '0' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${base(melunId)}/lieux`);
    const place = await database.db.selectFrom('places').selectAll().where('name', '=', 'Antenne de Fontainebleau').executeTakeFirstOrThrow();
    expect(place).toMatchObject({ organisation_id: melunId, status: 'enabled', time_zone: 'Europe/Paris', phone_number: '01 60 70 00 00', accessibility_notes: 'Accès de plain-pied.\nBoucle magnétique à l’accueil.' });
    expect(place.address).toContain('Fontainebleau');
    expect(place.latitude).toBeCloseTo(48.4, 1);
    expect(await auditRows('place', place.id)).toMatchObject([{ action: 'create', actor_type: 'agent' }]);
    const list = await admin.get(`${base(melunId)}/lieux`);
    expect(list.body).toContain('Le lieu « Antenne de Fontainebleau » a été ajouté.');
    expect(list.body).toContain('Antenne de Fontainebleau');
  });

  it('takes La Réunion’s zone from the address’s département, and keeps a zone the admin chose', async () => {
    await reunionAdmin.get(`${base(reunionId)}/lieux/nouveau`);
    const fields = { nom: 'Antenne de la Source', adresse: '2 rue de la Source 97400 Saint-Denis', telephone: '0262 12 34 56', accessibilite: '', fuseau: '' };
    const confirm = await reunionAdmin.post(`${base(reunionId)}/lieux/nouveau`, { ...fields, etape: 'verifier' });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('La Réunion');
    expect(confirm.body).toMatch(/20,\d{5}° S, 55,\d{5}° E/);
    expect((await reunionAdmin.post(`${base(reunionId)}/lieux/nouveau`, { ...fields, etape: 'enregistrer', choix: '0' })).statusCode).toBe(303);
    const place = await database.db.selectFrom('places').select(['id', 'time_zone']).where('name', '=', 'Antenne de la Source').executeTakeFirstOrThrow();
    expect(place.time_zone).toBe('Indian/Reunion');

    // An override: Mayotte's zone, chosen explicitly on an edit of the same place (address unchanged).
    const edit = await reunionAdmin.get(`${base(reunionId)}/lieux/${String(place.id)}/modifier`);
    expect(edit.body).toContain('<option value="Indian/Reunion" selected');
    const savedEdit = await reunionAdmin.post(`${base(reunionId)}/lieux/${String(place.id)}/modifier`, { ...fields, adresse: (await database.db.selectFrom('places').select('address').where('id', '=', place.id).executeTakeFirstOrThrow()).address, fuseau: 'Indian/Mayotte', etape: 'verifier' });
    expect(savedEdit.statusCode).toBe(303);
    expect((await database.db.selectFrom('places').select('time_zone').where('id', '=', place.id).executeTakeFirstOrThrow()).time_zone).toBe('Indian/Mayotte');
    expect(await auditRows('place', place.id)).toMatchObject([{ action: 'create' }, { action: 'update' }]);
  });

  it('nothing found: a French message, the input kept, and the address saved without coordinates only when asked', async () => {
    await admin.get(`${base(melunId)}/lieux/nouveau`);
    const fields = { nom: 'Bureau provisoire', adresse: 'Zzqx Wvbn Ppqr', telephone: '', accessibilite: '', fuseau: '' };
    const notFound = await admin.post(`${base(melunId)}/lieux/nouveau`, { ...fields, etape: 'verifier' });
    expect(notFound.statusCode).toBe(422);
    expect(notFound.body).toContain('Adresse introuvable');
    expect(notFound.body).toContain('value="Zzqx Wvbn Ppqr"');
    expect(notFound.body).toContain('name="sansCoordonnees"');
    const saved = await admin.post(`${base(melunId)}/lieux/nouveau`, { ...fields, sansCoordonnees: 'oui', etape: 'verifier' });
    expect(saved.statusCode).toBe(303);
    const place = await database.db.selectFrom('places').selectAll().where('name', '=', 'Bureau provisoire').executeTakeFirstOrThrow();
    expect(place).toMatchObject({ address: 'Zzqx Wvbn Ppqr', latitude: null, longitude: null, time_zone: 'Europe/Paris' });
    expect(await auditRows('place', place.id)).toMatchObject([{ action: 'create' }]);
  });

  it('geocoder unavailable: a French message, the input kept, nothing written', async () => {
    const context = createTestContext(database);
    const offline = await buildApp({ ...context, config: { ...context.config, geocoderUrl: 'http://127.0.0.1:9' } });
    await offline.ready();
    try {
      const session = await signInAgent(offline, DEMO_AGENT_EMAILS.melunAdmin);
      await session.get(`${base(melunId)}/lieux/nouveau`);
      const before = await database.db.selectFrom('places').select('id').execute();
      const response = await session.post(`${base(melunId)}/lieux/nouveau`, { nom: 'Lieu hors ligne', adresse: '20 quai Hippolyte Rossignol 77000 Melun', telephone: '', accessibilite: '', fuseau: '', etape: 'verifier' });
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('La vérification des adresses est momentanément indisponible');
      expect(response.body).toContain('value="Lieu hors ligne"');
      expect(await database.db.selectFrom('places').select('id').execute()).toHaveLength(before.length);
    } finally {
      await offline.close();
    }
  });

  it('refuses bad place input with French messages per field (422) and hostile values (4xx, never 500)', async () => {
    await admin.get(`${base(melunId)}/lieux/nouveau`);
    const bad = await admin.post(`${base(melunId)}/lieux/nouveau`, { nom: '', adresse: 'ab', telephone: 'abc', accessibilite: 'x'.repeat(1001), fuseau: 'Europe/Berlin', etape: 'verifier' });
    expect(bad.statusCode).toBe(422);
    for (const message of ['Saisissez le nom du lieu', 'Saisissez l’adresse du lieu', 'Numéro de téléphone invalide', 'Informations d’accessibilité invalides', 'Choisissez un fuseau horaire dans la liste.']) expect(bad.body).toContain(message);
    const huge = await admin.post(`${base(melunId)}/lieux/nouveau`, { nom: 'x'.repeat(10_000), adresse: 'y'.repeat(10_000), etape: 'verifier' });
    expect(huge.statusCode).toBe(422);
    expect(huge.body).not.toContain('x'.repeat(2001));
    expect((await admin.post(`${base(melunId)}/lieux/nouveau`, { nom: 'x'.repeat(10_001) })).statusCode).toBe(400);
    await admin.get(`${base(melunId)}/lieux/nouveau`);
    const control = await admin.post(`${base(melunId)}/lieux/nouveau`, { nom: 'Lieu\u0000', adresse: '1 rue\u0007 Melun', etape: 'verifier' });
    expect(control.statusCode).toBe(422);
    expect(control.body).toContain('Adresse invalide');
    expect((await admin.post(`${base(melunId)}/lieux/nouveau`, { nom: 'Lieu', etape: 'supprimer' })).statusCode).toBe(400);
    await admin.get(`${base(melunId)}/lieux/nouveau`);
    const token = /name="_csrf" value="([^"]+)"/.exec(admin.lastBody)?.[1] ?? '';
    const repeated = await admin.send('POST', `${base(melunId)}/lieux/nouveau`, `_csrf=${encodeURIComponent(token)}&nom=A&nom=B&adresse=x`, 'application/x-www-form-urlencoded');
    expect(repeated.statusCode).toBe(400);
    await admin.get(`${base(melunId)}/lieux`);
    const wrongPlace = await admin.post(`${base(melunId)}/lieux/abc/modifier`, { nom: 'A' });
    expect(wrongPlace.statusCode).toBe(404);
  });

  it('archives and brings back a place; the archived place is listed apart and offers no slot', async () => {
    const place = await database.db.selectFrom('places').select('id').where('name', '=', 'Bureau provisoire').executeTakeFirstOrThrow();
    await admin.get(`${base(melunId)}/lieux`);
    expect((await admin.post(`${base(melunId)}/lieux/${String(place.id)}/archiver`, {})).statusCode).toBe(303);
    expect((await database.db.selectFrom('places').select('status').where('id', '=', place.id).executeTakeFirstOrThrow()).status).toBe('disabled');
    const list = await admin.get(`${base(melunId)}/lieux`);
    expect(list.body).toContain('Le lieu a été archivé');
    expect(list.body.indexOf('Bureau provisoire')).toBeGreaterThan(list.body.indexOf('Lieux archivés'));
    expect((await admin.post(`${base(melunId)}/lieux/${String(place.id)}/desarchiver`, {})).statusCode).toBe(303);
    expect((await database.db.selectFrom('places').select('status').where('id', '=', place.id).executeTakeFirstOrThrow()).status).toBe('enabled');
    expect(await auditRows('place', place.id)).toMatchObject([{ action: 'create' }, { action: 'update' }, { action: 'update' }]);
  });

  it('creates a motif with every field, refuses bad input per field, and refuses a name already active', async () => {
    const form = await admin.get(`${base(melunId)}/motifs/nouveau`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`<option value="${String(socialServiceId)}"`);
    const bad = await admin.post(`${base(melunId)}/motifs/nouveau`, motifForm(socialServiceId, { nom: '', couleur: 'vert', duree: '0', delaiMinimum: '72', delaiMaximum: '2', rappel1: '5', rappel2: '5', typeLieu: 'ailleurs' }));
    expect(bad.statusCode).toBe(422);
    for (const message of ['Saisissez le nom du motif', 'Couleur invalide', 'Durée invalide', 'Le délai maximum de réservation doit être plus long que le délai minimum.', 'Les deux rappels doivent être à des moments différents.', 'Choisissez le type de rendez-vous']) expect(bad.body).toContain(message);
    expect(bad.body).toContain('value="vert"');
    const unknownService = await admin.post(`${base(melunId)}/motifs/nouveau`, motifForm(999_999));
    expect(unknownService.statusCode).toBe(422);
    expect(unknownService.body).toContain('Choisissez un service proposé par le territoire.');
    const taken = await admin.post(`${base(melunId)}/motifs/nouveau`, motifForm(socialServiceId, { nom: 'visite à domicile' }));
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('Un autre motif actif de l’organisation porte déjà ce nom');

    const saved = await admin.post(`${base(melunId)}/motifs/nouveau`, motifForm(socialServiceId, { categorie: '', pas: '15', tamponApres: '10' }));
    expect(saved.statusCode).toBe(303);
    const motif = await database.db.selectFrom('appointment_types').selectAll().where('organisation_id', '=', melunId).where('name', '=', 'Permanence logement').executeTakeFirstOrThrow();
    expect(motif).toMatchObject({
      service_id: socialServiceId,
      color: '#1f8d49',
      duration_minutes: 30,
      slot_step_minutes: 15,
      buffer_after_minutes: 10,
      bookable_by: 'everyone',
      min_booking_notice_minutes: 30,
      max_booking_notice_minutes: 91 * 1440,
      cancel_deadline_minutes: 240,
      reschedule_deadline_minutes: 2880,
      reminder_offsets_minutes: [2880, 120],
      instruction_for_booking: 'Apportez votre dernier avis d’imposition.',
      archived_at: null,
    });
    expect(await auditRows('appointment_type', motif.id)).toMatchObject([{ action: 'create', actor_type: 'agent' }]);
    const list = await admin.get(`${base(melunId)}/motifs`);
    expect(list.body).toContain('Permanence logement');
    expect(list.body).toContain(`agenda-motif-${String(motif.id)}`);
    expect(list.body).toContain('Motifs actifs — Service social');

    // Edit: the form shows hours back; a change writes one audit row with the field names.
    const edit = await admin.get(`${base(melunId)}/motifs/${String(motif.id)}/modifier`);
    expect(edit.body).toContain('name="delaiMinimum" value="0,5"');
    const edited = await admin.post(`${base(melunId)}/motifs/${String(motif.id)}/modifier`, motifForm(socialServiceId, { pas: '15', tamponApres: '10', duree: '45' }));
    expect(edited.statusCode).toBe(303);
    expect((await database.db.selectFrom('appointment_types').select('duration_minutes').where('id', '=', motif.id).executeTakeFirstOrThrow()).duration_minutes).toBe(45);
    const audit = await auditRows('appointment_type', motif.id);
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit[1]?.details)).toContain('duration_minutes');
  });

  it('refuses hostile motif input (10 000 characters, control characters, repeated fields) with 4xx, never 500', async () => {
    await admin.get(`${base(melunId)}/motifs/nouveau`);
    const huge = await admin.post(`${base(melunId)}/motifs/nouveau`, motifForm(socialServiceId, { nom: 'n'.repeat(10_000), restriction: 'r'.repeat(10_000), instructions: 'i\u0000' }));
    expect(huge.statusCode).toBe(422);
    expect(huge.body).toContain('Nom invalide');
    expect(huge.body).toContain('Conditions invalides');
    expect(huge.body).toContain('Instructions invalides');
    expect((await admin.post(`${base(melunId)}/motifs/nouveau`, motifForm(socialServiceId, { nom: 'n'.repeat(10_001) }))).statusCode).toBe(400);
    await admin.get(`${base(melunId)}/motifs/nouveau`);
    const token = /name="_csrf" value="([^"]+)"/.exec(admin.lastBody)?.[1] ?? '';
    const repeated = await admin.send('POST', `${base(melunId)}/motifs/nouveau`, `_csrf=${encodeURIComponent(token)}&duree=30&duree=45`, 'application/x-www-form-urlencoded');
    expect(repeated.statusCode).toBe(400);
    await admin.get(`${base(melunId)}/motifs/nouveau`);
    const controls = await admin.post(`${base(melunId)}/motifs/nouveau`, motifForm(socialServiceId, { nom: 'Accueil\u202e', duree: '1e9', delaiMaximum: '-1' }));
    expect(controls.statusCode).toBe(422);
    for (const message of ['Nom invalide', 'Durée invalide', 'Délai maximum invalide']) expect(controls.body).toContain(message);
    expect(await database.db.selectFrom('appointment_types').select('id').where('name', 'like', 'Accueil%').execute()).toEqual([]);
  });

  it('duplicates a motif into « (copie) », opens its edit page, then archives the copy and refuses to bring back a motif whose name is taken', async () => {
    const source = await motifIdByName(melunId, 'Permanence logement');
    await admin.get(`${base(melunId)}/motifs`);
    const duplicated = await admin.post(`${base(melunId)}/motifs/${String(source)}/dupliquer`, {});
    expect(duplicated.statusCode).toBe(303);
    const copyId = await motifIdByName(melunId, 'Permanence logement (copie)');
    expect(duplicated.headers.location).toBe(`${base(melunId)}/motifs/${String(copyId)}/modifier`);
    const copy = await database.db.selectFrom('appointment_types').selectAll().where('id', '=', copyId).executeTakeFirstOrThrow();
    const original = await database.db.selectFrom('appointment_types').selectAll().where('id', '=', source).executeTakeFirstOrThrow();
    const comparable = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([key]) => !['id', 'name', 'created_at'].includes(key)));
    expect(comparable(copy)).toEqual(comparable(original));
    expect(Object.keys(comparable(copy))).toContain('reminder_offsets_minutes');
    const edit = await admin.get(duplicated.headers.location as string);
    expect(edit.body).toContain('Le motif a été dupliqué');
    expect(edit.body).toContain('value="Permanence logement (copie)"');
    expect(await auditRows('appointment_type', copyId)).toMatchObject([{ action: 'create', details: { copyOf: source } }]);

    // A second copy is « (copie 2) ».
    await admin.post(`${base(melunId)}/motifs/${String(source)}/dupliquer`, {});
    const second = await motifIdByName(melunId, 'Permanence logement (copie 2)');

    await admin.get(`${base(melunId)}/motifs`);
    expect((await admin.post(`${base(melunId)}/motifs/${String(copyId)}/archiver`, {})).statusCode).toBe(303);
    expect((await database.db.selectFrom('appointment_types').select('archived_at').where('id', '=', copyId).executeTakeFirstOrThrow()).archived_at).not.toBeNull();
    const list = await admin.get(`${base(melunId)}/motifs`);
    expect(list.body).toContain('Le motif a été archivé');
    expect(list.body.indexOf('Permanence logement (copie)<')).toBeGreaterThan(list.body.indexOf('Motifs archivés'));

    // Rename the second copy to the archived one's name: the archived one cannot come back.
    expect((await admin.post(`${base(melunId)}/motifs/${String(second)}/modifier`, motifForm(socialServiceId, { nom: 'Permanence logement (copie)' }))).statusCode).toBe(303);
    await admin.get(`${base(melunId)}/motifs`);
    const refused = await admin.post(`${base(melunId)}/motifs/${String(copyId)}/desarchiver`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('un autre motif actif porte le même nom');
    expect((await admin.post(`${base(melunId)}/motifs/${String(second)}/archiver`, {})).statusCode).toBe(303);
    await admin.get(`${base(melunId)}/motifs`);
    expect((await admin.post(`${base(melunId)}/motifs/${String(copyId)}/desarchiver`, {})).statusCode).toBe(303);
    expect((await database.db.selectFrom('appointment_types').select('archived_at').where('id', '=', copyId).executeTakeFirstOrThrow()).archived_at).toBeNull();
  });

  it('offers only the motif categories the territory enables, and refuses another on create with the French message and the input kept', async () => {
    const category = async (shortName: string) => (await database.db.selectFrom('motif_categories').select('id').where('short_name', '=', shortName).executeTakeFirstOrThrow()).id;
    const orientationId = await category('rsa_orientation');
    const accompagnementId = await category('rsa_accompagnement');
    // A category of the instance that Seine-et-Marne has not enabled (La Réunion has).
    const insertionId = (await database.db.insertInto('motif_categories').values({ name: 'Insertion professionnelle', short_name: 'insertion_pro' }).returning('id').executeTakeFirstOrThrow()).id;
    const reunionTerritoryId = (await database.db.selectFrom('territories').select('id').where('departement_number', '=', '974').executeTakeFirstOrThrow()).id;
    await database.db.insertInto('territory_motif_categories').values({ territory_id: reunionTerritoryId, motif_category_id: insertionId }).execute();

    const form = await admin.get(`${base(melunId)}/motifs/nouveau`);
    expect(form.statusCode).toBe(200);
    expect(categoryOptions(form.body).values.sort()).toEqual([String(orientationId), String(accompagnementId)].sort());
    expect(form.body).not.toContain('Insertion professionnelle');
    expect(categoryOptions((await reunionAdmin.get(`${base(reunionId)}/motifs/nouveau`)).body).values).toEqual([String(insertionId)]);

    const refused = await admin.post(`${base(melunId)}/motifs/nouveau`, motifForm(socialServiceId, { nom: 'Permanence emploi', categorie: String(insertionId) }));
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Choisissez une catégorie de la liste, ou aucune.');
    expect(refused.body).toContain('value="Permanence emploi"');
    expect(categoryOptions(refused.body).values).not.toContain(String(insertionId));
    expect(await database.db.selectFrom('appointment_types').select('id').where('name', '=', 'Permanence emploi').execute()).toEqual([]);

    const saved = await admin.post(`${base(melunId)}/motifs/nouveau`, motifForm(socialServiceId, { nom: 'Permanence emploi', categorie: String(orientationId) }));
    expect(saved.statusCode).toBe(303);
    const motif = await database.db.selectFrom('appointment_types').select('motif_category_id').where('organisation_id', '=', melunId).where('name', '=', 'Permanence emploi').executeTakeFirstOrThrow();
    expect(motif.motif_category_id).toBe(orientationId);
  });

  it('lets a motif whose category the territory disabled since keep it when edited (and its copy too), but offers it to no other motif', async () => {
    const categoryId = (await database.db.selectFrom('motif_categories').select('id').where('short_name', '=', 'rsa_orientation').executeTakeFirstOrThrow()).id;
    const territoryId = (await database.db.selectFrom('organisations').select('territory_id').where('id', '=', melunId).executeTakeFirstOrThrow()).territory_id;
    const motifId = await motifIdByName(melunId, 'Permanence emploi');
    // Disabled in the territory, as a bundle import naming other categories does.
    await database.db.deleteFrom('territory_motif_categories').where('territory_id', '=', territoryId).where('motif_category_id', '=', categoryId).execute();
    try {
      const edit = await admin.get(`${base(melunId)}/motifs/${String(motifId)}/modifier`);
      expect(edit.statusCode).toBe(200);
      expect(categoryOptions(edit.body)).toMatchObject({ values: expect.arrayContaining([String(categoryId)]) as unknown, selected: String(categoryId) });
      const edited = await admin.post(`${base(melunId)}/motifs/${String(motifId)}/modifier`, motifForm(socialServiceId, { nom: 'Permanence emploi', categorie: String(categoryId), duree: '45' }));
      expect(edited.statusCode).toBe(303);
      expect(await database.db.selectFrom('appointment_types').select(['motif_category_id', 'duration_minutes']).where('id', '=', motifId).executeTakeFirstOrThrow()).toEqual({ motif_category_id: categoryId, duration_minutes: 45 });

      // Not offered to a new motif, nor to another motif's edit (the exception is the motif's own category).
      expect(categoryOptions((await admin.get(`${base(melunId)}/motifs/nouveau`)).body).values).not.toContain(String(categoryId));
      const otherId = await motifIdByName(melunId, 'Permanence logement');
      expect(categoryOptions((await admin.get(`${base(melunId)}/motifs/${String(otherId)}/modifier`)).body).values).not.toContain(String(categoryId));
      const other = await admin.post(`${base(melunId)}/motifs/${String(otherId)}/modifier`, motifForm(socialServiceId, { categorie: String(categoryId) }));
      expect(other.statusCode).toBe(422);
      expect(other.body).toContain('Choisissez une catégorie de la liste, ou aucune.');
      expect((await database.db.selectFrom('appointment_types').select('motif_category_id').where('id', '=', otherId).executeTakeFirstOrThrow()).motif_category_id).toBeNull();

      // A copy is the same motif: it keeps the category, and its edit page offers it.
      await admin.get(`${base(melunId)}/motifs`);
      const duplicated = await admin.post(`${base(melunId)}/motifs/${String(motifId)}/dupliquer`, {});
      expect(duplicated.statusCode).toBe(303);
      const copyId = await motifIdByName(melunId, 'Permanence emploi (copie)');
      expect((await database.db.selectFrom('appointment_types').select('motif_category_id').where('id', '=', copyId).executeTakeFirstOrThrow()).motif_category_id).toBe(categoryId);
      const copyEdit = await admin.get(duplicated.headers.location as string);
      expect(categoryOptions(copyEdit.body).selected).toBe(String(categoryId));
      const copySaved = await admin.post(`${base(melunId)}/motifs/${String(copyId)}/modifier`, motifForm(socialServiceId, { nom: 'Permanence emploi (copie)', categorie: String(categoryId) }));
      expect(copySaved.statusCode).toBe(303);
      await admin.get(`${base(melunId)}/motifs`);
      expect((await admin.post(`${base(melunId)}/motifs/${String(copyId)}/archiver`, {})).statusCode).toBe(303);
    } finally {
      await database.db.insertInto('territory_motif_categories').values({ territory_id: territoryId, motif_category_id: categoryId }).onConflict((oc) => oc.doNothing()).execute();
    }
  });

  it('archiving a motif keeps its future appointments and tells the admin how many remain', async () => {
    const row = await database.db
      .selectFrom('appointments')
      .select(['appointment_type_id'])
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('organisation_id', '=', melunId)
      .where(sql<boolean>`lower(during) > ${new Date('2026-11-24T09:00:00Z')}`)
      .where('status', 'not in', ['excused', 'revoked'])
      .groupBy('appointment_type_id')
      .orderBy('appointment_type_id')
      .executeTakeFirstOrThrow();
    const motifId = row.appointment_type_id;
    const statuses = async () => (await database.db.selectFrom('appointments').select(['id', 'status']).where('appointment_type_id', '=', motifId).orderBy('id').execute());
    const before = await statuses();
    await admin.get(`${base(melunId)}/motifs`);
    expect((await admin.post(`${base(melunId)}/motifs/${String(motifId)}/archiver`, {})).statusCode).toBe(303);
    const list = await admin.get(`${base(melunId)}/motifs`);
    expect(list.body).toContain(`${row.count} rendez-vous à venir`);
    expect(await statuses()).toEqual(before);
    const audit = await auditRows('appointment_type', motifId);
    expect(audit.at(-1)).toMatchObject({ action: 'update', details: { archived: true, futureAppointments: Number(row.count) } });
    await admin.post(`${base(melunId)}/motifs/${String(motifId)}/desarchiver`, {});
    expect((await database.db.selectFrom('appointment_types').select('archived_at').where('id', '=', motifId).executeTakeFirstOrThrow()).archived_at).toBeNull();
  });

  it('makes a place and a motif created here bookable in the public funnel at once (no cache)', async () => {
    // The place and motif come from the admin pages; an opening period of a Melun social worker offers them.
    await admin.get(`${base(melunId)}/lieux/nouveau`);
    const fields = { nom: 'Antenne de Dammarie (admin)', adresse: '9 avenue du Général de Gaulle 77190 Dammarie-lès-Lys', telephone: '', accessibilite: 'Ascenseur au fond du hall.', fuseau: '' };
    await admin.post(`${base(melunId)}/lieux/nouveau`, { ...fields, etape: 'verifier' });
    expect((await admin.post(`${base(melunId)}/lieux/nouveau`, { ...fields, etape: 'enregistrer', choix: '0' })).statusCode).toBe(303);
    const placeId = (await database.db.selectFrom('places').select('id').where('name', '=', fields.nom).executeTakeFirstOrThrow()).id;
    await admin.get(`${base(melunId)}/motifs/nouveau`);
    expect((await admin.post(`${base(melunId)}/motifs/nouveau`, motifForm(socialServiceId, { nom: 'Aide aux démarches énergie', rappel2: '' }))).statusCode).toBe(303);
    const motifId = await motifIdByName(melunId, 'Aide aux démarches énergie');
    const worker = await database.db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.melunBasic).executeTakeFirstOrThrow();
    const period = await database.db
      .insertInto('opening_periods')
      .values({ organisation_id: melunId, agent_id: worker.id, place_id: placeId, title: 'Permanence énergie', first_day: '2026-11-23', last_day: null, start_time: '14:00', end_time: '17:00', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.insertInto('opening_period_appointment_types').values({ opening_period_id: period.id, appointment_type_id: motifId }).execute();

    const citizen = new InjectSession(app);
    await citizen.get('/');
    expect((await citizen.post('/recherche', { adresse: '20 quai Hippolyte Rossignol 77000 Melun' })).statusCode).toBe(303);
    const services = await citizen.get(`/prendre-rdv?service=${String(socialServiceId)}`);
    expect(services.body).toContain('Aide aux démarches énergie');
    const where = await citizen.get(`/prendre-rdv?motif=${String(motifId)}`);
    expect(where.statusCode).toBe(200);
    expect(where.body).toContain('Antenne de Dammarie (admin)');
    expect(where.body).toContain('Accessibilité : Ascenseur au fond du hall.');
    const week = await citizen.get(`/prendre-rdv?motif=${String(motifId)}&lieu=${String(placeId)}`);
    expect(week.statusCode).toBe(200);
    expect(linksStartingWith(week.body, '/prendre-rdv/creneau?').length).toBeGreaterThan(0);

    // Archived, the motif is offered no more, at once; the place likewise.
    await admin.get(`${base(melunId)}/motifs`);
    await admin.post(`${base(melunId)}/motifs/${String(motifId)}/archiver`, {});
    expect((await citizen.get(`/prendre-rdv?motif=${String(motifId)}`)).statusCode).toBe(404);
    await admin.get(`${base(melunId)}/motifs`);
    await admin.post(`${base(melunId)}/motifs/${String(motifId)}/desarchiver`, {});
    await admin.get(`${base(melunId)}/lieux`);
    await admin.post(`${base(melunId)}/lieux/${String(placeId)}/archiver`, {});
    const withoutPlace = await citizen.get(`/prendre-rdv?motif=${String(motifId)}`);
    expect(withoutPlace.body).not.toContain('Antenne de Dammarie (admin)');
  });
});
