import { describe, expect, it } from 'vitest';
import { checkTeamName, sharedTeamMessage, teamIsOrganisationsAlone } from './team-rules.js';

describe('checkTeamName', () => {
  it('trims and folds spaces', () => {
    expect(checkTeamName('  Équipe   PMI Nord ')).toEqual({ ok: true, value: 'Équipe PMI Nord' });
  });

  it('refuses empty, too long, control characters and links with French messages', () => {
    expect(checkTeamName('   ')).toEqual({ ok: false, message: 'Saisissez le nom de l’équipe.' });
    expect(checkTeamName(undefined)).toEqual({ ok: false, message: 'Saisissez le nom de l’équipe.' });
    expect(checkTeamName('x'.repeat(101))).toEqual({ ok: false, message: 'Le nom de l’équipe est trop long (100 caractères au plus).' });
    expect(checkTeamName('Équipe\u0000')).toEqual({ ok: false, message: 'Le nom de l’équipe tient sur une ligne, sans caractère de contrôle.' });
    expect(checkTeamName('Équipe\nPMI').ok).toBe(false);
    expect(checkTeamName('voir https://evil.fr')).toEqual({ ok: false, message: 'Le nom de l’équipe ne peut pas contenir d’adresse web.' });
  });
});

describe('shared teams', () => {
  it('are the organisation’s alone only without members elsewhere', () => {
    expect(teamIsOrganisationsAlone({ membersElsewhere: 0 })).toBe(true);
    expect(teamIsOrganisationsAlone({ membersElsewhere: 1 })).toBe(false);
  });

  it('explain why they cannot be renamed or deleted', () => {
    expect(sharedTeamMessage(1, 'supprimer')).toMatch(/^Cette équipe compte aussi un agent d’une autre organisation du territoire : vous ne pouvez pas la supprimer/);
    expect(sharedTeamMessage(3, 'renommer')).toMatch(/3 agents d’autres organisations/);
  });
});
