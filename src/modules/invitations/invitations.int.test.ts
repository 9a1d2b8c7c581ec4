import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/app.js';
import { hiddenFields, InjectSession, linksStartingWith } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { createInvitation } from './index.js';

const NOW = new Date('2026-11-24T09:00:00Z');

describe('partner invitations', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let karimId: number;
  let melunId: number;
  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    app = await buildTestApp(database, NOW);
    karimId = (await database.db.selectFrom('users').select('id').where('email', '=', 'karim.haddad@demo.creneau.fr').executeTakeFirstOrThrow()).id;
    melunId = (await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });


  it('opens a funnel on the invited motif category, with invitation-only motifs, and books without an account', async () => {
    const invitation = await createInvitation(database.db, { userId: karimId, motifCategoryShortName: 'rsa_orientation', organisationIds: [melunId], partner: 'rdv-insertion', now: NOW });
    expect(invitation.ok).toBe(true);
    if (!invitation.ok) return;
    const browser = new InjectSession(app);
    const opened = await browser.get(`/invitation/${invitation.token}`);
    expect(opened.statusCode).toBe(303);
    const motifs = await browser.get('/prendre-rdv');
    expect(motifs.body).toContain('Rendez-vous d’orientation RSA — En visioconférence');
    expect(motifs.body).not.toContain('Consultation de puériculture');
    const motifLink = [...motifs.body.matchAll(/href="([^"]+)">Rendez-vous d’orientation RSA/g)][0]?.[1];
    const where = await browser.get(motifLink!.replaceAll('&amp;', '&'));
    const organisationLink = linksStartingWith(where.body, '/prendre-rdv?motif=')[0];
    const week = await browser.get(organisationLink!);
    let slot = linksStartingWith(week.body, '/prendre-rdv/creneau?')[0];
    if (slot === undefined) {
      const next = linksStartingWith(week.body, '/prendre-rdv?').filter((href) => href.includes('semaine=')).at(-1);
      slot = linksStartingWith((await browser.get(next!)).body, '/prendre-rdv/creneau?')[0];
    }
    const details = await browser.get(slot!);
    expect(details.body).toContain('value="Karim"');
    const booked = await browser.post('/prendre-rdv/confirmer', { ...hiddenFields(details.body), prenom: 'Karim', nom: 'Haddad', naissance: '', telephone: '06 12 34 56 02', adresse: '', pourQui: 'moi' });
    expect(booked.statusCode).toBe(303);
    expect((await browser.get(booked.headers.location as string)).body).toContain('Votre rendez-vous est confirmé');
  });

  it('keeps invitation-only motifs out of the ordinary funnel', async () => {
    const browser = new InjectSession(app);
    await browser.get('/');
    await browser.post('/recherche', { adresse: '20 quai Hippolyte Rossignol 77000 Melun' });
    const rsa = await database.db.selectFrom('services').select('id').where('short_name', '=', 'RSA').executeTakeFirstOrThrow();
    const motifs = await browser.get(`/prendre-rdv?service=${String(rsa.id)}`);
    expect(motifs.body).not.toContain('Rendez-vous d’orientation RSA');
  });

  it('answers a tampered or expired invitation with a 403 page', async () => {
    expect((await new InjectSession(app).get('/invitation/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG')).statusCode).toBe(403);
    const expired = await createInvitation(database.db, { userId: karimId, motifCategoryShortName: 'rsa_orientation', organisationIds: [melunId], partner: 'rdv-insertion', ttlMinutes: 1, now: new Date('2026-11-01T00:00:00Z') });
    if (!expired.ok) throw new Error('invitation not created');
    const response = await new InjectSession(app).get(`/invitation/${expired.token}`);
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('Cette invitation a expiré');
  });
});
