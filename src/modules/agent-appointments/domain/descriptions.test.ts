import { describe, expect, it } from 'vitest';
import { describeActor, describeHistoryEntry, describeOverriddenWarnings, describeWarning } from './descriptions.js';

const names = { agents: new Map([[7, 'Nadia Benali']]), users: new Map([[40, 'Camille Durand']]) };
const format = (iso: string): string => `«${iso}»`;

describe('French descriptions', () => {
  it('names the agent or the usager of each warning', () => {
    expect(describeWarning({ kind: 'overlap', key: 'overlap:7', agentId: 7, userId: null }, names)).toBe('Chevauchement : Nadia Benali a déjà un rendez-vous sur cet horaire.');
    expect(describeWarning({ kind: 'same_motif_same_day', key: 'same_motif_same_day:40', agentId: null, userId: 40 }, names)).toBe('Camille Durand a déjà un rendez-vous pour ce motif le même jour.');
    expect(describeWarning({ kind: 'in_past', key: 'in_past', agentId: null, userId: null }, names)).toBe('Le rendez-vous commence dans le passé.');
  });

  it('says who acted: the agent’s name, the usager, a prescripteur or the system', () => {
    expect(describeActor({ type: 'agent', agentName: 'Sophie Lambert' })).toBe('Sophie Lambert');
    expect(describeActor({ type: 'user', agentName: null })).toBe('l’usager');
    expect(describeActor({ type: 'prescripteur', agentName: null })).toBe('un prescripteur');
    expect(describeActor({ type: 'system', agentName: null })).toBe('le système');
  });

  it('describes creations, status changes, moves by the usager and agents’ updates, with the overridden warnings', () => {
    expect(describeHistoryEntry({ action: 'create', details: { channel: 'agent', overriddenWarnings: 'overlap:7,outside_opening:7' } }, format, names)).toEqual([
      'Rendez-vous créé dans l’espace agents.',
      'Avertissements passés outre : chevauchement, hors plages d’ouverture.',
    ]);
    expect(describeHistoryEntry({ action: 'create', details: { channel: 'public_booking' } }, format, names)).toEqual(['Rendez-vous pris en ligne.']);
    expect(describeHistoryEntry({ action: 'update', details: { change: 'status', previousStatus: 'unknown', status: 'seen' } }, format, names)).toEqual(['Statut : À venir ou à renseigner → Vu.']);
    expect(describeHistoryEntry({ action: 'update', details: { change: 'reschedule', previousStartsAt: 'A', startsAt: 'B' } }, format, names)).toEqual(['Déplacé par l’usager du «A» au «B».']);
    expect(
      describeHistoryEntry(
        { action: 'update', details: { change: 'agent_update', previousStartsAt: 'A', startsAt: 'B', previousPlaceId: 1, placeId: 2, previousAgentIds: '8', agentIds: '7', addedUserIds: '1,2', removedUserIds: '3', contextChanged: true, overriddenWarnings: '' } },
        format,
        names,
      ),
    ).toEqual(['Horaire : «A» → «B».', 'Lieu modifié.', 'Agents : Nadia Benali.', '2 participants ajoutés.', 'Un participant retiré.', 'Contexte modifié.']);
  });

  it('names the kinds of overridden warnings once each', () => {
    expect(describeOverriddenWarnings('overlap:7,overlap:8,in_past')).toBe('chevauchement, dans le passé');
  });
});
