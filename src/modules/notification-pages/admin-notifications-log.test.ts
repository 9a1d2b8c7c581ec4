import { describe, expect, it } from 'vitest';
import type { AgentPrincipal } from '../agents/index.js';
import { isResendable, logScopeOf, parseLogFilters } from './admin-notifications-log.js';
import { allCredentialFieldNames, credentialFieldsOf } from './admin-territory-settings.js';

function principal(roles: { organisationId: number; territoryId: number; accessLevel: 'admin' | 'basic' }[], territorialAdminOf: number[] = []): AgentPrincipal {
  return {
    agentId: 1,
    firstName: 'Test',
    lastName: 'Agent',
    email: 'agent@example.org',
    roles: roles.map((role) => ({ ...role, organisationName: 'Org', timeZone: 'Europe/Paris' })),
    serviceIds: new Set(),
    isSecretariat: false,
    territorialAdminOf: new Set(territorialAdminOf),
    isSuperAdmin: false,
  };
}

describe('notifications log filters', () => {
  it('reads the days as local days of the organisation’s zone, the end day included', () => {
    const check = parseLogFilters({ du: '2026-03-29', au: '2026-03-29' }, 'Europe/Paris');
    expect(check).toEqual({ ok: true, filters: { from: new Date('2026-03-28T23:00:00Z'), to: new Date('2026-03-29T22:00:00Z') } });
    const reunion = parseLogFilters({ du: '2026-11-24' }, 'Indian/Reunion');
    expect(reunion.ok && reunion.filters.from?.toISOString()).toBe('2026-11-23T20:00:00.000Z');
  });

  it('keeps known statuses, channels and events, and the keyset', () => {
    expect(parseLogFilters({ statut: 'in_doubt', canal: 'sms', evenement: 'reminder', avant: '120' }, 'Europe/Paris')).toEqual({
      ok: true,
      filters: { status: 'in_doubt', channel: 'sms', event: 'reminder', before: 120 },
    });
    expect(parseLogFilters({ statut: '', canal: ' ' }, 'Europe/Paris')).toEqual({ ok: true, filters: {} });
  });

  it('answers a French message per refused value', () => {
    const check = parseLogFilters({ statut: 'envoye', canal: 'fax', evenement: 'x', du: '2026-02-30', au: '25/12/2026', avant: '0' }, 'Europe/Paris');
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(Object.keys(check.errors).sort()).toEqual(['au', 'avant', 'canal', 'du', 'evenement', 'statut']);
    expect(parseLogFilters({ du: '2026-12-02', au: '2026-12-01' }, 'Europe/Paris')).toEqual({ ok: false, errors: { au: 'La date de fin doit être après la date de début' } });
    expect(parseLogFilters({ avant: '99999999999' }, 'Europe/Paris').ok).toBe(false);
  });
});

describe('who sees the log, and what may be resent', () => {
  it('gives the log to organisation admins and territorial admins, with the territory’s account e-mails to the latter only', () => {
    expect(logScopeOf(principal([{ organisationId: 5, territoryId: 2, accessLevel: 'basic' }]), 5)).toBeUndefined();
    expect(logScopeOf(principal([{ organisationId: 5, territoryId: 2, accessLevel: 'admin' }]), 6)).toBeUndefined();
    expect(logScopeOf(principal([{ organisationId: 5, territoryId: 2, accessLevel: 'admin' }]), 5)?.includesTerritory).toBe(false);
    expect(logScopeOf(principal([{ organisationId: 5, territoryId: 2, accessLevel: 'basic' }], [2]), 5)?.includesTerritory).toBe(true);
    expect(logScopeOf(principal([{ organisationId: 5, territoryId: 2, accessLevel: 'admin' }], [3]), 5)?.includesTerritory).toBe(false);
  });

  it('resends failed and doubtful messages, never account e-mails', () => {
    expect(isResendable({ status: 'failed', event: 'reminder' })).toBe(true);
    expect(isResendable({ status: 'in_doubt', event: 'appointment_created' })).toBe(true);
    expect(isResendable({ status: 'failed', event: 'account' })).toBe(false);
    expect(isResendable({ status: 'sent', event: 'reminder' })).toBe(false);
    expect(isResendable({ status: 'pending', event: 'reminder' })).toBe(false);
  });
});

describe('credential fields of the settings form', () => {
  it('renders one input per credential of each provider, secrets as passwords', () => {
    expect(credentialFieldsOf('smsfactor').map((field) => [field.key, field.secret, field.optional])).toEqual([
      ['apiToken', true, false],
      ['endpoint', false, true],
    ]);
    expect(credentialFieldsOf('sfr_mail2sms').map((field) => field.key)).toEqual(['smtpUrl', 'to', 'from']);
    expect(credentialFieldsOf('log')).toEqual([]);
    const names = allCredentialFieldNames();
    expect(names).toContain('primaire_netsize_password');
    expect(names).toContain('secours_clever_login');
    expect(new Set(names).size).toBe(names.length);
  });
});
