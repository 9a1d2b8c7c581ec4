// Pages of "Mes rendez-vous" and of the appointment opened from an SMS/e-mail link: the list, one
// appointment, the cancel/leave confirmation, the week of slots to move to, the last-name form.
// Every state-changing action is a POST form with its CSRF field; GET links only navigate.
import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary } from '../../../platform/views/forms.js';
import { Fragment, h, type Child, type Html } from '../../../platform/views/jsx.js';
import { LastNameQuestionPage } from '../../../platform/views/last-name-question.js';
import { Layout } from '../../../platform/views/layout.js';
import { dateToEpochMinutes, dayNumberToIsoDate, epochMinutesToLocal, type DayNumber } from '../../../shared/time/index.js';
import type { Slot } from '../../availability/index.js';
import { describeLocation, type AppointmentStatus } from '../../appointments/index.js';
import type { UserAppointmentView } from '../my-appointments.use-cases.js';
import { formatDayLong, formatSlotLong, formatTime, zoneLabel } from '../../../platform/views/format.js';

// ---------------------------------------------------------------------------------------------
// Wording
// ---------------------------------------------------------------------------------------------

/** An alert shown at the top of a page (after an action, or a refusal). */
export interface Notice {
  readonly kind: 'success' | 'error' | 'info';
  readonly message: string;
}

/** "mardi 1er décembre 2026 à 9h30" in the appointment's zone. */
export function appointmentWhen(view: { startsAt: Date; timeZone: string }): string {
  return formatSlotLong({ startsAtEpochMinutes: dateToEpochMinutes(view.startsAt), timeZone: view.timeZone });
}

/** "4 heures", "2 jours", "30 minutes". */
export function formatDelay(minutes: number): string {
  const plural = (count: number, word: string): string => `${String(count)} ${word}${count > 1 ? 's' : ''}`;
  if (minutes >= 1440 && minutes % 1440 === 0) return plural(minutes / 1440, 'jour');
  if (minutes >= 60 && minutes % 60 === 0) return plural(minutes / 60, 'heure');
  return plural(minutes, 'minute');
}

/** The status as the usager reads it. */
export function statusLabel(status: AppointmentStatus, isPast: boolean): string {
  switch (status) {
    case 'unknown':
      return isPast ? 'Passé' : 'À venir';
    case 'seen':
      return 'Honoré';
    case 'excused':
      return 'Annulé';
    case 'revoked':
      return 'Annulé par le service';
    case 'noshow':
      return 'Absent';
  }
}

function statusBadgeClass(status: AppointmentStatus, isPast: boolean): string {
  switch (status) {
    case 'unknown':
      return isPast ? 'fr-badge fr-badge--sm' : 'fr-badge fr-badge--sm fr-badge--info';
    case 'seen':
      return 'fr-badge fr-badge--sm fr-badge--success';
    case 'excused':
    case 'revoked':
      return 'fr-badge fr-badge--sm fr-badge--warning';
    case 'noshow':
      return 'fr-badge fr-badge--sm fr-badge--error';
  }
}

/** "Appelez MDS de Melun au 01 64 …" — how to reach the service when the site cannot help. */
export function callTheService(organisation: { name: string; phoneNumber: string | null }): string {
  return organisation.phoneNumber === null || organisation.phoneNumber.trim() === ''
    ? `Contactez directement ${organisation.name}.`
    : `Appelez ${organisation.name} au ${organisation.phoneNumber}.`;
}

/** Where: the place and its address, or "Par téléphone", "En visioconférence", "À domicile". */
function whereLines(view: UserAppointmentView): Child {
  if (view.appointmentType.locationType === 'public_office' && view.place !== null) {
    return (
      <>
        {view.place.name}
        <br />
        {view.place.address}
      </>
    );
  }
  return describeLocation(view.appointmentType.locationType, view.place) ?? '';
}

function NoticeAlert(props: { notice: Notice | undefined }): Html {
  if (props.notice === undefined) return <></>;
  return (
    <div class={`fr-alert fr-alert--${props.notice.kind} fr-alert--sm fr-mb-3w`} role={props.notice.kind === 'error' ? 'alert' : 'status'}>
      <p>{props.notice.message}</p>
    </div>
  );
}

function BackLink(props: { href: string; label: string }): Html {
  return (
    <p class="fr-mb-3w">
      <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={props.href}>
        {props.label}
      </a>
    </p>
  );
}

// ---------------------------------------------------------------------------------------------
// One appointment
// ---------------------------------------------------------------------------------------------

export interface AppointmentCardProps {
  view: UserAppointmentView;
  /** `/mes-rdv/<publicId>` or `/rdv/lien/<token>/rendez-vous`: the actions hang below it. */
  base: string;
  csrfToken: string;
  isPast: boolean;
  /** Why cancelling online is no longer possible (deadline passed), shown instead of the button. */
  cancelExplanation: string | null;
  /** Why moving online is no longer possible, and whom to call: shown where "Déplacer" would be. */
  rescheduleExplanation?: string | null;
  /** Heading level of the card title (h2 on the single-appointment page, h3 in the list). */
  headingLevel: 2 | 3;
}

/** An appointment with what the usager may still do with it. */
export function AppointmentCard(props: AppointmentCardProps): Html {
  const { view } = props;
  const isActive = view.status === 'unknown';
  const title = appointmentWhen(view);
  const heading = props.headingLevel === 2 ? <h2 class="fr-h4 fr-mb-1w">{title}</h2> : <h3 class="fr-h5 fr-mb-1w">{title}</h3>;
  const actions: Html[] = [];
  if (!props.isPast && isActive && view.canCancel) {
    actions.push(
      view.isCollective ? (
        <a class="fr-btn fr-btn--secondary fr-btn--sm" href={`${props.base}/quitter`}>
          Me désinscrire
        </a>
      ) : (
        <a class="fr-btn fr-btn--secondary fr-btn--sm" href={`${props.base}/annuler`}>
          Annuler
        </a>
      ),
    );
  }
  if (!props.isPast && isActive && view.canReschedule) {
    actions.push(
      <a class="fr-btn fr-btn--secondary fr-btn--sm" href={`${props.base}/deplacer`}>
        Déplacer
      </a>,
    );
  }
  if (!props.isPast) {
    actions.push(
      <a class="fr-btn fr-btn--tertiary fr-btn--sm" href={`${props.base}/calendrier.ics`}>
        Télécharger (.ics)
      </a>,
    );
  }
  return (
    <article class="fr-card fr-card--no-arrow fr-mb-3w" aria-label={`Rendez-vous du ${title}`}>
      <div class="fr-card__body">
        <div class="fr-card__content">
          {heading}
          <p class="fr-mb-1w">
            <span class={statusBadgeClass(view.status, props.isPast)}>{statusLabel(view.status, props.isPast)}</span>
          </p>
          <p class="fr-mb-1w">
            <strong>{view.isCollective && view.sessionName !== null ? `${view.appointmentType.name} — ${view.sessionName}` : view.appointmentType.name}</strong>
          </p>
          {view.beneficiary.isRelative ? (
            <p class="fr-text--sm fr-mb-1w">
              Pour : {view.beneficiary.firstName} {view.beneficiary.lastName}
            </p>
          ) : null}
          <p class="fr-text--sm fr-mb-1w">{view.organisation.name}</p>
          <p class="fr-text--sm fr-mb-1w">{whereLines(view)}</p>
          {!props.isPast && isActive && view.appointmentType.instructionForBooking !== null ? (
            <p class="fr-text--sm fr-mb-1w">À savoir : {view.appointmentType.instructionForBooking}</p>
          ) : null}
          {!props.isPast && isActive && props.cancelExplanation !== null ? <p class="fr-text--sm fr-mb-1w">{props.cancelExplanation}</p> : null}
          {!props.isPast && isActive && !view.isCollective && (props.rescheduleExplanation ?? null) !== null && props.rescheduleExplanation !== props.cancelExplanation ? (
            <p class="fr-text--sm fr-mb-1w">{props.rescheduleExplanation}</p>
          ) : null}
          {!props.isPast && isActive ? <WaitlistForm view={view} base={props.base} csrfToken={props.csrfToken} /> : null}
          {actions.length === 0 ? null : (
            <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-2w">
              {actions.map((action) => (
                <li>{action}</li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </article>
  );
}

/** The waitlist toggle: a button that posts, never a link. */
function WaitlistForm(props: { view: UserAppointmentView; base: string; csrfToken: string }): Html {
  if (!props.view.onWaitlist && !props.view.canJoinWaitlist) return <></>;
  return (
    <form method="post" action={`${props.base}/liste-attente`} class="fr-mt-1w">
      <CsrfField token={props.csrfToken} />
      {props.view.onWaitlist ? (
        <>
          <p class="fr-text--sm fr-mb-1w">Vous serez prévenu(e) si un créneau plus tôt se libère.</p>
          <input type="hidden" name="actif" value="non" />
          <button class="fr-btn fr-btn--tertiary-no-outline fr-btn--sm" type="submit">
            Ne plus me prévenir
          </button>
        </>
      ) : (
        <>
          <input type="hidden" name="actif" value="oui" />
          <button class="fr-btn fr-btn--tertiary fr-btn--sm fr-icon-notification-3-line fr-btn--icon-left" type="submit">
            Prévenez-moi si un créneau plus tôt se libère
          </button>
        </>
      )}
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// "Mes rendez-vous"
// ---------------------------------------------------------------------------------------------

export interface MyAppointmentsPageProps {
  csrfToken: string;
  upcoming: readonly { view: UserAppointmentView; cancelExplanation: string | null; rescheduleExplanation: string | null }[];
  past: readonly UserAppointmentView[];
  notice?: Notice;
}

/** Upcoming then past appointments of the usager and their relatives. */
export function MyAppointmentsPage(props: MyAppointmentsPageProps): Html {
  return (
    <Layout title="Mes rendez-vous">
      <h1>Mes rendez-vous</h1>
      <NoticeAlert notice={props.notice} />
      <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mb-4w">
        <li>
          <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="/">
            Prendre un rendez-vous
          </a>
        </li>
        <li>
          <form method="post" action="/deconnexion">
            <CsrfField token={props.csrfToken} />
            <button class="fr-btn fr-btn--secondary" type="submit">
              Se déconnecter
            </button>
          </form>
        </li>
      </ul>
      <section aria-labelledby="a-venir" class="fr-mb-6w">
        <h2 id="a-venir">À venir</h2>
        {props.upcoming.length === 0 ? (
          <p>Vous n’avez aucun rendez-vous à venir.</p>
        ) : (
          props.upcoming.map((entry) => (
            <AppointmentCard
              view={entry.view}
              base={`/mes-rdv/${entry.view.publicId}`}
              csrfToken={props.csrfToken}
              isPast={false}
              cancelExplanation={entry.cancelExplanation}
              rescheduleExplanation={entry.rescheduleExplanation}
              headingLevel={3}
            />
          ))
        )}
      </section>
      <section aria-labelledby="passes">
        <h2 id="passes">Rendez-vous passés</h2>
        {props.past.length === 0 ? (
          <p>Aucun rendez-vous passé.</p>
        ) : (
          props.past.map((view) => (
            <AppointmentCard view={view} base={`/mes-rdv/${view.publicId}`} csrfToken={props.csrfToken} isPast cancelExplanation={null} headingLevel={3} />
          ))
        )}
      </section>
    </Layout>
  );
}

/** The one appointment a link opened (no account needed). */
export function LinkedAppointmentPage(props: {
  csrfToken: string;
  view: UserAppointmentView;
  base: string;
  isPast: boolean;
  cancelExplanation: string | null;
  rescheduleExplanation: string | null;
  notice?: Notice;
}): Html {
  return (
    <Layout title="Votre rendez-vous">
      <h1>Votre rendez-vous</h1>
      <NoticeAlert notice={props.notice} />
      <AppointmentCard
        view={props.view}
        base={props.base}
        csrfToken={props.csrfToken}
        isPast={props.isPast}
        cancelExplanation={props.cancelExplanation}
        rescheduleExplanation={props.rescheduleExplanation}
        headingLevel={2}
      />
      <p class="fr-text--sm">
        Vous avez un compte ? <a href="/connexion?retour=/mes-rdv">Connectez-vous</a> pour retrouver tous vos rendez-vous.
      </p>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Cancel or leave: confirmation first
// ---------------------------------------------------------------------------------------------

export interface ConfirmCancelPageProps {
  csrfToken: string;
  view: UserAppointmentView;
  /** Where the form posts (`…/annuler` or `…/quitter`). */
  action: string;
  backHref: string;
  /** "Retour à mes rendez-vous" or "Retour au rendez-vous". */
  backLabel: string;
  mode: 'cancel' | 'leave';
  /** Why it cannot be done (then no confirmation button). */
  refusal: string | null;
}

/** "Confirmez-vous l’annulation ?" with a POST button, or the reason it is no longer possible. */
export function ConfirmCancelPage(props: ConfirmCancelPageProps): Html {
  const { view } = props;
  const title = props.mode === 'cancel' ? 'Annuler le rendez-vous' : 'Se désinscrire de l’atelier';
  return (
    <Layout title={title}>
      <BackLink href={props.backHref} label={props.backLabel} />
      <h1>{title}</h1>
      {props.refusal === null ? null : (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <h2 class="fr-alert__title">{props.mode === 'cancel' ? 'Annulation impossible en ligne' : 'Désinscription impossible en ligne'}</h2>
          <p>{props.refusal}</p>
        </div>
      )}
      <div class="fr-callout fr-mb-3w">
        <p class="fr-callout__title">{appointmentWhen(view)}</p>
        <p class="fr-callout__text">
          {view.appointmentType.name}
          {view.beneficiary.isRelative ? ` — pour ${view.beneficiary.firstName} ${view.beneficiary.lastName}` : ''}
          <br />
          {view.organisation.name}
          <br />
          {whereLines(view)}
        </p>
      </div>
      {props.refusal === null ? (
        <form method="post" action={props.action}>
          <CsrfField token={props.csrfToken} />
          <p class="fr-text--lg">{props.mode === 'cancel' ? 'Confirmez-vous l’annulation ?' : 'Confirmez-vous votre désinscription ?'}</p>
          <p class="fr-text--sm">La place sera proposée à une autre personne.</p>
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <button class="fr-btn" type="submit">
                {props.mode === 'cancel' ? 'Oui, annuler le rendez-vous' : 'Oui, me désinscrire'}
              </button>
            </li>
            <li>
              <a class="fr-btn fr-btn--secondary" href={props.backHref}>
                Non, garder le rendez-vous
              </a>
            </li>
          </ul>
        </form>
      ) : (
        <a class="fr-btn fr-btn--secondary" href={props.backHref}>
          {props.backLabel}
        </a>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Reschedule: a week of slots of the same motif and place
// ---------------------------------------------------------------------------------------------

export interface ReschedulePageProps {
  csrfToken: string;
  view: UserAppointmentView;
  /** `…/deplacer`: the form posts there, week links add `?semaine=`. */
  action: string;
  backHref: string;
  backLabel: string;
  /** Why it cannot be done: then neither slots nor form. */
  refusal: string | null;
  /** Random per rendered form: a double click moves the appointment once. */
  idempotencyKey: string;
  weekStart: DayNumber;
  today: DayNumber;
  slots: readonly Slot[];
  nextAvailability: Slot | null;
  /** A refusal of the chosen slot (taken meanwhile…), shown above the week. */
  alert?: string;
  /** Field error: no slot chosen. */
  error?: string;
}

/** The week of the appointment's motif and place, one radio per start time, then "Déplacer". */
export function ReschedulePage(props: ReschedulePageProps): Html {
  const { view } = props;
  const title = 'Déplacer le rendez-vous';
  if (props.refusal !== null) {
    return (
      <Layout title={title}>
        <BackLink href={props.backHref} label={props.backLabel} />
        <h1>{title}</h1>
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <h2 class="fr-alert__title">Déplacement impossible en ligne</h2>
          <p>{props.refusal}</p>
        </div>
        <a class="fr-btn fr-btn--secondary" href={props.backHref}>
          {props.backLabel}
        </a>
      </Layout>
    );
  }
  const days: { day: DayNumber; slots: Slot[] }[] = [];
  for (let offset = 0; offset < 7; offset += 1) days.push({ day: props.weekStart + offset, slots: [] });
  for (const slot of props.slots) {
    const { dayNumber } = epochMinutesToLocal(slot.timeZone, slot.startsAtEpochMinutes);
    days.find((entry) => entry.day === dayNumber)?.slots.push(slot);
  }
  const weekHref = (day: DayNumber): string => `${props.action}?semaine=${dayNumberToIsoDate(day)}`;
  const hasError = props.error !== undefined;
  let firstRadio = true;
  const radioId = (slot: Slot): string => {
    if (!firstRadio) return `debut-${String(slot.startsAtEpochMinutes)}`;
    firstRadio = false;
    return 'debut';
  };
  return (
    <Layout title={hasError || props.alert !== undefined ? `Erreur — ${title}` : title}>
      <BackLink href={props.backHref} label={props.backLabel} />
      <h1>{title}</h1>
      <ErrorSummary errors={{ debut: props.error }} />
      {props.alert === undefined ? null : (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <p>{props.alert}</p>
        </div>
      )}
      <p>
        Rendez-vous actuel : <strong>{appointmentWhen(view)}</strong>
        <br />
        {view.appointmentType.name} — {view.organisation.name}
        {view.place === null ? '' : `, ${view.place.name}`}
      </p>
      <p class="fr-text--sm">{`Horaires à l’${zoneLabel(view.timeZone)}.`}</p>
      <nav class="fr-mb-3w" aria-label="Semaines">
        <ul class="fr-btns-group fr-btns-group--inline-sm">
          {props.weekStart > props.today ? (
            <li>
              <a class="fr-btn fr-btn--secondary fr-btn--sm" href={weekHref(props.weekStart - 7)}>
                Semaine précédente
              </a>
            </li>
          ) : null}
          <li>
            <a class="fr-btn fr-btn--secondary fr-btn--sm" href={weekHref(props.weekStart + 7)}>
              Semaine suivante
            </a>
          </li>
        </ul>
      </nav>
      <h2 class="fr-h5">{`Semaine du ${formatDayLong(props.weekStart)}`}</h2>
      {props.slots.length === 0 ? (
        <div class="fr-alert fr-alert--info fr-mb-3w">
          <p>Aucun autre créneau disponible cette semaine.</p>
          {props.nextAvailability === null ? null : (
            <p>
              <a
                class="fr-link"
                href={weekHref(epochMinutesToLocal(props.nextAvailability.timeZone, props.nextAvailability.startsAtEpochMinutes).dayNumber)}
              >
                {`Prochaine disponibilité : ${formatSlotLong(props.nextAvailability)}`}
              </a>
            </p>
          )}
        </div>
      ) : (
        <form method="post" action={props.action} novalidate>
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="cle" value={props.idempotencyKey} />
          <input type="hidden" name="semaine" value={dayNumberToIsoDate(props.weekStart)} />
          {hasError ? (
            <p class="fr-error-text fr-mb-2w" id="debut-erreur">
              {props.error}
            </p>
          ) : null}
          <div class="fr-grid-row fr-grid-row--gutters">
            {days.map((entry) => (
              <div class="fr-col-12 fr-col-md-6 fr-col-lg-3">
                <fieldset
                  class={hasError ? 'fr-fieldset fr-fieldset--error' : 'fr-fieldset'}
                  aria-labelledby={`jour-${String(entry.day)}`}
                  aria-describedby={hasError ? 'debut-erreur' : undefined}
                >
                  <legend class="fr-fieldset__legend fr-text--bold" id={`jour-${String(entry.day)}`}>
                    {formatDayLong(entry.day)}
                  </legend>
                  {entry.slots.length === 0 ? (
                    <p class="fr-text--sm cr-muted fr-fieldset__element">Aucun créneau</p>
                  ) : (
                    entry.slots.map((slot) => {
                      const id = radioId(slot);
                      return (
                        <div class="fr-fieldset__element">
                          <div class="fr-radio-group fr-radio-group--sm">
                            <input type="radio" id={id} name="debut" value={String(slot.startsAtEpochMinutes)} />
                            <label class="fr-label" for={id}>
                              {formatTime(slot.timeZone, slot.startsAtEpochMinutes)}
                            </label>
                          </div>
                        </div>
                      );
                    })
                  )}
                </fieldset>
              </div>
            ))}
          </div>
          <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
            <li>
              <button class="fr-btn" type="submit">
                Déplacer à cet horaire
              </button>
            </li>
            <li>
              <a class="fr-btn fr-btn--secondary" href={props.backHref}>
                Garder l’horaire actuel
              </a>
            </li>
          </ul>
        </form>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Token link: the last-name question
// ---------------------------------------------------------------------------------------------

export interface LinkAccessPageProps {
  csrfToken: string;
  /** Where the form posts (the link's own address). */
  action: string;
  value?: string;
  error?: string;
}

/** Asks the first three letters of the beneficiary's last name before opening the appointment. */
export function LinkAccessPage(props: LinkAccessPageProps): Html {
  return LastNameQuestionPage({
    ...props,
    title: 'Accéder à votre rendez-vous',
    intro: 'Pour protéger vos informations, confirmez que ce rendez-vous est bien le vôtre (ou celui d’un proche).',
    label: 'Les 3 premières lettres du nom de famille de la personne qui a rendez-vous',
    submitLabel: 'Voir le rendez-vous',
  });
}
