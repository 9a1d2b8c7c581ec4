import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/app.js';
import { hiddenFields, InjectSession, linksStartingWith } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { createInvitation, revokeInvitation } from './index.js';

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
    const proof = await browser.get(`/invitation/${invitation.token}`);
    // Nothing about the invited person before the proof: no name, no funnel.
    expect(proof.statusCode).toBe(200);
    expect(proof.body).toContain('Les 3 premières lettres de votre nom de famille');
    expect(proof.body).not.toMatch(/Karim|Haddad/);
    expect((await browser.get('/prendre-rdv')).statusCode).toBe(303);
    const opened = await browser.post(`/invitation/${invitation.token}`, { ...hiddenFields(proof.body), lettres: 'had' });
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe('/prendre-rdv');
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

  it('locks an invitation after five wrong answers, without ever showing the person', async () => {
    const invitation = await createInvitation(database.db, { userId: karimId, motifCategoryShortName: 'rsa_orientation', organisationIds: [melunId], partner: 'rdv-insertion', now: NOW });
    if (!invitation.ok) throw new Error('invitation not created');
    const browser = new InjectSession(app);
    const page = await browser.get(`/invitation/${invitation.token}`);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const answer = await browser.post(`/invitation/${invitation.token}`, { ...hiddenFields(page.body), lettres: 'zzz' });
      statuses.push(answer.statusCode);
      expect(answer.body).not.toMatch(/Karim|Haddad/);
    }
    expect(statuses).toEqual([422, 422, 422, 422, 403]);
    // the right answer no longer opens it
    const late = await browser.post(`/invitation/${invitation.token}`, { ...hiddenFields(page.body), lettres: 'Had' });
    expect(late.statusCode).toBe(403);
    expect(late.body).toContain('Trop de tentatives');
  });

  it('stops a revoked invitation', async () => {
    const invitation = await createInvitation(database.db, { userId: karimId, motifCategoryShortName: 'rsa_orientation', organisationIds: [melunId], partner: 'rdv-insertion', now: NOW });
    if (!invitation.ok) throw new Error('invitation not created');
    expect(await revokeInvitation(database.db, { token: invitation.token, now: NOW })).toEqual({ ok: true });
    expect(await revokeInvitation(database.db, { token: invitation.token, now: NOW })).toEqual({ ok: false, reason: 'ALREADY_REVOKED' });
    const response = await new InjectSession(app).get(`/invitation/${invitation.token}`);
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('n’est pas (ou plus) valable');
  });

  it('answers a malformed invitation path with 404 and a missing answer with 422', async () => {
    expect((await new InjectSession(app).get('/invitation/not%20a%20token')).statusCode).toBe(404);
    const invitation = await createInvitation(database.db, { userId: karimId, motifCategoryShortName: 'rsa_orientation', organisationIds: [melunId], partner: 'rdv-insertion', now: NOW });
    if (!invitation.ok) throw new Error('invitation not created');
    const browser = new InjectSession(app);
    const page = await browser.get(`/invitation/${invitation.token}`);
    expect((await browser.post(`/invitation/${invitation.token}`, { ...hiddenFields(page.body), lettres: '' })).statusCode).toBe(422);
    expect((await browser.post(`/invitation/${invitation.token}`, { ...hiddenFields(page.body), lettres: 'x'.repeat(10_001) })).statusCode).toBe(400);
  });
});
