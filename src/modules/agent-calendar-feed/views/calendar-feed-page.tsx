import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import { CsrfField } from '../../../platform/security/index.js';
import { formatDayLong, formatTime, zoneLabel } from '../../../platform/views/format.js';
import { h, type Html } from '../../../platform/views/jsx.js';
import { dateToEpochMinutes, epochMinutesToLocal } from '../../../shared/time/index.js';
import type { ActiveFeed } from '../agent-calendar-feed.repository.js';
import { FEED_DAYS_AFTER, FEED_DAYS_BEFORE, showsInitials, showsMotif, type CalendarFeedDetailLevel } from '../domain/calendar-feed.js';

export interface CalendarFeedPageProps {
  principal: AgentPrincipal;
  csrfToken: string;
  /** The organisation of the workspace's navigation (the agent's first where they may sign in). */
  organisationId: number;
  /** The zone dates are shown in (the organisation's). */
  timeZone: string;
  feed: ActiveFeed | undefined;
  /** The feed's URL, right after it was created: shown once, never again. */
  newFeedUrl?: string;
  notice?: string;
}

const LEVEL_LABELS: Record<CalendarFeedDetailLevel, string> = {
  minimal: '« Rendez-vous » et le lieu',
  motif: '« Rendez-vous », le motif et le lieu',
  initials: '« Rendez-vous », le lieu et les initiales des participants',
  motif_and_initials: '« Rendez-vous », le motif, le lieu et les initiales des participants',
};

function when(at: Date, timeZone: string): string {
  const instant = dateToEpochMinutes(at);
  const text = `${formatDayLong(epochMinutesToLocal(timeZone, instant).dayNumber)} à ${formatTime(timeZone, instant)}`;
  return timeZone === 'Europe/Paris' ? text : `${text} (${zoneLabel(timeZone)})`;
}

/** The detail options: unchecked by default (the minimal level). */
function DetailOptions(props: { level: CalendarFeedDetailLevel }): Html {
  return (
    <fieldset class="fr-fieldset" aria-labelledby="details-legend">
      <legend class="fr-fieldset__legend" id="details-legend">
        Ce que les événements affichent, en plus de « Rendez-vous » et du lieu
      </legend>
      <div class="fr-fieldset__element">
        <div class="fr-checkbox-group">
          <input type="checkbox" id="option-motif" name="motif" value="oui" checked={showsMotif(props.level)} aria-describedby="option-motif-hint" />
          <label class="fr-label" for="option-motif">
            Le motif du rendez-vous
            <span class="fr-hint-text" id="option-motif-hint">
              Un motif peut révéler une situation sensible (RSA, protection de l’enfance, santé).
            </span>
          </label>
        </div>
      </div>
      <div class="fr-fieldset__element">
        <div class="fr-checkbox-group">
          <input type="checkbox" id="option-initiales" name="initiales" value="oui" checked={showsInitials(props.level)} aria-describedby="option-initiales-hint" />
          <label class="fr-label" for="option-initiales">
            Les initiales des participants
            <span class="fr-hint-text" id="option-initiales-hint">
              Par exemple « C. D. ». Jamais leur nom complet, leur téléphone, leur e-mail ni leur adresse.
            </span>
          </label>
        </div>
      </div>
    </fieldset>
  );
}

/** "Mon agenda personnel": create, regenerate or revoke the secret URL of the agent's calendar feed. */
export function CalendarFeedPage(props: CalendarFeedPageProps): Html {
  const feed = props.feed;
  return (
    <AgentLayout title="Agenda personnel (iCal)" principal={props.principal} organisationId={props.organisationId} section="compte" csrfToken={props.csrfToken}>
      <h1>Agenda personnel (iCal)</h1>
      <p>
        Abonnez votre application d’agenda (Outlook, Thunderbird, Agenda de votre téléphone…) à vos rendez-vous et à vos absences dans Créneau, du{' '}
        {String(FEED_DAYS_BEFORE)} derniers jours aux {String(FEED_DAYS_AFTER)} prochains jours. L’application relit l’agenda d’elle-même, en général toutes les
        heures ; il est en lecture seule.
      </p>
      <div class="fr-callout fr-mb-4w">
        <h2 class="fr-callout__title">Pourquoi si peu de détails par défaut ?</h2>
        <p class="fr-callout__text">
          L’adresse de cet agenda est secrète : quiconque la connaît peut le lire, sans mot de passe. Elle est enregistrée dans votre application d’agenda, et
          souvent sur les serveurs de son éditeur, hors de Créneau. Par défaut, un rendez-vous n’y affiche donc que « Rendez-vous » et son lieu : aucune donnée
          des personnes reçues. Vous pouvez ajouter le motif et les initiales des participants, jamais leur nom, leur téléphone, leur e-mail ni leur adresse.
          Ne partagez pas cette adresse ; si elle a pu être vue, révoquez-la.
        </p>
      </div>
      {props.notice === undefined ? null : (
        <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
          <p>{props.notice}</p>
        </div>
      )}
      {props.newFeedUrl === undefined ? null : (
        <div class="fr-alert fr-alert--warning fr-mb-4w">
          <h2 class="fr-alert__title">Votre nouvelle adresse d’agenda</h2>
          <p>Copiez-la maintenant dans votre application d’agenda (« Ajouter un agenda » puis « À partir d’une URL » ou « S’abonner ») : elle ne sera plus jamais affichée.</p>
          <div class="fr-input-group fr-mt-2w">
            <label class="fr-label" for="feed-url">
              Adresse de l’agenda
            </label>
            <input class="fr-input" id="feed-url" type="text" readonly value={props.newFeedUrl} autocomplete="off" spellcheck="false" />
          </div>
          <p>
            <a class="fr-link" href={props.newFeedUrl.replace(/^https?:/, 'webcal:')}>
              Ouvrir dans mon application d’agenda
            </a>
          </p>
        </div>
      )}
      {feed === undefined ? (
        <section aria-labelledby="create-title">
          <h2 id="create-title">Créer l’adresse de mon agenda</h2>
          <p>Vous n’avez pas d’agenda personnel actif.</p>
          <form method="post" action="/agents/compte/calendrier">
            <CsrfField token={props.csrfToken} />
            <DetailOptions level="minimal" />
            <button class="fr-btn" type="submit">
              Créer l’adresse de mon agenda
            </button>
          </form>
        </section>
      ) : (
        <section aria-labelledby="active-title">
          <h2 id="active-title">Votre agenda personnel</h2>
          <ul>
            <li>Adresse créée le {when(feed.createdAt, props.timeZone)}.</li>
            <li>{feed.lastUsedAt === null ? 'Pas encore consultée par une application.' : `Dernière consultation le ${when(feed.lastUsedAt, props.timeZone)} (à une heure près).`}</li>
            <li>Les rendez-vous affichent : {LEVEL_LABELS[feed.detailLevel]}.</li>
          </ul>
          <h3>Changer d’adresse</h3>
          <p>Une nouvelle adresse remplace l’actuelle, qui cesse aussitôt de fonctionner. Vous pouvez aussi changer les détails affichés.</p>
          <form method="post" action="/agents/compte/calendrier">
            <CsrfField token={props.csrfToken} />
            <DetailOptions level={feed.detailLevel} />
            <button class="fr-btn fr-btn--secondary" type="submit">
              Générer une nouvelle adresse
            </button>
          </form>
          <h3 class="fr-mt-4w">Révoquer l’adresse</h3>
          <p>Votre application d’agenda ne recevra plus rien de Créneau.</p>
          <form method="post" action="/agents/compte/calendrier/revoquer">
            <CsrfField token={props.csrfToken} />
            <button class="fr-btn fr-btn--tertiary" type="submit">
              Révoquer l’adresse de mon agenda
            </button>
          </form>
        </section>
      )}
    </AgentLayout>
  );
}
