// Pieces shared by the pages of agents administration and teams (ADR 0029).
import { h, type Html } from '../../../platform/views/jsx.js';

export type Errors = Record<string, string | undefined>;

export const ACCESS_LEVEL_LABELS: Record<string, string> = { admin: 'Administrateur', basic: 'Agent', intervenant: 'Intervenant (sans connexion)' };

export const ACCESS_LEVEL_HINTS: Record<string, string> = {
  basic: 'Se connecte ; voit les agendas et les rendez-vous de ses services.',
  admin: 'Se connecte ; voit tout et gère l’organisation : agents, lieux, motifs.',
  intervenant: 'Ne se connecte pas ; a un agenda et des rendez-vous, gérés par les autres agents.',
};

export function agentsPath(organisationId: number): string {
  return `/agents/organisations/${String(organisationId)}/agents`;
}

export function agentPath(organisationId: number, agentId: number): string {
  return `${agentsPath(organisationId)}/${String(agentId)}`;
}

export function teamsPath(organisationId: number): string {
  return `${agentsPath(organisationId)}/equipes`;
}

export function teamPath(organisationId: number, teamId: number): string {
  return `${teamsPath(organisationId)}/${String(teamId)}`;
}

export function Notice(props: { text: string | undefined; kind?: 'success' | 'info' | 'warning' }): Html | null {
  if (props.text === undefined) return null;
  return (
    <div class={`fr-alert fr-alert--${props.kind ?? 'success'} fr-alert--sm fr-mb-3w`} role="status">
      <p>{props.text}</p>
    </div>
  );
}

/** A group of checkboxes (services), with its error tied to the legend. */
export function ServiceCheckboxes(props: { services: readonly { id: number; name: string }[]; checked: readonly number[]; error: string | undefined }): Html {
  const hasError = props.error !== undefined;
  return (
    <fieldset class={hasError ? 'fr-fieldset fr-fieldset--error' : 'fr-fieldset'} id="services" aria-labelledby={hasError ? 'services-legende services-erreur' : 'services-legende'}>
      <legend class="fr-fieldset__legend" id="services-legende">
        Services
        <span class="fr-hint-text">Les services de l’agent valent dans toutes ses organisations.</span>
      </legend>
      {props.services.map((service) => (
        <div class="fr-fieldset__element">
          <div class="fr-checkbox-group">
            <input type="checkbox" id={`service-${String(service.id)}`} name="services" value={String(service.id)} checked={props.checked.includes(service.id)} />
            <label class="fr-label" for={`service-${String(service.id)}`}>
              {service.name}
            </label>
          </div>
        </div>
      ))}
      {hasError ? (
        <div class="fr-messages-group" id="services-erreur" aria-live="polite">
          <p class="fr-message fr-message--error">{props.error}</p>
        </div>
      ) : null}
    </fieldset>
  );
}
