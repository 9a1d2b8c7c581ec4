// « Mes notifications »: which e-mails an agent receives about the appointments of their agenda.
import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary } from '../../../platform/views/forms.js';
import { h, type Html } from '../../../platform/views/jsx.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import { type AgentNotificationLevel } from '../../notifications/index.js';

export const NOTIFICATION_PREFERENCES_PATH = '/agents/compte/notifications';

export const LEVEL_OPTIONS: readonly { readonly value: AgentNotificationLevel; readonly label: string; readonly hint: string }[] = [
  { value: 'all', label: 'Tous les changements', hint: 'Un e-mail à chaque rendez-vous pris, modifié ou annulé dans votre agenda, y compris par vous-même.' },
  { value: 'others', label: 'Les changements faits par d’autres', hint: 'Un e-mail quand un usager, un collègue ou un partenaire prend, modifie ou annule un de vos rendez-vous. C’est le réglage par défaut.' },
  { value: 'soon', label: 'Seulement pour aujourd’hui et demain', hint: 'Les changements faits par d’autres, seulement quand le rendez-vous a lieu aujourd’hui ou demain.' },
  { value: 'none', label: 'Aucun', hint: 'Aucun e-mail sur vos rendez-vous. Consultez votre agenda dans Créneau.' },
];

export interface NotificationPreferencesPageProps {
  readonly principal: AgentPrincipal;
  readonly csrfToken: string;
  /** The organisation of the workspace's navigation (the agent's first where they may sign in). */
  readonly organisationId: number;
  readonly level: AgentNotificationLevel | null;
  readonly notice?: string;
  readonly errors?: Record<string, string>;
}

/** The radio group of the four levels, in a fieldset with its legend. */
export function NotificationPreferencesPage(props: NotificationPreferencesPageProps): Html {
  const error = props.errors?.niveau;
  return (
    <AgentLayout title="Mes notifications" principal={props.principal} organisationId={props.organisationId} section="compte" csrfToken={props.csrfToken}>
      <ErrorSummary errors={props.errors ?? {}} />
      {props.notice === undefined ? null : (
        <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
          <p>{props.notice}</p>
        </div>
      )}
      <h1>Mes notifications</h1>
      <p>Choisissez les e-mails que vous recevez à propos des rendez-vous de votre agenda. Les usagers reçoivent les leurs quel que soit ce choix.</p>
      <form method="post" action={NOTIFICATION_PREFERENCES_PATH}>
        <CsrfField token={props.csrfToken} />
        <fieldset
          class={error === undefined ? 'fr-fieldset' : 'fr-fieldset fr-fieldset--error'}
          id="niveau"
          aria-labelledby={error === undefined ? 'niveau-legende' : 'niveau-legende niveau-erreur'}
          role={error === undefined ? undefined : 'group'}
        >
          <legend class="fr-fieldset__legend" id="niveau-legende">
            E-mails sur les rendez-vous
          </legend>
          {LEVEL_OPTIONS.map((option) => (
            <div class="fr-fieldset__element">
              <div class="fr-radio-group">
                <input type="radio" id={`niveau-${option.value}`} name="niveau" value={option.value} checked={props.level === option.value} />
                <label class="fr-label" for={`niveau-${option.value}`}>
                  {option.label}
                  <span class="fr-hint-text">{option.hint}</span>
                </label>
              </div>
            </div>
          ))}
          {error === undefined ? null : (
            <div class="fr-messages-group" id="niveau-erreur" aria-live="polite">
              <p class="fr-message fr-message--error">{error}</p>
            </div>
          )}
        </fieldset>
        <button class="fr-btn" type="submit">
          Enregistrer
        </button>
      </form>
      <p class="fr-mt-4w">
        <a class="fr-link" href="/agents/compte">
          Retour à mon compte
        </a>
      </p>
    </AgentLayout>
  );
}
