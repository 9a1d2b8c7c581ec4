import { describe, expect, it } from 'vitest';
import { decideRevocation, isAccessLevel } from './territorial-roles.js';

describe('decideRevocation', () => {
  it('never removes the last territorial admin, even confirmed', () => {
    expect(decideRevocation({ actorId: 1, targetId: 1, adminIds: [1], confirmed: true })).toEqual({ ok: false, reason: 'LAST_ADMIN' });
  });

  it('asks an admin to confirm removing their own role', () => {
    expect(decideRevocation({ actorId: 1, targetId: 1, adminIds: [1, 2], confirmed: false })).toEqual({ ok: false, reason: 'NEEDS_CONFIRMATION' });
    expect(decideRevocation({ actorId: 1, targetId: 1, adminIds: [1, 2], confirmed: true })).toEqual({ ok: true });
  });

  it('removes another admin without confirmation, and refuses an agent who is not admin', () => {
    expect(decideRevocation({ actorId: 1, targetId: 2, adminIds: [1, 2], confirmed: false })).toEqual({ ok: true });
    expect(decideRevocation({ actorId: 1, targetId: 3, adminIds: [1, 2], confirmed: true })).toEqual({ ok: false, reason: 'NOT_ADMIN' });
  });
});

describe('isAccessLevel', () => {
  it('the three levels of agent_roles only', () => {
    expect(['admin', 'basic', 'intervenant'].every((level) => isAccessLevel(level))).toBe(true);
    expect(isAccessLevel('super_admin')).toBe(false);
    expect(isAccessLevel('toString')).toBe(false);
    expect(isAccessLevel(undefined)).toBe(false);
  });
});
