import { describe, expect, it } from 'vitest';
import type { AppointmentNotificationsView } from '../notifications.queries.js';
import { AppointmentNotificationsSection } from './agent-appointment-notifications.js';

const AT = new Date('2026-11-24T06:05:00Z');

function view(overrides: Partial<AppointmentNotificationsView> = {}): AppointmentNotificationsView {
  return {
    receipts: [
      { id: 1, at: AT, channel: 'sms', event: 'reminder', recipientName: 'Camille Durand', recipientKind: 'user', provider: 'orange_contact_everyone', segments: 1, result: 'delivered', error: null },
      { id: 2, at: AT, channel: 'mail', event: 'appointment_cancelled', recipientName: null, recipientKind: 'agent', provider: null, segments: null, result: 'failure', error: 'SMTP 550 (RCPT)' },
    ],
    upcoming: [{ id: 3, channel: 'sms', event: 'reminder', recipientName: 'Camille Durand', recipientKind: 'user', status: 'in_doubt', notBefore: AT, manual: false }],
    lastManualReminderAt: null,
    ...overrides,
  };
}

describe('the « Notifications » section of the appointment page', () => {
  it('shows dates in the place’s zone, named outside metropolitan France, and every label in French', () => {
    const html = AppointmentNotificationsSection({ view: view(), timeZone: 'Indian/Reunion', resend: null }).value;
    expect(html).toContain('mardi 24 novembre 2026 à 10h05 (heure de La Réunion)');
    for (const label of ['SMS', 'E-mail', 'Rappel', 'Annulation du rendez-vous', 'Orange Contact Everyone', 'Distribué', 'Échec', 'SMTP 550 (RCPT)', 'Agent supprimé', 'Envoi incertain']) {
      expect(html).toContain(label);
    }
    expect(html).not.toContain('Renvoyer le rappel');
  });

  it('offers the resend form with its CSRF field, and says when nothing was sent yet', () => {
    const html = AppointmentNotificationsSection({
      view: view({ receipts: [], upcoming: [], lastManualReminderAt: AT }),
      timeZone: 'Europe/Paris',
      resend: { action: '/agents/organisations/1/rdv/2/rappel', csrfToken: 'jeton<>' },
    }).value;
    expect(html).toContain('Aucune notification envoyée pour ce rendez-vous.');
    expect(html).toContain('<form method="post" action="/agents/organisations/1/rdv/2/rappel">');
    expect(html).toContain('name="_csrf" value="jeton&lt;&gt;"');
    expect(html).toContain('Dernier renvoi demandé le mardi 24 novembre 2026 à 7h05.');
    expect(html).not.toContain('(heure de Paris)');
  });
});
