import { describe, expect, it } from 'vitest';
import { decideInvitation, type ExistingAgentFacts } from './invitation-decision.js';

const colleague: ExistingAgentFacts = { agentId: 7, isDeleted: false, hasPassword: true, accessLevelHere: undefined, belongsToTerritory: true };

describe('what an invitation does with an address', () => {
  it('creates an agent for a new address', () => {
    expect(decideInvitation(undefined)).toEqual({ ok: true, kind: 'CREATE_AGENT' });
  });

  it('adds a role to an agent of the same territory, with a link only when they have no password yet', () => {
    expect(decideInvitation(colleague)).toEqual({ ok: true, kind: 'ADD_ROLE', agentId: 7, sendInvitationLink: false });
    expect(decideInvitation({ ...colleague, hasPassword: false })).toEqual({ ok: true, kind: 'ADD_ROLE', agentId: 7, sendInvitationLink: true });
  });

  it('invites again a pending invitee of the organisation (a new link replaces the old one)', () => {
    expect(decideInvitation({ ...colleague, hasPassword: false, accessLevelHere: 'basic' })).toEqual({ ok: true, kind: 'ADD_ROLE', agentId: 7, sendInvitationLink: true });
  });

  it('says an agent who signs in here already is a member', () => {
    expect(decideInvitation({ ...colleague, accessLevelHere: 'admin' })).toEqual({ ok: false, reason: 'ALREADY_MEMBER' });
  });

  it('never touches another territory’s agent nor a deactivated one', () => {
    expect(decideInvitation({ ...colleague, belongsToTerritory: false })).toEqual({ ok: false, reason: 'ADDRESS_TAKEN_ELSEWHERE' });
    expect(decideInvitation({ ...colleague, isDeleted: true })).toEqual({ ok: false, reason: 'ADDRESS_TAKEN_ELSEWHERE' });
    expect(decideInvitation({ ...colleague, belongsToTerritory: false, hasPassword: false, accessLevelHere: undefined })).toEqual({ ok: false, reason: 'ADDRESS_TAKEN_ELSEWHERE' });
  });
});
