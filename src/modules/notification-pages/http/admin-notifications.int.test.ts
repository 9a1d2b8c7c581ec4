// The notifications admin pages on the demo territory (PGlite, and PostgreSQL with
// TEST_DATABASE_URL): who sees which log lines, filters and pages, « Renvoyer » (once, audited),
// the territory's SMS and e-mail settings (encrypted credentials, kept when left blank, hostile
// input) and the test SMS against the SMS Factor loopback stub.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../../test/support/agents.js';
import { buildTestApp, createTestContext, TEST_NOW } from '../../../../test/support/app.js';
import type { InjectSession } from '../../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { startSmsFactorStub, type SmsFactorStub } from '../../../../test/support/sms-stubs/index.js';
import type { NotificationEvent, NotificationStatus } from '../../../platform/db/schema.js';
import { decryptSecret } from '../../../platform/security/index.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../../seed/index.js';
import { saveTerritorySettings } from '../admin-territory-settings.js';
import { hashReportToken, keyringOf, reportTokenOf, smsCredentialsAssociatedData } from '../../notifications/index.js';

const MEAUX_ADMIN = 'admin.meaux@demo.creneau.fr';

describe('notifications admin pages', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let stub: SmsFactorStub;
  let sophie: InjectSession;
  let thomas: InjectSession;
  let nadia: InjectSession;
  let melun: number;
  let meaux: number;
  let territory77: number;
  let melunAppointment: number;
  let melunUser: { id: number; firstName: string; lastName: string; email: string | null; phone: string | null };
  let meauxAppointment: number;
  const ids: Record<string, number> = {};

  async function organisationOf(slug: string): Promise<{ id: number; territoryId: number }> {
    const row = await database.db.selectFrom('organisations').select(['id', 'territory_id']).where('slug', '=', slug).executeTakeFirstOrThrow();
    return { id: row.id, territoryId: row.territory_id };
  }

  async function insertNotification(values: {
    key: string;
    event?: NotificationEvent;
    channel?: 'sms' | 'mail';
    status: NotificationStatus;
    appointmentId?: number | null;
    userId?: number | null;
    agentId?: number | null;
    territoryId: number;
    lastError?: string | null;
    notAfter?: Date | null;
    createdAt?: Date;
  }): Promise<number> {
    const row = await database.db
      .insertInto('notifications')
      .values({
        idempotency_key: values.key,
        event: values.event ?? 'reminder',
        channel: values.channel ?? 'sms',
        appointment_id: values.appointmentId ?? null,
        user_id: values.userId ?? null,
        agent_id: values.agentId ?? null,
        territory_id: values.territoryId,
        status: values.status,
        attempts: values.status === 'pending' ? 0 : 1,
        not_before: TEST_NOW,
        not_after: values.notAfter ?? null,
        last_error: values.lastError ?? null,
        created_at: values.createdAt ?? TEST_NOW,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  const logUrl = (organisationId: number, query = ''): string => `/agents/organisations/${String(organisationId)}/notifications${query}`;
  const settingsUrl = (organisationId: number): string => `/agents/organisations/${String(organisationId)}/territoire/notifications`;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    app = await buildTestApp(database);
    stub = await startSmsFactorStub();
    const melunOrganisation = await organisationOf('mds-melun');
    melun = melunOrganisation.id;
    territory77 = melunOrganisation.territoryId;
    meaux = (await organisationOf('mds-meaux')).id;
    const reunion = await organisationOf('solidarites-saint-denis-974');
    const melunParticipation = await database.db
      .selectFrom('participations as p')
      .innerJoin('appointments as a', 'a.id', 'p.appointment_id')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['a.id as appointmentId', 'u.id', 'u.first_name', 'u.last_name', 'u.email', 'u.phone_number'])
      .where('a.organisation_id', '=', melun)
      .orderBy('a.id')
      .executeTakeFirstOrThrow();
    melunAppointment = melunParticipation.appointmentId;
    melunUser = { id: melunParticipation.id, firstName: melunParticipation.first_name, lastName: melunParticipation.last_name, email: melunParticipation.email, phone: melunParticipation.phone_number };
    meauxAppointment = (await database.db.selectFrom('appointments').select('id').where('organisation_id', '=', meaux).orderBy('id').executeTakeFirstOrThrow()).id;
    const sophieId = (await database.db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.melunAdmin).executeTakeFirstOrThrow()).id;

    ids.failedSms = await insertNotification({ key: 't:failed', status: 'failed', appointmentId: melunAppointment, userId: melunUser.id, territoryId: territory77, lastError: 'numéro refusé par le fournisseur' });
    ids.sentMail = await insertNotification({ key: 't:sent', status: 'sent', channel: 'mail', event: 'appointment_created', appointmentId: melunAppointment, agentId: sophieId, territoryId: territory77 });
    ids.doubtSms = await insertNotification({ key: 't:doubt', status: 'in_doubt', appointmentId: melunAppointment, userId: melunUser.id, territoryId: territory77 });
    ids.startedSms = await insertNotification({ key: 't:started', status: 'failed', appointmentId: melunAppointment, userId: melunUser.id, territoryId: territory77, notAfter: new Date(TEST_NOW.getTime() - 60_000) });
    ids.account77 = await insertNotification({ key: 't:account77', status: 'failed', channel: 'mail', event: 'account', userId: melunUser.id, territoryId: territory77 });
    ids.meauxSms = await insertNotification({ key: 't:meaux', status: 'failed', appointmentId: meauxAppointment, userId: melunUser.id, territoryId: territory77 });
    ids.account974 = await insertNotification({ key: 't:account974', status: 'failed', channel: 'mail', event: 'account', userId: melunUser.id, territoryId: reunion.territoryId });
    await database.db
      .insertInto('notification_receipts')
      .values({ notification_id: ids.doubtSms, appointment_id: melunAppointment, user_id: melunUser.id, channel: 'sms', event: 'reminder', result: 'sent', provider: 'smsfactor', segments: 1, territory_id: territory77, attempt: 1, reference: 'n1a1' })
      .execute();

    sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    thomas = await signInAgent(app, MEAUX_ADMIN);
    nadia = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await stub.close();
    await database.destroy();
  });

  const resendForm = (organisationId: number, notificationId: number): string => `action="/agents/organisations/${String(organisationId)}/notifications/${String(notificationId)}/renvoyer"`;

  describe('the log', () => {
    it('shows a territorial admin the organisation’s notifications and the territory’s account e-mails, recipients by name only', async () => {
      const response = await sophie.get(logUrl(melun));
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const body = response.body;
      expect(body).toContain(`${melunUser.firstName} ${melunUser.lastName} (usager)`);
      expect(body).toContain('Sophie Lambert (agent)');
      for (const label of ['Échec', 'À vérifier', 'Envoyé', 'Rappel', 'Message de compte', 'SMS Factor', 'numéro refusé par le fournisseur']) expect(body).toContain(label);
      if (melunUser.email !== null) expect(body).not.toContain(melunUser.email);
      if (melunUser.phone !== null) expect(body).not.toContain(melunUser.phone);
      expect(body).toContain(`/agents/organisations/${String(melun)}/rdv/${String(melunAppointment)}`);
      expect(body).toContain(resendForm(melun, ids.failedSms ?? 0));
      expect(body).toContain(resendForm(melun, ids.doubtSms ?? 0));
      // Not offered: sent, and account e-mails (their content is erased).
      expect(body).not.toContain(resendForm(melun, ids.sentMail ?? 0));
      expect(body).not.toContain(resendForm(melun, ids.account77 ?? 0));
      // Another organisation's appointment, another territory's account e-mail: absent.
      expect(body).not.toContain(`/rdv/${String(meauxAppointment)}"`);
      expect(body.match(/Message de compte<\/td>/g)?.length).toBe(1);
    });

    it('shows an organisation admin only the notifications of the organisation’s appointments', async () => {
      const response = await thomas.get(logUrl(meaux));
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain(resendForm(meaux, ids.meauxSms ?? 0));
      expect(response.body).not.toContain('Message de compte</td>');
      expect(response.body).not.toContain(`/rdv/${String(melunAppointment)}"`);
      expect(response.body).not.toContain('Paramètres SMS et e-mail du territoire');
    });

    it('answers 404 to a basic agent and for another organisation', async () => {
      expect((await nadia.get(logUrl(melun))).statusCode).toBe(404);
      expect((await sophie.get(logUrl(meaux))).statusCode).toBe(404);
      expect((await thomas.get(logUrl(melun))).statusCode).toBe(404);
    });

    it('filters by status, channel, event and days', async () => {
      const failed = await sophie.get(logUrl(melun, '?statut=failed'));
      expect(failed.statusCode).toBe(200);
      expect(failed.body).toContain(resendForm(melun, ids.failedSms ?? 0));
      expect(failed.body).not.toContain(resendForm(melun, ids.doubtSms ?? 0));
      const mails = await sophie.get(logUrl(melun, '?canal=mail&evenement=appointment_created'));
      expect(mails.body).toContain('Rendez-vous pris');
      expect(mails.body).not.toContain('Rappel</a>');
      const later = await sophie.get(logUrl(melun, '?du=2026-11-25&au=2026-11-30'));
      expect(later.body).toContain('Aucune notification ne correspond.');
      const sameDay = await sophie.get(logUrl(melun, '?du=2026-11-24&au=2026-11-24'));
      expect(sameDay.body).toContain(resendForm(melun, ids.failedSms ?? 0));
    });

    it('answers a page with French messages (never 500) to bad filter values, keeping them', async () => {
      for (const [query, message] of [
        ['?statut=inconnu', 'Choisissez un statut dans la liste'],
        ['?canal=fax', 'Choisissez un canal dans la liste'],
        ['?evenement=%00', 'Choisissez un événement dans la liste'],
        ['?du=2026-02-30', 'Saisissez une date valide'],
        ['?du=2026-11-30&au=2026-11-01', 'La date de fin doit être après la date de début'],
        ['?avant=abc', 'Page inconnue'],
        ['?statut=%E2%9C%93', 'Choisissez un statut dans la liste'],
      ] as const) {
        const response = await sophie.get(logUrl(melun, query));
        expect(response.statusCode, query).toBe(422);
        expect(response.body, query).toContain(message);
      }
      expect((await sophie.get(logUrl(melun, `?statut=${'x'.repeat(10_000)}`))).statusCode).toBe(400);
      expect((await sophie.get(logUrl(melun, '?statut=failed&statut=sent'))).statusCode).toBe(400);
    });

    it('pages by 50, newest first', async () => {
      const extra: number[] = [];
      for (let index = 0; index < 55; index += 1) {
        extra.push(await insertNotification({ key: `t:page:${String(index)}`, status: 'sent', channel: 'mail', appointmentId: melunAppointment, userId: melunUser.id, territoryId: territory77 }));
      }
      const first = await sophie.get(logUrl(melun, '?statut=sent'));
      expect(first.body.match(/<tr>/g)?.length).toBe(51); // header + 50
      const next = /href="([^"]*avant=\d+)"/.exec(first.body)?.[1]?.replaceAll('&amp;', '&');
      expect(next).toBeDefined();
      expect(next).toContain('statut=sent');
      const second = await sophie.get(next ?? '');
      expect(second.statusCode).toBe(200);
      // 55 extra + the first sent e-mail: 6 on the second page, none twice.
      expect(second.body.match(/<tr>/g)?.length).toBe(7);
      expect(second.body).not.toContain('Page suivante');
      await database.db.deleteFrom('notifications').where('id', 'in', extra).execute();
    });
  });

  describe('« Renvoyer »', () => {
    const resendUrl = (organisationId: number, notificationId: number): string => `/agents/organisations/${String(organisationId)}/notifications/${String(notificationId)}/renvoyer`;

    it('puts a failed notification back to pending now, once, with an audit entry', async () => {
      await sophie.get(logUrl(melun));
      const response = await sophie.post(resendUrl(melun, ids.failedSms ?? 0), {});
      expect(response.statusCode).toBe(303);
      const row = await database.db.selectFrom('notifications').select(['status', 'not_before']).where('id', '=', ids.failedSms ?? 0).executeTakeFirstOrThrow();
      expect(row.status).toBe('pending');
      expect(new Date(row.not_before).getTime()).toBe(TEST_NOW.getTime());
      const page = await sophie.get(logUrl(melun));
      expect(page.body).toContain('sera renvoyée dans quelques instants');
      const again = await sophie.post(resendUrl(melun, ids.failedSms ?? 0), {});
      expect(again.statusCode).toBe(303);
      expect((await sophie.get(logUrl(melun))).body).toContain('ne peut pas être renvoyée');
      const audits = await database.db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'notification').where('subject_id', '=', ids.failedSms ?? 0).execute();
      expect(audits).toHaveLength(1);
      expect(audits[0]?.action).toBe('update');
    });

    it('resends once under 50 concurrent clicks', async () => {
      await sophie.get(logUrl(melun));
      const answers = await Promise.all(Array.from({ length: 50 }, () => sophie.post(resendUrl(melun, ids.doubtSms ?? 0), {})));
      expect(answers.every((answer) => answer.statusCode === 303)).toBe(true);
      const audits = await database.db.selectFrom('audit_log').select('id').where('subject_type', '=', 'notification').where('subject_id', '=', ids.doubtSms ?? 0).execute();
      expect(audits).toHaveLength(1);
      const row = await database.db.selectFrom('notifications').select('status').where('id', '=', ids.doubtSms ?? 0).executeTakeFirstOrThrow();
      expect(row.status).toBe('pending');
    });

    it('refuses account e-mails and messages whose appointment has started', async () => {
      await sophie.get(logUrl(melun));
      await sophie.post(resendUrl(melun, ids.account77 ?? 0), {});
      expect((await sophie.get(logUrl(melun))).body).toContain('hors messages de compte');
      await sophie.post(resendUrl(melun, ids.startedSms ?? 0), {});
      expect((await sophie.get(logUrl(melun))).body).toContain('Le rendez-vous a commencé');
      const rows = await database.db.selectFrom('notifications').select('status').where('id', 'in', [ids.account77 ?? 0, ids.startedSms ?? 0]).execute();
      expect(rows.map((row) => row.status)).toEqual(['failed', 'failed']);
    });

    it('answers 404 for another organisation’s or territory’s notification, and to a basic agent', async () => {
      await sophie.get(logUrl(melun));
      expect((await sophie.post(resendUrl(melun, ids.meauxSms ?? 0), {})).statusCode).toBe(404);
      await sophie.get(logUrl(melun));
      expect((await sophie.post(resendUrl(melun, ids.account974 ?? 0), {})).statusCode).toBe(404);
      await thomas.get(logUrl(meaux));
      expect((await thomas.post(resendUrl(meaux, ids.account77 ?? 0), {})).statusCode).toBe(404);
      await nadia.get('/agents/compte');
      expect((await nadia.post(resendUrl(melun, ids.meauxSms ?? 0), {})).statusCode).toBe(404);
      const row = await database.db.selectFrom('notifications').select('status').where('id', '=', ids.meauxSms ?? 0).executeTakeFirstOrThrow();
      expect(row.status).toBe('failed');
    });
  });

  describe('territory SMS and e-mail settings', () => {
    const validForm = (): Record<string, string> => ({
      fournisseur: 'smsfactor',
      expediteur: 'CD77',
      primaire_smsfactor_apiToken: stub.token,
      primaire_smsfactor_endpoint: stub.url,
      secours: '',
      seuilCredits: '500',
      mailExpediteur: 'rdv@seine-et-marne.fr',
      mailReponse: 'contact@seine-et-marne.fr',
    });

    it('is for territorial admins only', async () => {
      expect((await nadia.get(settingsUrl(melun))).statusCode).toBe(404);
      expect((await thomas.get(settingsUrl(meaux))).statusCode).toBe(404);
      expect((await sophie.get(settingsUrl(meaux))).statusCode).toBe(404);
      await thomas.get(logUrl(meaux));
      expect((await thomas.post(settingsUrl(meaux), validForm())).statusCode).toBe(404);
      await thomas.get(logUrl(meaux));
      expect((await thomas.post(`${settingsUrl(meaux)}/test-sms`, { numero: '0612345678' })).statusCode).toBe(404);
      const page = await sophie.get(settingsUrl(melun));
      expect(page.statusCode).toBe(200);
      for (const label of ['SMS Factor', 'Brevo', 'Netsize', 'Clever Technologies', 'Orange Contact Everyone', 'SFR mail2SMS', 'Journal seulement (développement)']) expect(page.body).toContain(label);
      expect(page.body).toMatch(/type="password" id="primaire_smsfactor_apiToken" name="primaire_smsfactor_apiToken" autocomplete="off"/);
    });

    it('stores the credentials encrypted, never shows them back, and keeps them when the fields are left blank', async () => {
      await sophie.get(settingsUrl(melun));
      const saved = await sophie.post(settingsUrl(melun), validForm());
      expect(saved.statusCode).toBe(303);
      const row = await database.db.selectFrom('territory_sms_settings').selectAll().where('territory_id', '=', territory77).executeTakeFirstOrThrow();
      expect(row.provider).toBe('smsfactor');
      expect(row.sender).toBe('CD77');
      expect(row.low_credit_threshold).toBe(500);
      expect(JSON.stringify(row)).not.toContain(stub.token);
      const keyring = keyringOf(createTestContext(database));
      const decrypted = JSON.parse(decryptSecret(row.credentials_encrypted ?? '', keyring, smsCredentialsAssociatedData(territory77, 'primary'))) as Record<string, string>;
      expect(decrypted).toEqual({ apiToken: stub.token, endpoint: stub.url });
      const secret = createTestContext(database).config.secretsEncryptionKey;
      expect(row.report_token_hash).toBe(hashReportToken(reportTokenOf(secret, territory77)));
      const territory = await database.db.selectFrom('territories').select(['mail_from', 'mail_reply_to']).where('id', '=', territory77).executeTakeFirstOrThrow();
      expect(territory).toEqual({ mail_from: 'rdv@seine-et-marne.fr', mail_reply_to: 'contact@seine-et-marne.fr' });

      const page = await sophie.get(settingsUrl(melun));
      expect(page.body).toContain('Les paramètres SMS et e-mail du territoire sont enregistrés.');
      expect(page.body).toContain('Identifiants enregistrés');
      expect(page.body).toContain(`/notifications/sms/accuses/${reportTokenOf(secret, territory77)}`);
      expect(page.body).not.toContain(stub.token);

      const blank = { ...validForm(), primaire_smsfactor_apiToken: '', primaire_smsfactor_endpoint: '', expediteur: 'MDS77' };
      expect((await sophie.post(settingsUrl(melun), blank)).statusCode).toBe(303);
      const kept = await database.db.selectFrom('territory_sms_settings').selectAll().where('territory_id', '=', territory77).executeTakeFirstOrThrow();
      expect(kept.sender).toBe('MDS77');
      expect(JSON.parse(decryptSecret(kept.credentials_encrypted ?? '', keyring, smsCredentialsAssociatedData(territory77, 'primary')))).toEqual({ apiToken: stub.token, endpoint: stub.url });
      const audits = await database.db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'territory_notification_settings').execute();
      expect(audits.length).toBeGreaterThanOrEqual(2);
      expect(JSON.stringify(audits)).not.toContain(stub.token);
    });

    it('asks for the credentials again when the provider changes, and stores a fallback with its own', async () => {
      await sophie.get(settingsUrl(melun));
      const missing = await sophie.post(settingsUrl(melun), { ...validForm(), fournisseur: 'brevo' });
      expect(missing.statusCode).toBe(422);
      expect(missing.body).toContain('Renseignez la clé d’API');
      const withFallback = await sophie.post(settingsUrl(melun), { ...validForm(), primaire_smsfactor_apiToken: '', secours: 'brevo', secours_brevo_apiKey: 'xkeysib-secours-0123456789' });
      expect(withFallback.statusCode).toBe(303);
      await sophie.get(settingsUrl(melun));
      const row = await database.db.selectFrom('territory_sms_settings').selectAll().where('territory_id', '=', territory77).executeTakeFirstOrThrow();
      expect(row.fallback_provider).toBe('brevo');
      expect(JSON.stringify(row)).not.toContain('xkeysib-secours');
      const keyring = keyringOf(createTestContext(database));
      expect(JSON.parse(decryptSecret(row.fallback_credentials_encrypted ?? '', keyring, smsCredentialsAssociatedData(territory77, 'fallback')))).toEqual({ apiKey: 'xkeysib-secours-0123456789' });
      const same = await sophie.post(settingsUrl(melun), { ...validForm(), secours: 'smsfactor' });
      expect(same.statusCode).toBe(422);
      expect(same.body).toContain('doit être différent du fournisseur principal');
      // Back to no fallback for the next tests.
      await sophie.get(settingsUrl(melun));
      expect((await sophie.post(settingsUrl(melun), { ...validForm(), secours: '' })).statusCode).toBe(303);
    });

    it('refuses hostile values with French messages and keeps the typed input', async () => {
      await sophie.get(settingsUrl(melun));
      const cases: readonly [Record<string, string>, string, string][] = [
        [{ expediteur: 'Département 77' }, 'expediteur', 'Le nom d’expéditeur compte de 1 à 11 lettres'],
        [{ expediteur: '12345' }, 'expediteur', 'dont au moins une lettre'],
        [{ expediteur: 'A'.repeat(10_000) }, 'expediteur', 'Le nom d’expéditeur'],
        [{ expediteur: 'CD\r\n77' }, 'expediteur', 'Le nom d’expéditeur'],
        [{ primaire_smsfactor_apiToken: 'jeton\u0000nul' }, 'primaire_smsfactor_apiToken', 'Sans espace ni caractère spécial invisible'],
        [{ primaire_smsfactor_apiToken: 'x'.repeat(10_000) }, 'primaire_smsfactor_apiToken', 'Valeur trop longue'],
        [{ primaire_smsfactor_endpoint: 'http://example.org' }, 'primaire_smsfactor_endpoint', 'Adresse https:// attendue'],
        [{ fournisseur: 'twilio' }, 'fournisseur', 'Choisissez un fournisseur SMS dans la liste'],
        [{ secours: '✓' }, 'secours', 'Choisissez un fournisseur de secours'],
        [{ seuilCredits: '-3' }, 'seuilCredits', 'nombre entier de crédits'],
        [{ mailExpediteur: 'a@b.fr, c@d.fr' }, 'mailExpediteur', 'une seule adresse électronique'],
        [{ mailReponse: 'Nom <a@b.fr>' }, 'mailReponse', 'une seule adresse électronique'],
        [{ mailExpediteur: `${'a'.repeat(300)}@b.fr` }, 'mailExpediteur', 'une seule adresse électronique'],
      ];
      for (const [override, field, message] of cases) {
        const response = await sophie.post(settingsUrl(melun), { ...validForm(), ...override });
        expect(response.statusCode, field).toBe(422);
        expect(response.body, field).toContain(message);
        expect(response.body, field).toContain(`href="#${field}"`);
        const typed = override[field] ?? '';
        if (!field.startsWith('primaire_') && !field.startsWith('secours_') && field !== 'fournisseur' && field !== 'secours' && !typed.includes('\r') && typed.length < 400) {
          expect(response.body, field).toContain(`value="${typed.replaceAll('<', '&lt;').replaceAll('>', '&gt;')}"`);
        }
        // Never a credential typed in a refused form.
        expect(response.body).not.toContain(stub.token);
      }
      const row = await database.db.selectFrom('territory_sms_settings').select('sender').where('territory_id', '=', territory77).executeTakeFirstOrThrow();
      expect(row.sender).toBe('CD77');
    });

    it('answers 400 to a repeated field and to a value beyond the structural bound', async () => {
      await sophie.get(settingsUrl(melun));
      const token = /name="_csrf" value="([^"]+)"/.exec(sophie.lastBody)?.[1] ?? '';
      const repeated = new URLSearchParams({ _csrf: token, ...validForm() });
      repeated.append('expediteur', 'AUTRE');
      expect((await sophie.send('POST', settingsUrl(melun), repeated.toString(), 'application/x-www-form-urlencoded')).statusCode).toBe(400);
      await sophie.get(settingsUrl(melun));
      expect((await sophie.post(settingsUrl(melun), { ...validForm(), expediteur: 'A'.repeat(10_001) })).statusCode).toBe(400);
    });

    it('refuses the log-only provider in production', async () => {
      const context = createTestContext(database);
      const deps = { db: database.db, keyring: keyringOf(context), baseUrl: context.config.baseUrl, secretsEncryptionKey: context.config.secretsEncryptionKey, production: true };
      const result = await saveTerritorySettings(deps, { territoryId: territory77, agentId: 1, form: { fournisseur: 'log', expediteur: 'CD77' }, now: TEST_NOW });
      expect(result).toEqual({ ok: false, errors: { fournisseur: expect.stringContaining('refusé en production') as unknown } });
      const development = await saveTerritorySettings({ ...deps, production: false }, { territoryId: territory77, agentId: 1, form: { fournisseur: 'log', expediteur: 'CD77' }, now: TEST_NOW });
      expect(development).toEqual({ ok: true });
      const row = await database.db.selectFrom('territory_sms_settings').selectAll().where('territory_id', '=', territory77).executeTakeFirstOrThrow();
      expect(row.credentials_encrypted).toBeNull();
      // Back to SMS Factor for the test SMS.
      await sophie.get(settingsUrl(melun));
      expect((await sophie.post(settingsUrl(melun), validForm())).statusCode).toBe(303);
    });
  });

  describe('test SMS', () => {
    const testUrl = (): string => `${settingsUrl(melun)}/test-sms`;

    it('sends the test text through SMS Factor and shows the answer, without showing the number back', async () => {
      stub.reset();
      await sophie.get(settingsUrl(melun));
      const response = await sophie.post(testUrl(), { numero: '06 12 34 56 78' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('SMS de test envoyé');
      expect(response.body).toContain('Segments facturés : 1');
      expect(response.body).not.toContain('06 12 34 56 78');
      expect(stub.received()).toHaveLength(1);
      expect(stub.received()[0]).toMatchObject({ to: '33612345678', sender: 'CD77', text: 'Test Créneau : la configuration SMS fonctionne.' });
      const audits = await database.db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'territory_sms_test').execute();
      expect(audits).toHaveLength(1);
      expect(JSON.stringify(audits)).not.toContain('612345678');
    });

    it('shows the provider’s refusal', async () => {
      stub.setFailure('bad_credentials');
      await sophie.get(settingsUrl(melun));
      const response = await sophie.post(testUrl(), { numero: '0612345678' });
      stub.setFailure('none');
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('Le SMS de test n’est pas parti');
      expect(response.body).toContain('paramètres refusés');
    });

    it('accepts mobiles only, with French messages and the input kept', async () => {
      await sophie.get(settingsUrl(melun));
      const landline = await sophie.post(testUrl(), { numero: '01 23 45 67 89' });
      expect(landline.statusCode).toBe(422);
      expect(landline.body).toContain('Saisissez un numéro de mobile');
      expect(landline.body).toContain('value="01 23 45 67 89"');
      for (const hostile of ['abc', '', '0'.repeat(10_000), '06\u00001234']) {
        const response = await sophie.post(testUrl(), { numero: hostile });
        expect(response.statusCode, hostile.slice(0, 20)).toBe(422);
      }
    });

    it('sends at most five an hour per territory', async () => {
      stub.reset();
      const statuses: number[] = [];
      for (let index = 0; index < 6; index += 1) {
        await sophie.get(settingsUrl(melun));
        statuses.push((await sophie.post(testUrl(), { numero: '0612345678' })).statusCode);
      }
      // Two were used by the tests above (success and refusal).
      expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
      expect(stub.received()).toHaveLength(3);
      expect(sophie.lastBody).toContain('Trop de SMS de test');
    });
  });
});
