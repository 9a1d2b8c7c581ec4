import { CsrfField } from '../../../platform/security/index.js';
import { Fragment, h, type Child, type Html } from '../../../platform/views/jsx.js';
import { LastNameQuestionPage } from '../../../platform/views/last-name-question.js';
import { Layout } from '../../../platform/views/layout.js';
import { dayNumberToIsoDate, epochMinutesToLocal, type DayNumber } from '../../../shared/time/index.js';
import type { CollectiveSlot, Slot } from '../../availability/index.js';
import { formatDistance } from '../domain/distance.js';
import { locationLabel, type MotifChoice } from '../domain/motif-catalogue.js';
import type { OrganisationChoice, PlaceChoice } from '../funnel.use-cases.js';
import { formatDayLong, formatSlotLong, formatTime, zoneLabel } from '../../../platform/views/format.js';
import { Stepper } from './stepper.js';

/** Link back to the previous step. */
function BackLink(props: { href: string; label?: string }): Html {
  return (
    <p class="fr-mb-3w">
      <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={props.href}>
        {props.label ?? 'Étape précédente'}
      </a>
    </p>
  );
}

/** The address (or organisation) the search is for, with a link to change it. */
function AddressReminder(props: { label: string }): Html {
  return (
    <p class="fr-text--sm">
      Recherche pour : <strong>{props.label}</strong> — <a href="/">modifier</a>
    </p>
  );
}

export interface AddressFormProps {
  csrfToken: string;
  value?: string;
  error?: string;
}

/** The address search form (home page and its 422 re-render). */
export function AddressForm(props: AddressFormProps): Html {
  const hasError = props.error !== undefined;
  return (
    <form method="post" action="/recherche" class="fr-mb-6w" novalidate>
      <CsrfField token={props.csrfToken} />
      <div class={hasError ? 'fr-input-group fr-input-group--error' : 'fr-input-group'}>
        <label class="fr-label" for="adresse">
          Votre adresse
          <span class="fr-hint-text">Pour vous proposer les lieux de votre secteur. Exemple : 20 quai Hippolyte Rossignol, Melun</span>
        </label>
        <input
          class={hasError ? 'fr-input fr-input--error' : 'fr-input'}
          type="text"
          id="adresse"
          name="adresse"
          autocomplete="street-address"
          required
          value={props.value ?? ''}
          aria-describedby={hasError ? 'adresse-erreur' : undefined}
        />
        {hasError ? (
          <p class="fr-error-text" id="adresse-erreur">
            {props.error}
          </p>
        ) : null}
      </div>
      <button class="fr-btn" type="submit">
        Rechercher
      </button>
    </form>
  );
}

/** Error summary at the top of a 422 page, focusable and linked to the fields. */
export function ErrorSummary(props: { errors: { field: string; message: string }[] }): Html {
  if (props.errors.length === 0) return <></>;
  return (
    <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="erreurs" tabindex="-1">
      <h2 class="fr-alert__title">Le formulaire contient des erreurs</h2>
      <ul>
        {props.errors.map((error) => (
          <li>
            <a href={`#${error.field}`}>{error.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface AddressChoicePageProps {
  csrfToken: string;
  candidates: { label: string }[];
}

/** Several addresses match: the usager picks one. */
export function AddressChoicePage(props: AddressChoicePageProps): Html {
  return (
    <Layout title="Précisez votre adresse">
      <Stepper current={1} />
      <h1>Précisez votre adresse</h1>
      <form method="post" action="/recherche/choix">
        <CsrfField token={props.csrfToken} />
        <fieldset class="fr-fieldset" aria-labelledby="choix-legende">
          <legend class="fr-fieldset__legend" id="choix-legende">
            Plusieurs adresses correspondent à votre recherche :
          </legend>
          {props.candidates.map((candidate, index) => (
            <div class="fr-fieldset__element">
              <div class="fr-radio-group">
                <input type="radio" id={`choix-${String(index)}`} name="choix" value={String(index)} checked={index === 0} />
                <label class="fr-label" for={`choix-${String(index)}`}>
                  {candidate.label}
                </label>
              </div>
            </div>
          ))}
        </fieldset>
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button class="fr-btn" type="submit">
              Continuer
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href="/">
              Saisir une autre adresse
            </a>
          </li>
        </ul>
      </form>
    </Layout>
  );
}

/** No territory served, or nothing bookable for this address. */
export function NothingBookablePage(props: { addressLabel: string; message: string }): Html {
  return (
    <Layout title="Aucun rendez-vous en ligne">
      <Stepper current={2} />
      <h1>Aucun rendez-vous en ligne pour cette adresse</h1>
      <AddressReminder label={props.addressLabel} />
      <div class="fr-alert fr-alert--info fr-mb-3w">
        <p>{props.message}</p>
      </div>
      <a class="fr-btn fr-btn--secondary" href="/">
        Saisir une autre adresse
      </a>
    </Layout>
  );
}

/** Choosing a service. */
export function ServicesPage(props: { addressLabel: string; services: { id: number; name: string }[] }): Html {
  return (
    <Layout title="Choisissez un service">
      <Stepper current={2} />
      <BackLink href="/" label="Modifier l’adresse" />
      <h1>Quel service souhaitez-vous rencontrer ?</h1>
      <AddressReminder label={props.addressLabel} />
      <ul class="fr-btns-group fr-btns-group--lg">
        {props.services.map((service) => (
          <li>
            <a class="fr-btn fr-btn--secondary" href={`/prendre-rdv?service=${String(service.id)}`}>
              {service.name}
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** Choosing a motif of the service. */
export function MotifsPage(props: { addressLabel: string; serviceName: string; backHref: string | null; motifs: MotifChoice[] }): Html {
  return (
    <Layout title="Choisissez le motif">
      <Stepper current={2} />
      {props.backHref === null ? null : <BackLink href={props.backHref} label="Changer de service" />}
      <h1>Pour quel motif ?</h1>
      <AddressReminder label={props.addressLabel} />
      <p>Service : {props.serviceName}</p>
      <ul class="fr-btns-group fr-btns-group--lg">
        {props.motifs.map((motif) => (
          <li>
            <a class="fr-btn fr-btn--secondary" href={`/prendre-rdv?motif=${String(motif.representativeId)}`}>
              {`${motif.name} — ${locationLabel(motif.locationType)}`}
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** The motif's restriction text, to accept before choosing a slot. */
export function RestrictionPage(props: { motifName: string; restriction: string; acceptHref: string; backHref: string }): Html {
  return (
    <Layout title="Conditions du rendez-vous">
      <Stepper current={2} />
      <BackLink href={props.backHref} label="Changer de motif" />
      <h1>À lire avant de prendre rendez-vous</h1>
      <p>Motif : {props.motifName}</p>
      <div class="fr-callout fr-mb-3w">
        <p class="fr-callout__text">{props.restriction}</p>
      </div>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <a class="fr-btn" href={props.acceptHref}>
            J’ai lu et j’accepte
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href="/">
            Revenir à l’accueil
          </a>
        </li>
      </ul>
    </Layout>
  );
}

/** Places (office motifs) or organisations (remote motifs) with their next availability. */
export function WherePage(props: {
  addressLabel: string;
  motifName: string;
  locationType: MotifChoice['locationType'];
  representativeId: number;
  places: PlaceChoice[];
  organisations: OrganisationChoice[];
  backHref: string;
  restrictionAccepted: boolean;
}): Html {
  const suffix = props.restrictionAccepted ? '&restriction=acceptee' : '';
  const motifParam = `motif=${String(props.representativeId)}`;
  const empty = props.places.length === 0 && props.organisations.length === 0;
  return (
    <Layout title="Choisissez le lieu">
      <Stepper current={3} />
      <BackLink href={props.backHref} label="Changer de motif" />
      <h1>{props.locationType === 'public_office' ? 'Où souhaitez-vous être reçu(e) ?' : 'Avec quel service ?'}</h1>
      <AddressReminder label={props.addressLabel} />
      <p>
        Motif : {props.motifName} ({locationLabel(props.locationType)})
      </p>
      {empty ? (
        <div class="fr-alert fr-alert--info">
          <p>Aucun créneau n’est disponible en ligne pour ce motif dans les prochains mois. Contactez directement votre maison des solidarités.</p>
        </div>
      ) : null}
      <ul class="cr-plain-list">
        {props.places.map((choice) => (
          <li class="fr-card fr-card--horizontal fr-enlarge-link fr-mb-2w">
            <div class="fr-card__body">
              <div class="fr-card__content">
                <h2 class="fr-card__title">
                  <a href={`/prendre-rdv?${motifParam}&lieu=${String(choice.place.id)}${suffix}`}>{choice.place.name}</a>
                </h2>
                <p class="fr-card__desc">{choice.place.address}</p>
                {choice.place.accessibilityNotes === null ? null : <p class="fr-card__desc cr-preserve-lines">Accessibilité : {choice.place.accessibilityNotes}</p>}
                <div class="fr-card__end">
                  <p class="fr-card__detail">
                    {choice.distanceKm === null ? '' : `À ${formatDistance(choice.distanceKm)} — `}
                    Prochaine disponibilité : {formatSlotLong(choice.nextSlot)}
                  </p>
                </div>
              </div>
            </div>
          </li>
        ))}
        {props.organisations.map((choice) => (
          <li class="fr-card fr-enlarge-link fr-mb-2w">
            <div class="fr-card__body">
              <div class="fr-card__content">
                <h2 class="fr-card__title">
                  <a href={`/prendre-rdv?${motifParam}&organisation=${String(choice.organisation.id)}${suffix}`}>{choice.organisation.name}</a>
                </h2>
                <div class="fr-card__end">
                  <p class="fr-card__detail">Prochaine disponibilité : {formatSlotLong(choice.nextSlot)}</p>
                </div>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export interface WeekPageProps {
  motifName: string;
  whereLabel: string;
  timeZone: string;
  weekStart: DayNumber;
  today: DayNumber;
  slots: readonly Slot[];
  collectiveSlots: readonly CollectiveSlot[];
  nextAvailability: Slot | null;
  /** Monday of the week of the next availability. */
  nextAvailabilityWeekStart: DayNumber | null;
  /** The slot chosen before was taken meanwhile. */
  slotGone?: boolean;
  /** Query string of the funnel so far (motif, lieu/organisation, restriction). */
  baseQuery: string;
  backHref: string;
}

/** A week of slots in the place's zone, day by day, with week navigation. */
export function WeekPage(props: WeekPageProps): Html {
  const days: { day: DayNumber; slots: Slot[] }[] = [];
  for (let offset = 0; offset < 7; offset += 1) days.push({ day: props.weekStart + offset, slots: [] });
  for (const slot of props.slots) {
    const { dayNumber } = epochMinutesToLocal(props.timeZone, slot.startsAtEpochMinutes);
    days.find((entry) => entry.day === dayNumber)?.slots.push(slot);
  }
  const weekHref = (day: DayNumber): string => `/prendre-rdv?${props.baseQuery}&semaine=${dayNumberToIsoDate(day)}`;
  const slotHref = (startsAt: number, extra: string): string =>
    `/prendre-rdv/creneau?${props.baseQuery}&debut=${String(startsAt)}${extra}`;
  const hasPrevious = props.weekStart > props.today;
  const content: Child =
    props.collectiveSlots.length > 0 ? (
      <ul>
        {props.collectiveSlots.map((session) => (
          <li class="fr-mb-2w">
            <a class="fr-btn fr-btn--secondary" href={slotHref(session.startsAtEpochMinutes, `&seance=${String(session.appointmentId)}`)}>
              {`${formatSlotLong({ startsAtEpochMinutes: session.startsAtEpochMinutes, timeZone: session.timeZone })} — ${session.seatsLeft === null ? 'places disponibles' : `${String(session.seatsLeft)} place${session.seatsLeft > 1 ? 's' : ''} restante${session.seatsLeft > 1 ? 's' : ''}`}`}
            </a>
          </li>
        ))}
      </ul>
    ) : (
      <div class="fr-grid-row fr-grid-row--gutters">
        {days.map((entry) => (
          <section class="fr-col-12 fr-col-md-6 fr-col-lg-3" aria-labelledby={`jour-${String(entry.day)}`}>
            <h2 class="fr-h6" id={`jour-${String(entry.day)}`}>
              {formatDayLong(entry.day)}
            </h2>
            {entry.slots.length === 0 ? (
              <p class="fr-text--sm cr-muted">Aucun créneau</p>
            ) : (
              <ul class="fr-tags-group">
                {entry.slots.map((slot) => (
                  <li>
                    <a
                      class="fr-tag"
                      href={slotHref(slot.startsAtEpochMinutes, '')}
                      aria-label={`Choisir le ${formatSlotLong(slot)}`}
                    >
                      {formatTime(slot.timeZone, slot.startsAtEpochMinutes)}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ))}
      </div>
    );
  return (
    <Layout title="Choisissez un horaire">
      <Stepper current={3} />
      <BackLink href={props.backHref} label="Changer de lieu" />
      <h1>Choisissez un horaire</h1>
      {props.slotGone === true ? (
        <div class="fr-alert fr-alert--warning fr-mb-3w" role="alert">
          <h2 class="fr-alert__title">Ce créneau n’est plus disponible</h2>
          <p>Quelqu’un vient de le réserver, ou il a été fermé. Les horaires ci-dessous sont à jour : choisissez-en un autre.</p>
        </div>
      ) : null}
      <p>
        {props.motifName} — {props.whereLabel}
      </p>
      <p class="fr-text--sm">Horaires à l’{zoneLabel(props.timeZone)}.</p>
      <nav class="fr-mb-3w" aria-label="Semaines">
        <ul class="fr-btns-group fr-btns-group--inline-sm">
          {hasPrevious ? (
            <li>
              <a class="fr-btn fr-btn--secondary" href={weekHref(props.weekStart - 7)}>
                Semaine précédente
              </a>
            </li>
          ) : null}
          <li>
            <a class="fr-btn fr-btn--secondary" href={weekHref(props.weekStart + 7)}>
              Semaine suivante
            </a>
          </li>
        </ul>
      </nav>
      <p class="fr-h5">{`Semaine du ${formatDayLong(props.weekStart)}`}</p>
      {props.slots.length === 0 && props.collectiveSlots.length === 0 ? (
        <div class="fr-alert fr-alert--info fr-mb-3w">
          <p>Aucun créneau disponible cette semaine.</p>
          {props.nextAvailability === null || props.nextAvailabilityWeekStart === null ? null : (
            <p>
              <a class="fr-link" href={weekHref(props.nextAvailabilityWeekStart)}>
                {`Prochaine disponibilité : ${formatSlotLong(props.nextAvailability)}`}
              </a>
            </p>
          )}
        </div>
      ) : (
        content
      )}
    </Layout>
  );
}

/** An invitation link: the invited person proves who they are before the funnel shows anything about them. */
export function InvitationProofPage(props: { csrfToken: string; action: string; value?: string; error?: string }): Html {
  return LastNameQuestionPage({
    ...props,
    title: 'Votre invitation à prendre rendez-vous',
    intro: 'Pour protéger vos informations, confirmez que cette invitation vous est bien destinée.',
    label: 'Les 3 premières lettres de votre nom de famille',
    submitLabel: 'Continuer',
  });
}
