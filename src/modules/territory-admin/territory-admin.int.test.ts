import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { NOW, DAY_MS, findTypeId } from '../../../test/support/appointments.js';
import { buildTestApp } from '../../../test/support/app.js';
import type { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { prepareTerritoryAdmins } from '../../../test/support/territory-admins.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { dayNumberToIsoDate, localDayOf } from '../../shared/time/index.js';
import { searchSlots } from '../availability/index.js';

describe('territory administration: hub, organisations, agents and roles, services, fields, holidays and closures', { timeout: 180_000 }, () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: InjectSession;
  let reunion: InjectSession;
  let melunAdmin: InjectSession;
  let t77: number;
  let t974: number;
  let admin77: number;
  let melunId: number;
  let meauxId: number;
  let reunionOrgId: number;

  const base = (suffix = ''): string => `/agents/territoires/${String(t77)}${suffix}`;

  async function idOf(table: 'organisations' | 'agents', column: 'slug' | 'email', value: string): Promise<number> {
    const row = await database.db.selectFrom(table).select('id').where(column as never, '=', value as never).executeTakeFirstOrThrow();
    return row.id;
  }

  async function auditRows(subjectType: string): Promise<{ action: string; subject_id: number | null; territory_id: number | null; actor_id: number | null; details: unknown }[]> {
    return database.db.selectFrom('audit_log').select(['action', 'subject_id', 'territory_id', 'actor_id', 'details']).where('subject_type', '=', subjectType).orderBy('id').execute();
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    ({ territory77: t77, territory974: t974, admin77 } = await prepareTerritoryAdmins(database.db));
    app = await buildTestApp(database);
    admin = await signInAgent(app, DEMO_AGENT_EMAILS.territoryAdmin77);
    reunion = await signInAgent(app, DEMO_AGENT_EMAILS.reunionAdmin);
    melunAdmin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    melunId = await idOf('organisations', 'slug', 'mds-melun');
    meauxId = await idOf('organisations', 'slug', 'mds-meaux');
    reunionOrgId = await idOf('organisations', 'slug', 'solidarites-saint-denis-974');
  }, 300_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('the hub links to every page of the territory, sectorisation, the SMS settings and the read journal', async () => {
    const response = await admin.get(base());
    expect(response.statusCode).toBe(200);
    for (const href of ['/organisations', '/agents', '/services', '/champs', '/jours-feries', '/sectorisation']) expect(response.body).toContain(`href="${base(href)}"`);
    expect(response.body).toContain(`href="/agents/organisations/${String(meauxId)}/territoire/notifications"`);
    expect(response.body).toContain(`href="/agents/organisations/${String(meauxId)}/journal-des-consultations"`);
    expect(response.body).toContain('Seine-et-Marne (77)');
  });

  it('only the territory’s admins reach its pages: another territory’s admin, an organisation admin, unknown ids → 404', async () => {
    expect((await reunion.get(base())).statusCode).toBe(404);
    expect((await melunAdmin.get(base('/organisations'))).statusCode).toBe(404);
    expect((await admin.get(`/agents/territoires/${String(t974)}`)).statusCode).toBe(404);
    expect((await admin.get('/agents/territoires/999999')).statusCode).toBe(404);
    expect((await admin.get('/agents/territoires/abc')).statusCode).toBe(404);
    expect((await reunion.get(`/agents/territoires/${String(t974)}`)).statusCode).toBe(200);
  });

  it('lists the organisations with their agents, places and motifs', async () => {
    const response = await admin.get(base('/organisations'));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Maison départementale des solidarités de Melun');
    expect(response.body).not.toContain('solidarites-saint-denis-974');
    const counts = await sql<{ agents: number; places: number; motifs: number }>`SELECT
        (SELECT count(*) FROM agent_roles WHERE organisation_id = ${melunId})::int AS agents,
        (SELECT count(*) FROM places WHERE organisation_id = ${melunId} AND status = 'enabled')::int AS places,
        (SELECT count(*) FROM appointment_types WHERE organisation_id = ${melunId} AND archived_at IS NULL)::int AS motifs`.execute(database.db);
    const expected = counts.rows[0];
    expect(expected).toBeDefined();
    const row = /<th scope="row">Maison départementale des solidarités de Melun<\/th>([\s\S]*?)<\/tr>/.exec(response.body)?.[1] ?? '';
    const cells = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((match) => (match[1] ?? '').replace(/<[^>]+>/g, '').trim());
    expect(cells.slice(1, 4)).toEqual([String(expected?.agents), String(expected?.places), String(expected?.motifs)]);
  });

  it('creates an organisation (zone of the département, or overridden), refuses bad input with French messages and kept input', async () => {
    await admin.get(base('/organisations/nouvelle'));
    const created = await admin.post(base('/organisations/nouvelle'), { nom: 'MDS de Provins', slug: 'mds-provins', telephone: '01 64 00 00 09', email: 'mds.provins@departement77.fr', siteWeb: 'https://www.seine-et-marne.fr', identifiantExterne: 'MDS-PROV', fuseauHoraire: '' });
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe(base('/organisations'));
    const row = await database.db.selectFrom('organisations').selectAll().where('slug', '=', 'mds-provins').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ territory_id: t77, name: 'MDS de Provins', time_zone: 'Europe/Paris', phone_number: '01 64 00 00 09', external_id: 'MDS-PROV', website: 'https://www.seine-et-marne.fr' });
    expect((await admin.get(base('/organisations'))).body).toContain('L’organisation « MDS de Provins » a été créée');
    const audit = (await auditRows('organisation')).filter((entry) => entry.subject_id === row.id);
    expect(audit).toMatchObject([{ action: 'create', territory_id: t77, actor_id: admin77 }]);

    await admin.get(base('/organisations/nouvelle'));
    const overridden = await admin.post(base('/organisations/nouvelle'), { nom: 'Antenne outre-mer', slug: 'antenne-om-77', fuseauHoraire: 'Indian/Reunion' });
    expect(overridden.statusCode).toBe(303);
    expect((await database.db.selectFrom('organisations').select('time_zone').where('slug', '=', 'antenne-om-77').executeTakeFirstOrThrow()).time_zone).toBe('Indian/Reunion');

    await admin.get(base('/organisations/nouvelle'));
    const refused = await admin.post(base('/organisations/nouvelle'), { nom: '', slug: 'Pas Bon !', telephone: 'abc', email: 'pas-une-adresse', siteWeb: 'javascript:alert(1)', identifiantExterne: 'é é', fuseauHoraire: 'Mars/Olympus' });
    expect(refused.statusCode).toBe(422);
    for (const message of ['Saisissez le nom de l’organisation.', 'L’identifiant du lien public ne contient que', 'Saisissez un numéro de téléphone valide', 'Saisissez une adresse e-mail valide', 'commençant par https://', 'L’identifiant externe ne contient que', 'Choisissez un fuseau horaire valide']) {
      expect(refused.body).toContain(message);
    }
    expect(refused.body).toContain('value="Pas Bon !"');
    expect(refused.body).toContain('value="Mars/Olympus"');
    expect(refused.body).toContain('<title>Erreur');

    await admin.get(base('/organisations/nouvelle'));
    const taken = await admin.post(base('/organisations/nouvelle'), { nom: 'Doublon', slug: 'solidarites-saint-denis-974', identifiantExterne: 'MDS-MELUN' });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('Cet identifiant de lien public est déjà celui d’une autre organisation');
    expect(taken.body).toContain('Cet identifiant externe est déjà celui d’une autre organisation du territoire.');
    expect(await database.db.selectFrom('organisations').select('id').where('name', '=', 'Doublon').execute()).toEqual([]);
  });

  it('edits an organisation of the territory only; the audit names the changed fields', async () => {
    const edit = base(`/organisations/${String(meauxId)}/modifier`);
    const form = await admin.get(edit);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="mds-meaux"');
    const saved = await admin.post(edit, { nom: 'Maison départementale des solidarités de Meaux', slug: 'mds-meaux', telephone: '01 60 00 00 42', identifiantExterne: 'MDS-MEAUX', fuseauHoraire: 'Europe/Paris' });
    expect(saved.statusCode).toBe(303);
    expect((await database.db.selectFrom('organisations').select('phone_number').where('id', '=', meauxId).executeTakeFirstOrThrow()).phone_number).toBe('01 60 00 00 42');
    const audit = (await auditRows('organisation')).filter((entry) => entry.subject_id === meauxId);
    expect(audit.at(-1)).toMatchObject({ action: 'update', territory_id: t77, details: { fields: ['phoneNumber'] } });

    await admin.get(edit);
    const refused = await admin.post(edit, { nom: 'Meaux', slug: 'mds-melun' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Cet identifiant de lien public est déjà celui d’une autre organisation');
    expect((await admin.get(base(`/organisations/${String(reunionOrgId)}/modifier`))).statusCode).toBe(404);
    await admin.get(edit);
    expect((await admin.post(base(`/organisations/${String(reunionOrgId)}/modifier`), { nom: 'Pris', slug: 'pris' })).statusCode).toBe(404);
    expect((await database.db.selectFrom('organisations').select('name').where('id', '=', reunionOrgId).executeTakeFirstOrThrow()).name).not.toBe('Pris');
  });

  it('lists the territory’s agents, filtered by organisation and by name or e-mail; a foreign organisation in the filter → 404', async () => {
    const all = await admin.get(base('/agents'));
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('Benali');
    expect(all.body).not.toContain(DEMO_AGENT_EMAILS.reunionAdmin);
    const meaux = await admin.get(base(`/agents?organisation=${String(meauxId)}`));
    expect(meaux.body).toContain(DEMO_AGENT_EMAILS.meauxBasic);
    expect(meaux.body).not.toContain(DEMO_AGENT_EMAILS.melunBasic);
    const search = await admin.get(base(`/agents?recherche=${encodeURIComponent('nadia ben')}`));
    expect(search.body).toContain(DEMO_AGENT_EMAILS.melunBasic);
    expect(search.body).not.toContain(DEMO_AGENT_EMAILS.meauxBasic);
    const byMail = await admin.get(base(`/agents?recherche=${encodeURIComponent('puericultrice.meaux')}`));
    expect(byMail.body).toContain(DEMO_AGENT_EMAILS.meauxBasic);
    expect((await admin.get(base(`/agents?organisation=${String(reunionOrgId)}`))).statusCode).toBe(404);
    expect((await admin.get(base(`/agents?recherche=${encodeURIComponent('100%_\\')}`))).statusCode).toBe(200);
    expect((await admin.get(base(`/agents?recherche=${encodeURIComponent('a\u0000')}`))).statusCode).toBe(400);
  });

  it('grants and revokes the territorial admin role; never the last admin; one’s own only when confirmed', async () => {
    const nadia = await idOf('agents', 'email', DEMO_AGENT_EMAILS.melunBasic);
    const reunionAdmin = await idOf('agents', 'email', DEMO_AGENT_EMAILS.reunionAdmin);
    const roles = async (): Promise<number[]> => (await database.db.selectFrom('agent_territorial_roles').select('agent_id').where('territory_id', '=', t77).orderBy('agent_id').execute()).map((row) => row.agent_id);

    await admin.get(base(`/agents/${String(admin77)}`));
    const lastSelf = await admin.post(base(`/agents/${String(admin77)}/admin-territorial/retrait`), { confirmer: 'oui' });
    expect(lastSelf.statusCode).toBe(422);
    expect(lastSelf.body).toContain('Un territoire garde toujours au moins un administrateur');

    await admin.get(base(`/agents/${String(nadia)}`));
    expect((await admin.post(base(`/agents/${String(nadia)}/admin-territorial`), {})).statusCode).toBe(303);
    expect(await roles()).toEqual([admin77, nadia].sort((a, b) => a - b));
    await admin.get(base(`/agents/${String(nadia)}`));
    const again = await admin.post(base(`/agents/${String(nadia)}/admin-territorial`), {});
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('Cet agent administre déjà ce territoire.');

    await admin.get(base(`/agents/${String(admin77)}`));
    const unconfirmed = await admin.post(base(`/agents/${String(admin77)}/admin-territorial/retrait`), {});
    expect(unconfirmed.statusCode).toBe(422);
    expect(unconfirmed.body).toContain('Cochez la case pour confirmer le retrait de votre propre rôle.');

    await admin.get(base(`/agents/${String(nadia)}`));
    expect((await admin.post(base(`/agents/${String(nadia)}/admin-territorial/retrait`), {})).statusCode).toBe(303);
    expect(await roles()).toEqual([admin77]);

    // Another territory's agent is unknown here.
    await admin.get(base('/agents'));
    expect((await admin.post(base(`/agents/${String(reunionAdmin)}/admin-territorial`), {})).statusCode).toBe(404);
    expect((await admin.get(base(`/agents/${String(reunionAdmin)}`))).statusCode).toBe(404);
    const audit = await auditRows('agent_territorial_role');
    expect(audit.map((entry) => [entry.action, entry.subject_id])).toEqual([
      ['create', nadia],
      ['delete', nadia],
    ]);
  });

  it('an admin removes their own role once confirmed, and then no longer reaches the territory', async () => {
    const sophie = await idOf('agents', 'email', DEMO_AGENT_EMAILS.melunAdmin);
    await admin.get(base(`/agents/${String(sophie)}`));
    expect((await admin.post(base(`/agents/${String(sophie)}/admin-territorial`), {})).statusCode).toBe(303);
    const sophieSession = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    await sophieSession.get(base(`/agents/${String(sophie)}`));
    const self = await sophieSession.post(base(`/agents/${String(sophie)}/admin-territorial/retrait`), { confirmer: 'oui' });
    expect(self.statusCode).toBe(303);
    expect(self.headers.location).toBe('/agents');
    expect((await sophieSession.get(base())).statusCode).toBe(404);
    expect((await auditRows('agent_territorial_role')).at(-1)).toMatchObject({ action: 'delete', subject_id: sophie, details: { event: 'revoke', self: true } });
  });

  it('adds an agent to another organisation with an access level; refuses twice, a missing level, a foreign organisation', async () => {
    const aicha = await idOf('agents', 'email', DEMO_AGENT_EMAILS.meauxBasic);
    const page = base(`/agents/${String(aicha)}`);
    await admin.get(page);
    const missing = await admin.post(`${page}/organisations`, { organisation: String(melunId) });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Choisissez le niveau d’accès de l’agent.');
    expect(missing.body).toContain(`<option value="${String(melunId)}" selected`);
    await admin.get(page);
    expect((await admin.post(`${page}/organisations`, { organisation: String(melunId), niveau: 'basic' })).statusCode).toBe(303);
    expect(await database.db.selectFrom('agent_roles').select('access_level').where('agent_id', '=', aicha).where('organisation_id', '=', melunId).executeTakeFirst()).toEqual({ access_level: 'basic' });
    expect((await auditRows('agent_role')).at(-1)).toMatchObject({ action: 'create', subject_id: aicha, territory_id: t77, details: { organisationId: melunId, accessLevel: 'basic' } });
    await admin.get(page);
    const twice = await admin.post(`${page}/organisations`, { organisation: String(melunId), niveau: 'admin' });
    expect(twice.statusCode).toBe(422);
    expect(twice.body).toContain('L’agent fait déjà partie de cette organisation.');
    await admin.get(page);
    expect((await admin.post(`${page}/organisations`, { organisation: String(reunionOrgId), niveau: 'basic' })).statusCode).toBe(404);
    await admin.get(page);
    expect((await admin.post(`${page}/organisations`, { organisation: String(meauxId), niveau: 'superadmin' })).statusCode).toBe(400);
  });

  it('invites a new agent into an organisation of the territory (the agents module’s invitation)', async () => {
    await admin.get(base('/agents/inviter'));
    const refused = await admin.post(base('/agents/inviter'), { organisation: String(reunionOrgId), prenom: 'L3o', nom: '', email: 'pas-une-adresse', niveau: 'basic' });
    expect(refused.statusCode).toBe(422);
    for (const message of ['Choisissez l’organisation de l’agent dans la liste.', 'Le prénom ne peut contenir que', 'Saisissez le nom de l’agent.', 'Saisissez une adresse e-mail valide', 'Choisissez le service de l’agent dans la liste.']) expect(refused.body).toContain(message);
    expect(refused.body).toContain('value="L3o"');
    const social = (await database.db.selectFrom('services').select('id').where('short_name', '=', 'Service social').executeTakeFirstOrThrow()).id;
    await admin.get(base('/agents/inviter'));
    const invited = await admin.post(base('/agents/inviter'), { organisation: String(meauxId), prenom: 'Léo', nom: 'Martin', email: 'leo.martin@departement77.fr', niveau: 'basic', service: String(social) });
    expect(invited.statusCode).toBe(303);
    const agent = await database.db.selectFrom('agents').select(['id', 'password_hash']).where('email', '=', 'leo.martin@departement77.fr').executeTakeFirstOrThrow();
    expect(agent.password_hash).toBeNull();
    expect(await database.db.selectFrom('agent_roles').select('access_level').where('agent_id', '=', agent.id).where('organisation_id', '=', meauxId).executeTakeFirst()).toEqual({ access_level: 'basic' });
    expect(await database.db.selectFrom('agent_tokens').select('purpose').where('agent_id', '=', agent.id).execute()).toEqual([{ purpose: 'invitation' }]);
    expect(await database.db.selectFrom('audit_log').select(['action', 'territory_id']).where('subject_type', '=', 'agent').where('subject_id', '=', agent.id).execute()).toEqual([{ action: 'create', territory_id: t77 }]);
    expect((await admin.get(base('/agents'))).body).toContain('L’invitation a été envoyée à leo.martin@departement77.fr');
  });

  it('enables and disables services; refuses disabling a service active motifs use, listing them', async () => {
    expect((await admin.get(base('/services'))).statusCode).toBe(200);
    const rsa = (await database.db.selectFrom('services').select('id').where('short_name', '=', 'RSA').executeTakeFirstOrThrow()).id;
    await admin.get(base('/services'));
    const refused = await admin.post(base(`/services/${String(rsa)}/desactiver`), {});
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('des motifs actifs l’utilisent');
    expect(refused.body).toContain('Rendez-vous d’orientation RSA (Maison départementale des solidarités de Melun)');
    expect(await database.db.selectFrom('territory_services').select('service_id').where('territory_id', '=', t77).where('service_id', '=', rsa).execute()).toHaveLength(1);

    const newService = (await database.db.insertInto('services').values({ name: 'Protection de l’enfance', short_name: 'ASE' }).returning('id').executeTakeFirstOrThrow()).id;
    await admin.get(base('/services'));
    expect((await admin.post(base(`/services/${String(newService)}/activer`), {})).statusCode).toBe(303);
    expect(await database.db.selectFrom('territory_services').select('service_id').where('territory_id', '=', t77).where('service_id', '=', newService).execute()).toHaveLength(1);
    // Enabled in 77 only.
    expect(await database.db.selectFrom('territory_services').select('service_id').where('territory_id', '=', t974).where('service_id', '=', newService).execute()).toHaveLength(0);
    await admin.get(base('/services'));
    expect((await admin.post(base(`/services/${String(newService)}/desactiver`), {})).statusCode).toBe(303);
    expect(await database.db.selectFrom('territory_services').select('service_id').where('territory_id', '=', t77).where('service_id', '=', newService).execute()).toHaveLength(0);
    expect((await auditRows('territory_service')).map((entry) => [entry.action, entry.subject_id])).toEqual([
      ['create', newService],
      ['delete', newService],
    ]);
    await admin.get(base('/services'));
    expect((await admin.post(base('/services/999999/activer'), {})).statusCode).toBe(404);
  });

  it('creates motif categories and enables them per territory; refuses a taken code and disabling a used category', async () => {
    await admin.get(base('/services'));
    const refused = await admin.post(base('/categories'), { nom: '', code: 'Pas bon' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Saisissez le nom de la catégorie');
    expect(refused.body).toContain('Le code ne contient que');
    expect(refused.body).toContain('value="Pas bon"');
    await admin.get(base('/services'));
    const taken = await admin.post(base('/categories'), { nom: 'Orientation', code: 'rsa_orientation' });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('Ce code est déjà celui d’une catégorie');
    await admin.get(base('/services'));
    expect((await admin.post(base('/categories'), { nom: 'Accès aux droits', code: 'acces_droits' })).statusCode).toBe(303);
    const category = (await database.db.selectFrom('motif_categories').select('id').where('short_name', '=', 'acces_droits').executeTakeFirstOrThrow()).id;
    const enabledIn = async (territoryId: number): Promise<number> =>
      (await database.db.selectFrom('territory_motif_categories').select('territory_id').where('territory_id', '=', territoryId).where('motif_category_id', '=', category).execute()).length;
    expect([await enabledIn(t77), await enabledIn(t974)]).toEqual([1, 0]);
    await admin.get(base('/services'));
    expect((await admin.post(base(`/categories/${String(category)}/desactiver`), {})).statusCode).toBe(303);
    expect(await enabledIn(t77)).toBe(0);
    await admin.get(base('/services'));
    expect((await admin.post(base(`/categories/${String(category)}/activer`), {})).statusCode).toBe(303);
    expect(await enabledIn(t77)).toBe(1);
    const used = (await database.db.selectFrom('motif_categories').select('id').where('short_name', '=', 'rsa_orientation').executeTakeFirstOrThrow()).id;
    await admin.get(base('/services'));
    const inUse = await admin.post(base(`/categories/${String(used)}/desactiver`), {});
    expect(inUse.statusCode).toBe(422);
    expect(inUse.body).toContain('Rendez-vous d’orientation RSA');
    expect((await auditRows('motif_category')).map((entry) => entry.subject_id)).toEqual([category]);
    expect((await auditRows('territory_motif_category')).map((entry) => entry.action)).toEqual(['delete', 'create']);
  });

  it('sets the social fields, the directory scope and the read reason; refuses unknown fields and a missing scope', async () => {
    const page = await admin.get(base('/champs'));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Caisse');
    const saved = await admin.post(base('/champs'), { champs: 'housing', portee: 'territory', motifObligatoire: 'oui' });
    expect(saved.statusCode).toBe(303);
    const territory = await database.db.selectFrom('territories').select(['user_fields', 'users_search_scope', 'read_reason_required']).where('id', '=', t77).executeTakeFirstOrThrow();
    expect(territory).toEqual({ user_fields: ['housing'], users_search_scope: 'territory', read_reason_required: true });
    expect((await admin.get(base('/champs'))).body).toContain('id="champ-housing" name="champs" value="housing" checked');
    const both = await admin.send('POST', base('/champs'), `_csrf=${encodeURIComponent(/name="_csrf" value="([^"]+)"/.exec(admin.lastBody)?.[1] ?? '')}&champs=notes&champs=caisse_affiliation&portee=organisation`, 'application/x-www-form-urlencoded');
    expect(both.statusCode).toBe(303);
    expect((await database.db.selectFrom('territories').select(['user_fields', 'read_reason_required']).where('id', '=', t77).executeTakeFirstOrThrow())).toEqual({ user_fields: ['caisse_affiliation', 'notes'], read_reason_required: false });
    await admin.get(base('/champs'));
    const missing = await admin.post(base('/champs'), { champs: 'notes' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Choisissez la portée de l’annuaire des usagers.');
    expect(missing.body).toContain('value="notes" checked');
    await admin.get(base('/champs'));
    expect((await admin.post(base('/champs'), { champs: 'password_hash', portee: 'territory' })).statusCode).toBe(400);
    const audit = await auditRows('territory');
    expect(audit.filter((entry) => (entry.details as { event?: string }).event === 'directory_settings')).toHaveLength(2);
    // The users directory of Melun now shows the chosen fields only.
    const melunForm = await melunAdmin.get(`/agents/organisations/${String(melunId)}/usagers/nouveau`);
    expect(melunForm.body).toContain('name="caisse"');
    expect(melunForm.body).not.toContain('name="logement"');
  });

  it('chooses the holiday region and shows the resulting holidays of this year and the next', async () => {
    const page = await admin.get(base('/jours-feries'));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Jours fériés 2026');
    expect(page.body).toContain('Jours fériés 2027');
    expect(page.body).not.toContain('<td>Vendredi saint</td>');
    const saved = await admin.post(base('/jours-feries'), { region: 'FR-57' });
    expect(saved.statusCode).toBe(303);
    expect((await database.db.selectFrom('territories').select('holiday_region').where('id', '=', t77).executeTakeFirstOrThrow()).holiday_region).toBe('FR-57');
    const alsace = await admin.get(base('/jours-feries'));
    expect(alsace.body).toContain('<td>Vendredi saint</td>');
    expect(alsace.body).toContain('samedi 26 décembre 2026');
    const refused = await admin.post(base('/jours-feries'), { region: 'XX-99' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Choisissez une région dans la liste.');
    await admin.get(base('/jours-feries'));
    expect((await admin.post(base('/jours-feries'), { region: '' })).statusCode).toBe(303);
    expect((await database.db.selectFrom('territories').select('holiday_region').where('id', '=', t77).executeTakeFirstOrThrow()).holiday_region).toBeNull();
    expect((await auditRows('territory')).filter((entry) => (entry.details as { event?: string }).event === 'holiday_region').map((entry) => (entry.details as { holidayRegion: string | null }).holidayRegion)).toEqual(['FR-57', null]);
  });

  it('a local closure removes the public slots of its days and shows in the agenda; removing it brings them back', async () => {
    const motif = await findTypeId(database.db, 'mds-melun', 'Premier rendez-vous avec une assistante sociale');
    const search = () => searchSlots(database.db, { appointmentTypeId: motif, audience: 'public', from: NOW, to: new Date(NOW.getTime() + 14 * DAY_MS), now: NOW });
    const dayOf = (startsAt: number): string => dayNumberToIsoDate(localDayOf('Europe/Paris', startsAt));
    const before = await search();
    const days = [...new Set(before.map((slot) => dayOf(slot.startsAtEpochMinutes)))];
    expect(days.length).toBeGreaterThan(1);
    const closed = days[0] ?? '';

    await admin.get(base('/jours-feries'));
    const refused = await admin.post(base('/fermetures'), { libelle: '', debut: closed, fin: '2020-01-01' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Saisissez le libellé de la fermeture');
    expect(refused.body).toContain('Le dernier jour doit être le premier jour ou après.');
    expect(refused.body).toContain(`value="${closed}"`);
    expect(await search()).toEqual(before);

    await admin.get(base('/jours-feries'));
    expect((await admin.post(base('/fermetures'), { libelle: 'Fermeture exceptionnelle', debut: closed, fin: '' })).statusCode).toBe(303);
    const closure = await database.db.selectFrom('territory_closures').selectAll().where('territory_id', '=', t77).executeTakeFirstOrThrow();
    expect(closure).toMatchObject({ first_day: closed, last_day: closed, label: 'Fermeture exceptionnelle' });
    const after = await search();
    expect(after.filter((slot) => dayOf(slot.startsAtEpochMinutes) === closed)).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    expect(after).toEqual(before.filter((slot) => dayOf(slot.startsAtEpochMinutes) !== closed));
    // 974 is not closed: its territory has no closure.
    expect(await database.db.selectFrom('territory_closures').select('id').where('territory_id', '=', t974).execute()).toEqual([]);

    const agenda = await melunAdmin.get(`/agents/organisations/${String(melunId)}/agenda?vue=semaine&date=${closed}`);
    expect(agenda.statusCode).toBe(200);
    expect(agenda.body).toContain('Fermeture : Fermeture exceptionnelle');
    expect((await admin.get(base('/jours-feries'))).body).toContain('Fermeture exceptionnelle');

    // Another territory's admin cannot remove it.
    const reunionPage = await reunion.get(`/agents/territoires/${String(t974)}/jours-feries`);
    expect(reunionPage.statusCode).toBe(200);
    expect((await reunion.post(`/agents/territoires/${String(t974)}/fermetures/${String(closure.id)}/supprimer`, {})).statusCode).toBe(404);
    await reunion.get(`/agents/territoires/${String(t974)}/jours-feries`);
    expect((await reunion.post(base(`/fermetures/${String(closure.id)}/supprimer`), {})).statusCode).toBe(404);

    await admin.get(base('/jours-feries'));
    expect((await admin.post(base(`/fermetures/${String(closure.id)}/supprimer`), {})).statusCode).toBe(303);
    expect(await search()).toEqual(before);
    expect((await auditRows('territory_closure')).map((entry) => entry.action)).toEqual(['create', 'delete']);
  });

  it('counts the appointments already booked on a closure’s days, per organisation, in the notice and the table', async () => {
    // The first day with appointments still to come in the 77 (in their own time zone).
    const upcoming = await database.db
      .selectFrom('appointments as a')
      .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
      .select(['a.organisation_id', 'o.name', 'a.during', 'a.time_zone'])
      .where('o.territory_id', '=', t77)
      .where('a.status', '=', 'unknown')
      .where(sql<boolean>`lower(a.during) >= ${NOW}`)
      .orderBy(sql`lower(a.during)`)
      .execute();
    expect(upcoming.length).toBeGreaterThan(0);
    const localDay = (row: (typeof upcoming)[number]): string => {
      const start = new Date(/^[[(]"?([^",]+)/.exec(row.during)?.[1] ?? '');
      return new Intl.DateTimeFormat('en-CA', { timeZone: row.time_zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(start);
    };
    const day = localDay(upcoming[0]!);
    const expected = new Map<string, number>();
    for (const row of upcoming.filter((candidate) => localDay(candidate) === day)) expected.set(row.name, (expected.get(row.name) ?? 0) + 1);
    const total = [...expected.values()].reduce((sum, count) => sum + count, 0);

    await admin.get(base('/jours-feries'));
    expect((await admin.post(base('/fermetures'), { libelle: 'Inventaire', debut: day, fin: '' })).statusCode).toBe(303);
    const page = await admin.get(base('/jours-feries'));
    expect(page.body).toContain(`Attention : ${String(total)} rendez-vous déjà pris`);
    for (const [name, count] of expected) expect(page.body).toContain(`${name} : ${String(count)} rendez-vous`);
    // A link to the organisation's list only where the territorial admin works (elsewhere: the count as text).
    const organisationIds = new Map(upcoming.map((row) => [row.name, row.organisation_id]));
    const memberOf = new Set(
      (
        await database.db
          .selectFrom('agent_roles as r')
          .select('r.organisation_id')
          .where('r.agent_id', '=', admin77)
          .where('r.access_level', '<>', 'intervenant')
          .execute()
      ).map((row) => row.organisation_id),
    );
    const links = [...expected.keys()].map((name) => organisationIds.get(name) ?? 0).map((organisationId) => [organisationId, page.body.includes(`/agents/organisations/${String(organisationId)}/rdv?du=${day}&amp;au=${day}&amp;statut=a-venir`)] as const);
    expect(links).toEqual(links.map(([organisationId]) => [organisationId, memberOf.has(organisationId)]));
    expect(links.some(([, linked]) => linked)).toBe(true);
    const closure = await database.db.selectFrom('territory_closures').select('id').where('territory_id', '=', t77).where('label', '=', 'Inventaire').executeTakeFirstOrThrow();
    await admin.get(base('/jours-feries'));
    expect((await admin.post(base(`/fermetures/${String(closure.id)}/supprimer`), {})).statusCode).toBe(303);
    // A closure on a day without appointments says nothing more.
    await admin.get(base('/jours-feries'));
    expect((await admin.post(base('/fermetures'), { libelle: 'Pont de 2030', debut: '2030-05-31', fin: '' })).statusCode).toBe(303);
    const quiet = await admin.get(base('/jours-feries'));
    expect(quiet.body).not.toContain('Attention :');
    const pont = await database.db.selectFrom('territory_closures').select('id').where('territory_id', '=', t77).where('label', '=', 'Pont de 2030').executeTakeFirstOrThrow();
    await admin.get(base('/jours-feries'));
    expect((await admin.post(base(`/fermetures/${String(pont.id)}/supprimer`), {})).statusCode).toBe(303);
  });

  it('hostile values answer 4xx with French messages, never 500, and write nothing', async () => {
    const organisationsBefore = (await database.db.selectFrom('organisations').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
    await admin.get(base('/organisations/nouvelle'));
    const long = await admin.post(base('/organisations/nouvelle'), { nom: 'x'.repeat(10_000), slug: 'ok-slug' });
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('Le nom est trop long');
    expect(long.body).not.toContain('x'.repeat(600));
    await admin.get(base('/organisations/nouvelle'));
    expect((await admin.post(base('/organisations/nouvelle'), { nom: 'x'.repeat(10_001), slug: 'ok-slug' })).statusCode).toBe(400);
    await admin.get(base('/organisations/nouvelle'));
    const control = await admin.post(base('/organisations/nouvelle'), { nom: 'MDS\u0000\u202e', slug: 'ok-slug' });
    expect(control.statusCode).toBe(422);
    expect(control.body).toContain('caractères de contrôle');
    await admin.get(base('/organisations/nouvelle'));
    const token = /name="_csrf" value="([^"]+)"/.exec(admin.lastBody)?.[1] ?? '';
    const repeated = await admin.send('POST', base('/organisations/nouvelle'), `_csrf=${encodeURIComponent(token)}&nom=a&nom=b&slug=c`, 'application/x-www-form-urlencoded');
    expect(repeated.statusCode).toBe(400);
    const json = await admin.send('POST', base('/organisations/nouvelle'), JSON.stringify({ _csrf: token, nom: ['a'], slug: 1 }), 'application/json');
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);
    await admin.get(base('/jours-feries'));
    const closure = await admin.post(base('/fermetures'), { libelle: 'Fermeture\u0007', debut: '2026-02-30', fin: '9999-99-99' });
    expect(closure.statusCode).toBe(422);
    expect(closure.body).toContain('Saisissez une date valide');
    await admin.get(base('/jours-feries'));
    const ancient = await admin.post(base('/fermetures'), { libelle: 'Pont', debut: '0001-01-01' });
    expect(ancient.statusCode).toBe(422);
    expect(ancient.body).toContain('entre 2000 et 2100');
    await admin.get(base('/jours-feries'));
    const tooLong = await admin.post(base('/fermetures'), { libelle: 'Pont', debut: '2027-01-01', fin: '2028-06-01' });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.body).toContain('Une fermeture dure au plus un an.');
    await admin.get(base('/jours-feries'));
    expect((await admin.post(base('/jours-feries'), { region: 'x'.repeat(50) })).statusCode).toBe(400);
    // Without a CSRF token nothing is written.
    const forged = await admin.send('POST', base('/fermetures'), 'libelle=Forge&debut=2027-03-03', 'application/x-www-form-urlencoded');
    expect(forged.statusCode).toBe(403);
    expect((await database.db.selectFrom('organisations').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n).toBe(organisationsBefore);
    expect(await database.db.selectFrom('territory_closures').select('id').execute()).toEqual([]);
    // Malformed ids in the path are unknown pages.
    expect((await admin.get(base('/agents/abc'))).statusCode).toBe(404);
    expect((await admin.get(base('/organisations/99999999999/modifier'))).statusCode).toBe(404);
  });

  it('a signed-out visitor is sent to the sign-in page', async () => {
    const response = await app.inject({ method: 'GET', url: base('/organisations') });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toContain('/agents/connexion');
  });
});
