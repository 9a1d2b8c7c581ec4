import { describe, expect, it } from 'vitest';
import {
  canAccessOrganisation,
  canChangeAppointment,
  canManageOrganisation,
  canManageScheduleOf,
  canManageTerritory,
  canSeeAgenda,
  canSeeAppointment,
  canUseMotif,
  visibleAppointmentsScope,
} from './policies.js';
import type { AgentPrincipal, OrganisationRole } from './principal.js';

const PMI = 1;
const SOCIAL = 2;
const SECRETARIAT = 3;
const MELUN = 10;
const MEAUX = 11;
const TERRITORY_77 = 77;

function role(organisationId: number, accessLevel: OrganisationRole['accessLevel']): OrganisationRole {
  return { organisationId, territoryId: TERRITORY_77, organisationName: `Organisation ${String(organisationId)}`, timeZone: 'Europe/Paris', accessLevel };
}

function principal(overrides: Partial<AgentPrincipal> = {}): AgentPrincipal {
  return {
    agentId: 100,
    firstName: 'Nadia',
    lastName: 'Benali',
    email: 'nadia@example.fr',
    roles: [role(MELUN, 'basic')],
    serviceIds: new Set([SOCIAL]),
    isSecretariat: false,
    territorialAdminOf: new Set(),
    isSuperAdmin: false,
    ...overrides,
  };
}

const basic = principal();
const admin = principal({ agentId: 101, roles: [role(MELUN, 'admin')] });
const secretary = principal({ agentId: 102, serviceIds: new Set([SECRETARIAT]), isSecretariat: true });
const intervenant = principal({ agentId: 103, roles: [role(MELUN, 'intervenant')] });
const territorialAdmin = principal({ agentId: 104, roles: [role(MEAUX, 'basic')], territorialAdminOf: new Set([TERRITORY_77]) });

describe('organisation access', () => {
  it('is given by a role that signs in, in that organisation only', () => {
    expect(canAccessOrganisation(basic, MELUN)).toBe(true);
    expect(canAccessOrganisation(basic, MEAUX)).toBe(false);
    expect(canAccessOrganisation(intervenant, MELUN)).toBe(false);
  });

  it('manages the organisation only as its admin; a territorial admin acts with the role held there', () => {
    expect(canManageOrganisation(admin, MELUN)).toBe(true);
    expect(canManageOrganisation(basic, MELUN)).toBe(false);
    expect(canManageOrganisation(secretary, MELUN)).toBe(false);
    expect(canManageTerritory(territorialAdmin, TERRITORY_77)).toBe(true);
    expect(canManageTerritory(admin, TERRITORY_77)).toBe(false);
    expect(canAccessOrganisation(territorialAdmin, MELUN)).toBe(false);
  });
});

describe('agendas', () => {
  const pmiColleague = { agentId: 200, belongsToOrganisation: true, serviceIds: [PMI] };
  const socialColleague = { agentId: 201, belongsToOrganisation: true, serviceIds: [SOCIAL] };
  const outsider = { agentId: 202, belongsToOrganisation: false, serviceIds: [SOCIAL] };

  it('a basic agent sees their own agenda and those of their services', () => {
    expect(canSeeAgenda(basic, MELUN, { agentId: basic.agentId, belongsToOrganisation: true, serviceIds: [SOCIAL] })).toBe(true);
    expect(canSeeAgenda(basic, MELUN, socialColleague)).toBe(true);
    expect(canSeeAgenda(basic, MELUN, pmiColleague)).toBe(false);
  });

  it('a secretariat member and an admin see every agenda of their organisation, never another one', () => {
    expect(canSeeAgenda(secretary, MELUN, pmiColleague)).toBe(true);
    expect(canSeeAgenda(admin, MELUN, pmiColleague)).toBe(true);
    expect(canSeeAgenda(admin, MELUN, outsider)).toBe(false);
    expect(canSeeAgenda(admin, MEAUX, pmiColleague)).toBe(false);
  });

  it('schedules (opening periods, absences) are managed by their owner, an admin or the secretariat', () => {
    expect(canManageScheduleOf(basic, MELUN, { agentId: basic.agentId, belongsToOrganisation: true, serviceIds: [SOCIAL] })).toBe(true);
    expect(canManageScheduleOf(basic, MELUN, socialColleague)).toBe(false);
    expect(canManageScheduleOf(secretary, MELUN, socialColleague)).toBe(true);
    expect(canManageScheduleOf(admin, MELUN, pmiColleague)).toBe(true);
    expect(canManageScheduleOf(intervenant, MELUN, pmiColleague)).toBe(false);
  });
});

describe('appointments', () => {
  const pmiAppointment = { organisationId: MELUN, serviceId: PMI, agentIds: [200] };
  const socialAppointment = { organisationId: MELUN, serviceId: SOCIAL, agentIds: [201] };

  it('a basic agent sees the appointments of their services, and those they take part in', () => {
    expect(canSeeAppointment(basic, socialAppointment)).toBe(true);
    expect(canSeeAppointment(basic, pmiAppointment)).toBe(false);
    expect(canSeeAppointment(basic, { ...pmiAppointment, agentIds: [200, basic.agentId] })).toBe(true);
    expect(canChangeAppointment(basic, pmiAppointment)).toBe(false);
  });

  it('nobody sees an appointment of an organisation where they hold no role', () => {
    const foreign = { organisationId: MEAUX, serviceId: SOCIAL, agentIds: [basic.agentId] };
    for (const someone of [basic, admin, secretary, intervenant]) expect(canSeeAppointment(someone, foreign)).toBe(false);
  });

  it('the secretariat and admins see all of their organisation', () => {
    expect(canSeeAppointment(secretary, pmiAppointment)).toBe(true);
    expect(canSeeAppointment(admin, pmiAppointment)).toBe(true);
    expect(canSeeAppointment(intervenant, socialAppointment)).toBe(false);
  });

  it('motifs are usable within the agent’s services, or all of them for the secretariat', () => {
    expect(canUseMotif(basic, { organisationId: MELUN, serviceId: SOCIAL })).toBe(true);
    expect(canUseMotif(basic, { organisationId: MELUN, serviceId: PMI })).toBe(false);
    expect(canUseMotif(secretary, { organisationId: MELUN, serviceId: PMI })).toBe(true);
    expect(canUseMotif(admin, { organisationId: MEAUX, serviceId: PMI })).toBe(false);
  });

  it('the query scope says the same as the policy', () => {
    expect(visibleAppointmentsScope(basic, MELUN)).toEqual({ kind: 'services_or_own', organisationId: MELUN, serviceIds: [SOCIAL], agentId: basic.agentId });
    expect(visibleAppointmentsScope(secretary, MELUN)).toEqual({ kind: 'organisation', organisationId: MELUN });
    expect(visibleAppointmentsScope(basic, MEAUX)).toEqual({ kind: 'none' });
    expect(visibleAppointmentsScope(intervenant, MELUN)).toEqual({ kind: 'none' });
  });
});
