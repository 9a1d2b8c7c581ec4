/**
 * The operator's commands (ADR 0032, amendment of 2026-12-02): naming a super admin from a shell —
 * the first one of a fresh instance — and resetting a lost second factor. The use cases on the test
 * database, the invitation link followed through the real app up to the TOTP enrolment, and the
 * command itself in a child process on an embedded database folder.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultiClockBrowser } from '../../../test/support/agents.js';
import { buildTestApp, TEST_NOW } from '../../../test/support/app.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { appointSuperAdmin, resetSecondFactor, totpCodeAt } from './index.js';

const BASE_URL = 'http://localhost:3000';

describe('naming super admins and resetting their second factor (operator)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    app = await buildTestApp(database);
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  const agentRow = (email: string) =>
    database.db.selectFrom('agents').select(['id', 'is_super_admin', 'session_generation', 'password_hash']).where('email', '=', email).executeTakeFirstOrThrow();

  it('refuses an invalid address, a new address without names, bad names and a deleted account, writing nothing', async () => {
    const before = await database.db.selectFrom('agents').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    for (const [email, names, message] of [
      ['pas-une-adresse', undefined, 'adresse e-mail'],
      ['nouvelle.personne@exemple.fr', undefined, 'donnez aussi le prénom et le nom'],
      ['nouvelle.personne@exemple.fr', { firstName: 'Zoé\u0000', lastName: 'Marin' }, 'que des lettres'],
    ] as const) {
      const result = await appointSuperAdmin(database.db, { email, names, baseUrl: BASE_URL, now: TEST_NOW });
      expect(result.ok, email).toBe(false);
      if (!result.ok) expect(result.message.toLowerCase()).toContain(message.toLowerCase());
    }
    await database.db.insertInto('agents').values({ email: 'ancien.super@exemple.fr', first_name: 'Ancien', last_name: 'Compte', password_hash: null, deleted_at: TEST_NOW }).execute();
    const deleted = await appointSuperAdmin(database.db, { email: 'ancien.super@exemple.fr', names: undefined, baseUrl: BASE_URL, now: TEST_NOW });
    expect(deleted).toEqual({ ok: false, message: 'Cette adresse appartient à un compte agent supprimé.' });
    const after = await database.db.selectFrom('agents').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
    expect((await agentRow('ancien.super@exemple.fr')).is_super_admin).toBe(false);
  });

  it('creates a new super admin whose printed link leads to a password, then to the TOTP enrolment', async () => {
    const result = await appointSuperAdmin(database.db, { email: 'Zoe.Marin@Exemple.fr', names: { firstName: 'Zoé', lastName: 'Marin' }, baseUrl: BASE_URL, now: TEST_NOW });
    if (!result.ok) throw new Error(result.message);
    expect(result.created).toBe(true);
    const link = new URL(result.invitationLink ?? '');
    expect(link.origin + link.pathname).toBe(`${BASE_URL}/agents/invitation`);
    const agent = await agentRow('zoe.marin@exemple.fr');
    expect(agent.is_super_admin).toBe(true);
    const audit = await database.db.selectFrom('audit_log').select(['actor_type', 'action', 'details']).where('subject_type', '=', 'agent').where('subject_id', '=', agent.id).execute();
    const details = (value: unknown): unknown => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value);
    expect(audit.map((row): unknown[] => [row.actor_type, row.action, details(row.details)])).toEqual([['system', 'create', { event: 'super_admin_appointed', invited: true }]]);

    // Naming again gives a new link and revokes the first one.
    const again = await appointSuperAdmin(database.db, { email: 'zoe.marin@exemple.fr', names: undefined, baseUrl: BASE_URL, now: TEST_NOW });
    if (!again.ok) throw new Error(again.message);
    expect(again.created).toBe(false);
    const browser = new MultiClockBrowser();
    expect((await browser.get(app, `${link.pathname}${link.search}`)).statusCode).toBe(403);
    const second = new URL(again.invitationLink ?? '');
    const form = await browser.get(app, `${second.pathname}${second.search}`);
    expect(form.statusCode).toBe(200);
    const chosen = await browser.post(app, '/agents/invitation', { jeton: second.searchParams.get('jeton') ?? '', motDePasse: 'Le phare de Ouistreham 1902', confirmation: 'Le phare de Ouistreham 1902' });
    expect(chosen.statusCode).toBe(303);
    // The password alone opens nothing: the back office waits for the second factor.
    expect((await browser.get(app, '/super-admin')).statusCode).toBe(404);
    const enrolment = await browser.get(app, '/agents/connexion/code');
    const secret = /<code id="cle-totp">([A-Z2-7 ]+)<\/code>/.exec(enrolment.body)?.[1]?.replace(/ /g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const done = await browser.post(app, '/agents/connexion/code', { code: totpCodeAt(secret ?? '', TEST_NOW) });
    expect(done.headers.location).toBe('/super-admin');
    expect((await browser.get(app, '/super-admin')).statusCode).toBe(200);

    // A lost phone: the operator resets the second factor; the session ends and the next sign-in enrols again.
    expect(await resetSecondFactor(database.db, { email: 'zoe.marin@exemple.fr', now: TEST_NOW })).toEqual({ ok: true });
    expect(await database.db.selectFrom('agent_second_factors').select('agent_id').where('agent_id', '=', agent.id).executeTakeFirst()).toBeUndefined();
    const ended = await browser.get(app, '/super-admin');
    expect([ended.statusCode, ended.headers.location]).toEqual([303, '/agents/connexion']);
    const fresh = new MultiClockBrowser();
    await fresh.get(app, '/agents/connexion');
    expect((await fresh.post(app, '/agents/connexion', { email: 'zoe.marin@exemple.fr', motDePasse: 'Le phare de Ouistreham 1902' })).headers.location).toBe('/agents/connexion/code');
    const newSecret = /<code id="cle-totp">([A-Z2-7 ]+)<\/code>/.exec((await fresh.get(app, '/agents/connexion/code')).body)?.[1]?.replace(/ /g, '');
    expect(newSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newSecret).not.toBe(secret);
  });

  it('names an existing agent without a link and ends their sessions; refuses to reset someone who is not a super admin', async () => {
    const before = await agentRow(DEMO_AGENT_EMAILS.melunBasic);
    expect(before.is_super_admin).toBe(false);
    const result = await appointSuperAdmin(database.db, { email: DEMO_AGENT_EMAILS.melunBasic, names: undefined, baseUrl: BASE_URL, now: TEST_NOW });
    expect(result).toMatchObject({ ok: true, created: false, invitationLink: undefined });
    const after = await agentRow(DEMO_AGENT_EMAILS.melunBasic);
    expect(after.is_super_admin).toBe(true);
    expect(after.session_generation).toBe(before.session_generation + 1);
    expect(after.password_hash).toBe(before.password_hash);
    expect(await resetSecondFactor(database.db, { email: DEMO_AGENT_EMAILS.melunAdmin, now: TEST_NOW })).toEqual({ ok: false, message: 'Aucun super admin n’a cette adresse.' });
  });
});

describe('npm run super-admin in a child process (embedded database)', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'creneau-super-admin-cli-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      // An operator's shell: not vitest's variables, no PostgreSQL.
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', DATA_DIR: path.join(work, 'data'), LOG_LEVEL: 'silent', NODE_ENV: 'development' };
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/super-admin.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => {
        resolve({ code, stdout, stderr });
      });
    });
  }

  it('prints the usage, names the first super admin of a fresh instance with a link, and refuses a reset of an unknown address', { timeout: 240_000 }, async () => {
    const usage = await run(['nommer']);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('Usage : npm run super-admin -- nommer ADRESSE [PRÉNOM NOM]');
    const named = await run(['nommer', 'premiere.operatrice@exemple.fr', 'Inès', 'Durand']);
    expect(named.stderr).toBe('');
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('Compte créé : super admin nommé.');
    expect(named.stdout).toMatch(/\/agents\/invitation\?jeton=[\w-]{20,}\n/);
    const reset = await run(['reinitialiser-totp', 'inconnu@exemple.fr']);
    expect(reset.code).toBe(1);
    expect(reset.stderr).toContain('Aucun super admin n’a cette adresse.');
  });
});
