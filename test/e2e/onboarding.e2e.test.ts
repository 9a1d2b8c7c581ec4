import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/modules/super-admin/index.js';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD } from '../../src/seed/index.js';
import { TEST_NOW } from '../support/app.js';
import { expectAccessible, linkOfLatestEmail, openPage, startDemoServer, type DemoServer } from './browser.js';

/**
 * A new département onboarded end to end in Chromium, as the README's « Accueillir un nouveau
 * département » describes it (ADR 0032, 0031, 0028): the super admin creates the Calvados (14) in
 * one form; its territorial admin accepts the e-mailed invitation, enables a service, creates a
 * sector for her organisation and imports its zones from a CSV whose one bad line is shown and
 * writes nothing, fixes it and confirms; creates a place (address confirmed) and a motif offered
 * to the organisation's sectors, an intervenant of the social service whose agenda opens on Monday
 * mornings there, and tests an address of the sector on the test page. Outside the sector nothing
 * is offered online; a citizen of Hérouville-Saint-Clair books. Every page the journey meets is
 * checked by axe-core; no answer is a 5xx.
 */
describe('onboarding a new département in Chromium', () => {
  let server: DemoServer;

  beforeAll(async () => {
    server = await startDemoServer();
  }, 180_000);
  afterAll(async () => {
    await server.close();
  });

  /** Fails on any 5xx the page receives. */
  function watch(page: Page, problems: string[]): Page {
    page.on('response', (response) => {
      if (response.status() >= 500) problems.push(`${String(response.status())} ${response.url()}`);
    });
    return page;
  }

  it('super admin → territorial admin (invitation, sectorisation import, place, motif, agenda) → a citizen of the sector books', { timeout: 600_000 }, async () => {
    const { baseUrl, database } = server;
    const { db } = database;
    const problems: string[] = [];
    const check = (page: Page, name: string): Promise<void> => expectAccessible(page, `onboarding-${name}`);
    const zoneCount = async (): Promise<number> => Number((await db.selectFrom('zones').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

    // 1. The super admin signs in (password, then TOTP) and creates the territory in one form.
    const superAdmin = watch(await openPage(server.browser), problems);
    await superAdmin.goto(`${baseUrl}/agents/connexion`);
    await superAdmin.getByLabel('Adresse e-mail professionnelle').fill(DEMO_AGENT_EMAILS.superAdmin);
    await superAdmin.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await superAdmin.getByRole('button', { name: 'Se connecter' }).click();
    await superAdmin.waitForURL(/\/agents\/connexion\/code$/);
    const secret = ((await superAdmin.locator('#cle-totp').textContent()) ?? '').replace(/\s/g, '');
    await superAdmin.getByLabel(/Code à 6 chiffres/).fill(totpCodeAt(secret, TEST_NOW));
    await superAdmin.getByRole('button', { name: 'Activer et me connecter' }).click();
    await superAdmin.waitForURL(/\/super-admin$/);
    await superAdmin.getByRole('link', { name: 'Créer un territoire' }).click();
    await superAdmin.waitForURL(/\/territoires\/nouveau$/);
    await superAdmin.getByLabel(/Numéro du département/).fill('14');
    await superAdmin.getByLabel(/Nom du territoire/).fill('Département du Calvados');
    await superAdmin.getByLabel(/Nom de l’organisation/).fill('Maison des solidarités de Caen');
    await superAdmin.getByLabel(/Nom du lieu/).fill('MDS Caen centre');
    // An address outside the département is refused by the geocoding check, with the input kept.
    await superAdmin.getByLabel(/Adresse du lieu/).fill('20 quai Hippolyte Rossignol 77000 Melun');
    await superAdmin.getByLabel('Prénom', { exact: true }).fill('Agathe');
    await superAdmin.getByLabel('Nom', { exact: true }).fill('Lemaître');
    await superAdmin.getByLabel(/Adresse e-mail professionnelle/).fill('agathe.lemaitre@calvados.example.fr');
    await superAdmin.getByRole('button', { name: 'Créer le territoire et envoyer l’invitation' }).click();
    await superAdmin.getByText('Adresse introuvable dans le département 14.').first().waitFor();
    expect(await superAdmin.getByLabel(/Nom du lieu/).inputValue()).toBe('MDS Caen centre');
    await check(superAdmin, '1-territoire-adresse-hors-departement');
    await superAdmin.getByLabel(/Adresse du lieu/).fill('12 rue de Bretagne 14000 Caen');
    await superAdmin.getByRole('button', { name: 'Créer le territoire et envoyer l’invitation' }).click();
    await superAdmin.waitForURL(/\/super-admin\?territoire=cree$/);
    await check(superAdmin, '2-territoire-cree');
    const territory = await db.selectFrom('territories').select('id').where('departement_number', '=', '14').executeTakeFirstOrThrow();
    const organisation = await db.selectFrom('organisations').select('id').where('territory_id', '=', territory.id).executeTakeFirstOrThrow();
    const territoryBase = `${baseUrl}/agents/territoires/${String(territory.id)}`;
    const organisationBase = `${baseUrl}/agents/organisations/${String(organisation.id)}`;

    // 2. The territorial admin chooses her password through the e-mailed invitation.
    const admin = watch(await openPage(server.browser), problems);
    await admin.goto(await linkOfLatestEmail(admin, baseUrl, 'Invitation à rejoindre Maison des solidarités de Caen sur Créneau'));
    await check(admin, '3-invitation');
    const password = 'Les falaises de la côte fleurie 14';
    await admin.locator('input[name="motDePasse"]').fill(password);
    await admin.locator('input[name="confirmation"]').fill(password);
    await admin.locator('main button[type="submit"]').click();
    await admin.waitForURL(/\/agents\//);

    // 3. The territory: the social service enabled.
    await admin.goto(territoryBase);
    expect(await admin.getByRole('heading', { level: 1 }).textContent()).toContain('(14)');
    await check(admin, '4-territoire');
    await admin.goto(`${territoryBase}/services`);
    await admin.getByRole('button', { name: 'Activer Service social' }).click();
    await admin.getByRole('button', { name: 'Désactiver Service social' }).waitFor();
    await check(admin, '5-services');

    // 4. Sectorisation: a sector for the organisation, then its zones from a CSV.
    await admin.goto(`${territoryBase}/sectorisation`);
    await admin.getByRole('link', { name: 'Créer un secteur' }).click();
    await admin.waitForURL(/\/secteurs\/nouveau$/);
    await admin.getByLabel('Nom du secteur').fill('Caen et agglomération nord');
    await admin.getByLabel('Identifiant').fill('caen-nord');
    await admin.getByRole('button', { name: 'Enregistrer' }).click();
    await admin.waitForURL(/\/secteurs\/\d+$/);
    const sectorUrl = admin.url();
    await admin.getByRole('combobox', { name: /Organisation ou agent/ }).selectOption({ label: 'Maison des solidarités de Caen' });
    await admin.getByRole('button', { name: 'Attribuer' }).click();
    await admin.waitForURL(sectorUrl);
    expect(await admin.getByRole('status').first().textContent()).toContain('Le secteur a été attribué.');
    await check(admin, '6-secteur');

    await admin.goto(`${territoryBase}/sectorisation`);
    await admin.getByRole('link', { name: 'Importer des zones (CSV)' }).click();
    await admin.waitForURL(/\/import$/);
    const header = 'secteur;code_insee;nom_commune;id_voie_ban;nom_voie';
    const before = await zoneCount();
    await admin
      .getByLabel('Fichier des zones')
      .setInputFiles({ name: 'zones-caen.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\ncaen-nord;14118;Caen;;\ncaen-nord;1432;Hérouville-Saint-Clair;;\n`, 'utf8') });
    await admin.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await admin.waitForLoadState('load');
    expect(await admin.locator('#erreurs').textContent()).toContain('Le fichier contient une erreur : rien n’a été enregistré');
    expect(await admin.getByRole('table').locator('tbody tr').first().locator('td').allTextContents()).toEqual(['3', 'code_insee', '« 1432 » n’est pas un code INSEE de commune (5 caractères, exemple : 14118)']);
    expect(await zoneCount()).toBe(before);
    await check(admin, '7-import-erreur');
    await admin
      .getByLabel('Fichier des zones')
      .setInputFiles({ name: 'zones-caen.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\ncaen-nord;14118;Caen;;\ncaen-nord;14327;Hérouville-Saint-Clair;;\n`, 'utf8') });
    await admin.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await admin.waitForLoadState('load');
    expect(await admin.getByRole('status').first().textContent()).toContain('L’import créerait 2 zones, en modifierait 0 et en supprimerait 0.');
    expect(await zoneCount()).toBe(before);
    await admin.getByRole('button', { name: 'Confirmer l’import' }).click();
    await admin.waitForURL(`${territoryBase}/sectorisation`);
    expect(await admin.getByRole('status').first().textContent()).toContain('Import appliqué : 2 zone(s) créée(s), 0 modifiée(s), 0 supprimée(s).');
    expect(await zoneCount()).toBe(before + 2);

    // 5. A second place, its address confirmed (the offline geocoder finds the commune).
    await admin.goto(`${organisationBase}/administration/lieux/nouveau`);
    await admin.getByLabel('Nom du lieu').fill('Antenne d’Hérouville-Saint-Clair');
    await admin.getByLabel('Adresse', { exact: false }).first().fill('Hérouville-Saint-Clair');
    await admin.getByRole('button', { name: 'Vérifier l’adresse' }).click();
    await admin.waitForLoadState('load');
    expect(await admin.getByRole('heading', { level: 1 }).textContent()).toBe('Vérifiez l’adresse trouvée');
    expect(await admin.locator('form').last().textContent()).toContain('code INSEE 14327');
    await check(admin, '8-lieu-confirmation');
    await admin.getByRole('button', { name: 'Confirmer cette adresse et enregistrer' }).click();
    await admin.waitForURL(/\/administration\/lieux$/);
    const place = await db.selectFrom('places').select('id').where('organisation_id', '=', organisation.id).where('name', '=', 'Antenne d’Hérouville-Saint-Clair').executeTakeFirstOrThrow();

    // 6. A motif offered online to the addresses of the organisation's sectors.
    await admin.goto(`${organisationBase}/administration/motifs/nouveau`);
    await admin.getByLabel('Nom du motif').fill('Premier accueil social');
    await admin.getByLabel('Service', { exact: true }).selectOption({ label: 'Service social' });
    await admin.getByLabel('Sectorisation').selectOption({ label: 'Les secteurs de l’organisation' });
    await admin.getByRole('button', { name: 'Enregistrer' }).click();
    await admin.waitForURL(/\/administration\/motifs$/);
    expect(await admin.getByRole('status').first().textContent()).toContain('Premier accueil social');
    await check(admin, '9-motifs');
    const motif = await db.selectFrom('appointment_types').select('id').where('organisation_id', '=', organisation.id).where('name', '=', 'Premier accueil social').executeTakeFirstOrThrow();

    // 7. A social worker without an account (an intervenant) holds Monday mornings at the new place, from 30 November.
    await admin.goto(`${organisationBase}/agents`);
    await admin.getByRole('link', { name: 'Créer un intervenant' }).click();
    await admin.getByLabel('Prénom').fill('Samia');
    await admin.getByLabel('Nom', { exact: true }).fill('Haddou');
    await admin.getByLabel('Service social').check({ force: true });
    await admin.getByRole('button', { name: 'Créer l’intervenant' }).click();
    await admin.waitForURL(/\/agents\/\d+\?info=cree/);
    const samia = await db.selectFrom('agents').select('id').where('first_name', '=', 'Samia').where('last_name', '=', 'Haddou').executeTakeFirstOrThrow();
    // The form offers the motifs of the chosen agent's services.
    await admin.goto(`${organisationBase}/plages/nouvelle?agent=${String(samia.id)}`);
    await admin.locator('input[name="titre"]').fill('Accueil du lundi matin');
    await admin.locator('select[name="lieu"]').selectOption(String(place.id));
    await admin.locator(`input[name="motifs"][value="${String(motif.id)}"]`).check({ force: true });
    await admin.locator('input[name="premierJour"]').fill('2026-11-30');
    await admin.locator('input[name="heureDebut"]').fill('09:00');
    await admin.locator('input[name="heureFin"]').fill('12:00');
    await admin.locator('input[name="repetition"][value="hebdomadaire"]').check({ force: true });
    await admin.locator('input[name="jours"][value="MO"]').check({ force: true });
    await admin.locator('input[name="fin"][value="jamais"]').check({ force: true });
    await admin.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await admin.waitForURL(/\/plages\?agent=/);
    expect(await admin.locator('main').textContent()).toContain('Accueil du lundi matin');

    // The territory's e-mail sender and SMS provider settings (README step 7), as she finds them.
    await admin.goto(`${organisationBase}/territoire/notifications`);
    expect(await admin.getByRole('heading', { level: 1 }).textContent()).toBe('SMS et e-mails du territoire Département du Calvados');
    await check(admin, '10-notifications-territoire');

    // 8. The sectorisation test page: an address of Hérouville-Saint-Clair finds the sector, the organisation and the motif.
    await admin.goto(`${territoryBase}/sectorisation/test`);
    await admin.getByLabel('Adresse').fill('14200 Hérouville-Saint-Clair');
    await admin.getByRole('button', { name: 'Tester' }).click();
    await admin.waitForURL(/\/test\?adresse=/);
    expect(await admin.getByText('Caen et agglomération nord (caen-nord) — par la commune').count()).toBe(1);
    expect(await admin.getByText('Organisation : Maison des solidarités de Caen').count()).toBe(1);
    expect(await admin.getByRole('table').textContent()).toContain('Premier accueil social');
    await check(admin, '10b-test-adresse');

    // 9. Outside the sector (Bayeux), the motif is not offered.
    const citizen = watch(await openPage(server.browser), problems);
    await citizen.goto(`${baseUrl}/`);
    await citizen.getByLabel('Votre adresse').fill('14400 Bayeux');
    await citizen.getByRole('button', { name: 'Rechercher' }).click();
    await citizen.getByRole('heading', { level: 1, name: 'Aucun rendez-vous en ligne pour cette adresse' }).waitFor();
    await check(citizen, '11-hors-secteur');

    // 10. A citizen of Hérouville-Saint-Clair books online, signing up on the way.
    await citizen.goto(`${baseUrl}/`);
    await citizen.getByLabel('Votre adresse').fill('14200 Hérouville-Saint-Clair');
    await citizen.getByRole('button', { name: 'Rechercher' }).click();
    // The territory offers one service here: the funnel goes straight to its motifs.
    await citizen.getByRole('heading', { level: 1, name: 'Pour quel motif ?' }).waitFor();
    await check(citizen, '12-motifs');
    await citizen.getByRole('link', { name: 'Premier accueil social — Sur place' }).click();
    expect(await citizen.locator('main').textContent()).toContain('Prochaine disponibilité : lundi 30 novembre 2026 à 9h00');
    await citizen.getByRole('link', { name: 'Antenne d’Hérouville-Saint-Clair' }).click();
    await check(citizen, '13-semaine');
    // The first Monday morning offered (this week has none: the period starts on 30 November).
    if ((await citizen.locator('a.fr-tag').count()) === 0) await citizen.getByRole('link', { name: 'Semaine suivante' }).click();
    await citizen.locator('a.fr-tag').first().click();
    await citizen.getByRole('link', { name: 'Créer un compte' }).click();
    await citizen.getByLabel('Prénom').fill('Maëlle');
    await citizen.getByLabel('Nom', { exact: true }).fill('Lecoq');
    await citizen.getByLabel('Adresse e-mail').fill('maelle.lecoq@example.fr');
    await citizen.getByLabel('Mot de passe').fill('les prés salés du Calvados');
    await citizen.getByRole('button', { name: 'Créer mon compte' }).click();
    await citizen.getByRole('heading', { level: 1, name: /Vérifiez votre boîte/ }).waitFor();
    await citizen.goto(await linkOfLatestEmail(citizen, baseUrl, 'Confirmez votre adresse e-mail'));
    await citizen.getByLabel('Mot de passe choisi à l’inscription').fill('les prés salés du Calvados');
    await citizen.getByRole('button', { name: 'Activer mon compte' }).click();
    await citizen.getByRole('heading', { level: 1, name: /Vos informations/ }).waitFor();
    await citizen.getByRole('button', { name: 'Confirmer le rendez-vous' }).click();
    await citizen.getByRole('heading', { level: 1, name: /Votre rendez-vous est confirmé/ }).waitFor();
    await check(citizen, '14-confirmation');

    const booked = await db
      .selectFrom('appointments as a')
      .innerJoin('participations as p', 'p.appointment_id', 'a.id')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .innerJoin('appointment_agents as aa', 'aa.appointment_id', 'a.id')
      .innerJoin('agents as g', 'g.id', 'aa.agent_id')
      .select(['a.place_id', 'a.appointment_type_id', 'a.status', 'g.id as agentId'])
      .where('u.email', '=', 'maelle.lecoq@example.fr')
      .execute();
    expect(booked).toEqual([{ place_id: place.id, appointment_type_id: motif.id, status: 'unknown', agentId: samia.id }]);
    expect(problems).toEqual([]);
  });
});
