// The « Notifications » section of the agent's appointment page: what was sent to whom (by name,
// never by address or number), through which provider, with which result; what is still to send;
// and the « Renvoyer le rappel » button.
import { CsrfField } from '../../../platform/security/index.js';
import { formatDayLong, formatTime, zoneLabel } from '../../../platform/views/format.js';
import { Fragment, h, type Html } from '../../../platform/views/jsx.js';
import { dateToEpochMinutes, epochMinutesToLocal } from '../../../shared/time/index.js';
import type { AppointmentNotificationsView, ReceiptResult, UpcomingNotificationView } from '../notifications.queries.js';

export const CHANNEL_LABELS: Readonly<Record<string, string>> = { mail: 'E-mail', sms: 'SMS' };

export const EVENT_LABELS: Readonly<Record<string, string>> = {
  appointment_created: 'Confirmation du rendez-vous',
  appointment_updated: 'Modification du rendez-vous',
  appointment_cancelled: 'Annulation du rendez-vous',
  reminder: 'Rappel',
  waitlist_offer: 'Proposition d’un créneau plus tôt',
  account: 'Message de compte',
  other: 'Autre message',
};

export const RESULT_LABELS: Readonly<Record<ReceiptResult, string>> = {
  processed: 'Traité',
  sent: 'Envoyé',
  delivered: 'Distribué',
  failure: 'Échec',
};

const RESULT_BADGES: Readonly<Record<ReceiptResult, string>> = {
  processed: 'fr-badge fr-badge--sm fr-badge--info',
  sent: 'fr-badge fr-badge--sm fr-badge--info',
  delivered: 'fr-badge fr-badge--sm fr-badge--success',
  failure: 'fr-badge fr-badge--sm fr-badge--error',
};

export const PROVIDER_LABELS: Readonly<Record<string, string>> = {
  smtp: 'Serveur e-mail',
  smsfactor: 'SMS Factor',
  brevo: 'Brevo',
  netsize: 'Netsize',
  clever: 'Clever Technologies',
  orange_contact_everyone: 'Orange Contact Everyone',
  sfr_mail2sms: 'SFR mail2SMS',
  log: 'Journal (développement)',
};

/** "mardi 24 novembre 2026 à 10h05", with the zone's name outside metropolitan France. */
function when(at: Date, timeZone: string): string {
  const minutes = dateToEpochMinutes(at);
  const text = `${formatDayLong(epochMinutesToLocal(timeZone, minutes).dayNumber)} à ${formatTime(timeZone, minutes)}`;
  return timeZone === 'Europe/Paris' ? text : `${text} (${zoneLabel(timeZone)})`;
}

function recipientText(name: string | null, kind: 'user' | 'agent' | null): string {
  if (name === null || name === '') return kind === 'agent' ? 'Agent supprimé' : kind === 'user' ? 'Usager supprimé' : 'Destinataire inconnu';
  return kind === 'agent' ? `${name} (agent)` : name;
}

function upcomingState(item: UpcomingNotificationView, timeZone: string): string {
  switch (item.status) {
    case 'pending':
      return `Prévu le ${when(item.notBefore, timeZone)}`;
    case 'sending':
      return 'En cours d’envoi';
    case 'in_doubt':
      return 'Envoi incertain : en attente de l’accusé du fournisseur';
  }
}

export interface AppointmentNotificationsSectionProps {
  readonly view: AppointmentNotificationsView;
  /** The zone of the appointment's place: every date is shown in it. */
  readonly timeZone: string;
  /** The resend form, when the agent may resend now (future, non-cancelled appointment). */
  readonly resend: { readonly action: string; readonly csrfToken: string } | null;
}

/** « Notifications » of an appointment: receipts, messages to come, and the resend button. */
export function AppointmentNotificationsSection(props: AppointmentNotificationsSectionProps): Html {
  const { view, timeZone } = props;
  return (
    <section aria-labelledby="notifications-titre" id="notifications">
      <h2 id="notifications-titre">Notifications</h2>
      {view.receipts.length === 0 ? (
        <p>Aucune notification envoyée pour ce rendez-vous.</p>
      ) : (
        <div class="fr-table">
          <table>
            <caption>Notifications envoyées, de la plus ancienne à la plus récente</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Canal</th>
                <th scope="col">Message</th>
                <th scope="col">Destinataire</th>
                <th scope="col">Fournisseur</th>
                <th scope="col">Segments SMS</th>
                <th scope="col">Résultat</th>
                <th scope="col">Erreur</th>
              </tr>
            </thead>
            <tbody>
              {view.receipts.map((receipt) => (
                <tr>
                  <td>{when(receipt.at, timeZone)}</td>
                  <td>{CHANNEL_LABELS[receipt.channel] ?? receipt.channel}</td>
                  <td>{EVENT_LABELS[receipt.event] ?? EVENT_LABELS.other}</td>
                  <td>{recipientText(receipt.recipientName, receipt.recipientKind)}</td>
                  <td>{receipt.provider === null ? '—' : (PROVIDER_LABELS[receipt.provider] ?? receipt.provider)}</td>
                  <td>{receipt.segments === null ? '—' : String(receipt.segments)}</td>
                  <td>
                    <p class={RESULT_BADGES[receipt.result]}>{RESULT_LABELS[receipt.result]}</p>
                  </td>
                  <td>{receipt.error ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.upcoming.length === 0 ? null : (
        <>
          <h3>À envoyer</h3>
          <ul>
            {view.upcoming.map((item) => (
              <li>
                {EVENT_LABELS[item.event] ?? EVENT_LABELS.other}
                {item.manual ? ' (renvoyé par un agent)' : ''} — {CHANNEL_LABELS[item.channel] ?? item.channel} à {recipientText(item.recipientName, item.recipientKind)} :{' '}
                {upcomingState(item, timeZone)}
              </li>
            ))}
          </ul>
        </>
      )}
      {props.resend === null ? null : (
        <form method="post" action={props.resend.action}>
          <CsrfField token={props.resend.csrfToken} />
          <p class="fr-hint-text" id="rappel-aide">
            Envoie tout de suite un rappel par e-mail et SMS aux participants qui les acceptent (en journée, à l’heure du lieu). Une fois toutes les 10 minutes au plus.
            {view.lastManualReminderAt === null ? '' : ` Dernier renvoi demandé le ${when(view.lastManualReminderAt, timeZone)}.`}
          </p>
          <button class="fr-btn fr-btn--secondary" type="submit" id="rappel" aria-describedby="rappel-aide">
            Renvoyer le rappel
          </button>
        </form>
      )}
    </section>
  );
}
