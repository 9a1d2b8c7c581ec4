import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD, DEMO_USER_EMAIL } from '../../src/seed/index.js';
import type { TestDatabase } from '../support/database.js';
import { expectAccessible, linkOfLatestEmail, openPage, signInAgent, startDemoServer, type DemoServer } from './browser.js';

/**
 * Issue 8's journey in Chromium, every page checked by axe-core: the admin of Melun invites an
 * agent; the agent accepts, signs in, opens a weekly opening period and cancels one occurrence
 * (the public week page no longer offers it); a citizen books in the period through the public
 * funnel and the booking appears in the agent's agenda; the agent creates an appointment on the
 * same time with the overlap warning explicitly overridden, and marks a past appointment seen.
 */
describe('the agent workspace in Chromium', () => {
  let server: DemoServer;
  let database: TestDatabase;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startDemoServer();
    ({ database, baseUrl } = server);
  });
  afterAll(async () => {
    await server.close();
  });

  /** The link of the latest e-mail with this subject in the development outbox. */
  /** Starts (epoch minutes) of the slots a public week page offers. */
  async function offeredStarts(page: Page, url: string): Promise<number[]> {
    await page.goto(url);
    const links = await page.locator('a[href^="/prendre-rdv/creneau?"]').all();
    const hrefs = await Promise.all(links.map(async (link) => (await link.getAttribute('href')) ?? ''));
    return hrefs.map((href) => Number(new URL(href, 'http://localhost').searchParams.get('debut')));
  }

  const epochMinutes = (iso: string): number => Date.parse(iso) / 60_000;
  const between = (starts: number[], from: string, to: string): number[] => starts.filter((start) => start >= epochMinutes(from) && start < epochMinutes(to));

  // A long journey (a dozen pages, each checked by axe-core): 60 s was too tight on a loaded 2-core machine.
  it('invites an agent who opens a period, cancels an occurrence, sees a citizen’s booking, overrides an overlap and marks an appointment seen', { timeout: 180_000 }, async () => {
    const ids = await database.db
      .selectFrom('organisations as o')
      .innerJoin('places as p', 'p.organisation_id', 'o.id')
      .innerJoin('appointment_types as t', 't.organisation_id', 'o.id')
      .select(['o.id as organisationId', 'p.id as placeId', 't.id as motifId'])
      .where('o.slug', '=', 'mds-melun')
      .where('p.name', '=', 'MDS de Melun')
      .where('t.name', '=', 'Premier rendez-vous avec une assistante sociale')
      .where('t.location_type', '=', 'public_office')
      .executeTakeFirstOrThrow();
    const organisation = `${baseUrl}/agents/organisations/${String(ids.organisationId)}`;

    // 1. The admin of Melun invites a social worker.
    const admin = await openPage(server.browser);
    await signInAgent(admin, baseUrl, DEMO_AGENT_EMAILS.melunAdmin, DEMO_PASSWORD);
    await expectAccessible(admin, 'agents-1-agenda-week');
    await admin.goto(`${organisation}/agents/inviter`);
    await expectAccessible(admin, 'agents-2-invite');
    await admin.getByLabel('Prénom').fill('Lucie');
    await admin.getByLabel('Nom', { exact: true }).fill('Martin');
    await admin.getByLabel('Adresse e-mail').fill('lucie.martin@departement77.example.fr');
    await admin.locator('#niveau-basic').check({ force: true });
    await admin.locator('#service').selectOption({ label: 'Service social' });
    await admin.getByRole('button', { name: 'Envoyer l’invitation' }).click();
    await admin.waitForURL(/\/agents$|\/agents\?/);
    await expect(admin.locator('body').textContent()).resolves.toContain('Lucie');
    await expectAccessible(admin, 'agents-3-agents-list');

    // 2. The invitee chooses a password through the e-mailed link, and is signed in.
    const agent = await openPage(server.browser);
    await agent.goto(await linkOfLatestEmail(agent, baseUrl, 'Invitation à rejoindre Maison départementale des solidarités de Melun sur Créneau'));
    await expectAccessible(agent, 'agents-4-accept-invitation');
    const password = 'Tournesols du quai Hippolyte 7';
    await agent.locator('input[name="motDePasse"]').fill(password);
    await agent.locator('input[name="confirmation"]').fill(password);
    await agent.locator('main button[type="submit"]').click();
    await agent.waitForURL(/\/agents/);
    const lucie = await database.db.selectFrom('agents').select('id').where('email', '=', 'lucie.martin@departement77.example.fr').executeTakeFirstOrThrow();
    // Signing in again with the chosen password works.
    await agent.context().clearCookies();
    await signInAgent(agent, baseUrl, 'lucie.martin@departement77.example.fr', password);

    // 3. A weekly opening period on Monday evenings, from 30 November.
    await agent.goto(`${organisation}/plages/nouvelle`);
    await expectAccessible(agent, 'agents-5-new-opening-period');
    await agent.locator('input[name="titre"]').fill('Permanence du lundi soir');
    await agent.locator('select[name="lieu"]').selectOption(String(ids.placeId));
    await agent.locator(`input[name="motifs"][value="${String(ids.motifId)}"]`).check({ force: true });
    await agent.locator('input[name="premierJour"]').fill('2026-11-30');
    await agent.locator('input[name="heureDebut"]').fill('17:00');
    await agent.locator('input[name="heureFin"]').fill('19:00');
    await agent.locator('input[name="repetition"][value="hebdomadaire"]').check({ force: true });
    await agent.locator('input[name="jours"][value="MO"]').check({ force: true });
    await agent.locator('input[name="fin"][value="jamais"]').check({ force: true });
    await agent.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await agent.waitForURL(/\/plages\?agent=/);
    await expect(agent.locator('main').textContent()).resolves.toContain('Permanence du lundi soir');
    await expectAccessible(agent, 'agents-6-opening-periods');

    // The public week page offers the new evenings (17:00–19:00 in Paris = 16:00–18:00 UTC).
    const citizen = await openPage(server.browser);
    await citizen.goto(`${baseUrl}/connexion`);
    await citizen.getByLabel('Adresse e-mail').fill(DEMO_USER_EMAIL);
    await citizen.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await citizen.locator('main form button[type="submit"]').first().click();
    await citizen.goto(`${baseUrl}/`);
    await citizen.getByLabel('Votre adresse').fill('20 quai Hippolyte Rossignol 77000 Melun');
    await citizen.getByRole('button', { name: 'Rechercher' }).click();
    await citizen.waitForURL(/prendre-rdv/);
    const weekOf = (monday: string): string => `${baseUrl}/prendre-rdv?motif=${String(ids.motifId)}&lieu=${String(ids.placeId)}&semaine=${monday}`;
    expect(between(await offeredStarts(citizen, weekOf('2026-12-07')), '2026-12-07T16:00:00Z', '2026-12-07T18:00:00Z').length).toBeGreaterThan(0);

    // 4. The agent cancels the occurrence of 7 December: the public page no longer offers it.
    const period = await database.db.selectFrom('opening_periods').select('id').where('title', '=', 'Permanence du lundi soir').executeTakeFirstOrThrow();
    await agent.goto(`${organisation}/plages/${String(period.id)}/occurrences?du=2026-12-07`);
    await expectAccessible(agent, 'agents-7-occurrences');
    await agent.getByRole('button', { name: 'Annuler la séance du lundi 7 décembre 2026' }).click();
    await expect(agent.locator('main').textContent()).resolves.toContain('est annulée');
    expect(between(await offeredStarts(citizen, weekOf('2026-12-07')), '2026-12-07T16:00:00Z', '2026-12-07T18:00:00Z')).toEqual([]);
    const nextMonday = between(await offeredStarts(citizen, weekOf('2026-12-14')), '2026-12-14T16:00:00Z', '2026-12-14T18:00:00Z');
    expect(nextMonday.length).toBeGreaterThan(0);

    // 5. The citizen books the first evening slot of 14 December; it appears in the agent's agenda.
    await citizen.locator(`a[href^="/prendre-rdv/creneau?"][href*="debut=${String(nextMonday[0])}"]`).first().click();
    await citizen.waitForURL(/prendre-rdv\/(creneau|confirmer|informations)|details/);
    await citizen.getByRole('button', { name: 'Confirmer le rendez-vous' }).click();
    await expect(citizen.locator('h1').textContent()).resolves.toContain('Votre rendez-vous est confirmé');
    await agent.goto(`${organisation}/agenda?vue=semaine&date=2026-12-14`);
    await expect(agent.locator('main').textContent()).resolves.toContain('Camille Durand');
    await expectAccessible(agent, 'agents-8-agenda-with-citizen-booking');

    // 6. The agent creates an appointment at the same time: the overlap is a warning, overridden with a reason.
    const startsAt = new Date(Number(nextMonday[0]) * 60_000).toISOString();
    await agent.goto(`${organisation}/rdv/nouveau?motif=${String(ids.motifId)}&agents=${String(lucie.id)}&debut=${startsAt}`);
    await agent.waitForURL(/\/participants/);
    await expectAccessible(agent, 'agents-9-wizard-participants');
    await agent.locator('input[name="prenom"]').fill('Odile');
    await agent.locator('input[name="nom"]').fill('Lefèvre');
    await agent.locator('input[name="naissance"]').fill('12/03/1958');
    await agent.locator('input[name="telephone"]').fill('06 12 34 56 78');
    await agent.getByRole('button', { name: 'Ajouter cette personne' }).click();
    await agent.getByRole('button', { name: 'Continuer' }).first().click();
    await agent.waitForURL(/\/details/);
    await expectAccessible(agent, 'agents-10-wizard-details');
    await agent.locator(`#lieu-${String(ids.placeId)}`).check({ force: true });
    await agent.getByRole('button', { name: 'Continuer' }).click();
    await agent.waitForURL(/\/confirmation/);
    await expect(agent.locator('main').textContent()).resolves.toContain('Chevauchement : Lucie Martin a déjà un rendez-vous sur cet horaire.');
    await expectAccessible(agent, 'agents-11-wizard-review-with-warning');
    await agent.locator(`input[name="avertissements"][value="overlap:${String(lucie.id)}"]`).check({ force: true });
    await agent.getByLabel('Raison du chevauchement').fill('Rendez-vous conjoint demandé par la famille');
    await agent.getByRole('button', { name: 'Créer le rendez-vous' }).click();
    await agent.waitForURL(/\/rdv\/\d+$/);
    await expect(agent.locator('main').textContent()).resolves.toContain('Chevauchement accepté');
    await expectAccessible(agent, 'agents-12-appointment-detail');
    const overridden = await database.db
      .selectFrom('appointment_agents')
      .select(['overlap_allowed', 'overlap_allowed_by_agent_id'])
      .where('agent_id', '=', lucie.id)
      .where('overlap_allowed', '=', true)
      .execute();
    expect(overridden).toEqual([{ overlap_allowed: true, overlap_allowed_by_agent_id: lucie.id }]);

    // 7. She marks a past appointment of her service "seen" (one recorded as a no-show by mistake).
    const past = await database.db
      .selectFrom('appointments as a')
      .innerJoin('appointment_types as t', 't.id', 'a.appointment_type_id')
      .innerJoin('services as s', 's.id', 't.service_id')
      .select('a.id')
      .where('a.organisation_id', '=', ids.organisationId)
      .where('s.short_name', '=', 'Service social')
      .where('a.status', '=', 'noshow')
      .where('a.is_collective', '=', false)
      .where(sql<boolean>`upper(a.during) < ${new Date('2026-11-24T09:00:00Z')}`)
      .orderBy('a.id')
      .executeTakeFirstOrThrow();
    await agent.goto(`${organisation}/rdv/${String(past.id)}`);
    await agent.getByRole('button', { name: 'Vu', exact: true }).click();
    await agent.waitForURL(new RegExp(`/rdv/${String(past.id)}$`));
    const marked = await database.db.selectFrom('appointments').select('status').where('id', '=', past.id).executeTakeFirstOrThrow();
    expect(marked.status).toBe('seen');
    await expectAccessible(agent, 'agents-13-appointment-seen');

    // The list of appointments with its filters.
    await agent.goto(`${organisation}/rdv?statut=a-renseigner&du=`);
    await expectAccessible(agent, 'agents-14-appointment-list');
  });
});
