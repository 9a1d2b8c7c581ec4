import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary, Input } from '../../../platform/views/forms.js';
import { Fragment, h, type Html } from '../../../platform/views/jsx.js';
import { Layout } from '../../../platform/views/layout.js';
import { dateToEpochMinutes } from '../../../shared/time/index.js';
import { locationLabel } from '../domain/motif-catalogue.js';
import type { ChosenSlot } from '../funnel.use-cases.js';
import type { ConfirmationView, UserDetails } from '../confirm.repository.js';
import { formatSlotLong } from '../../../platform/views/format.js';
import { Stepper } from './stepper.js';

/** Summary of the chosen slot, repeated on each of the last steps. */
function SlotSummary(props: { slot: ChosenSlot }): Html {
  return (
    <div class="fr-callout fr-mb-4w">
      <h2 class="fr-callout__title">Votre rendez-vous</h2>
      <p class="fr-callout__text">
        {props.slot.motifName} ({locationLabel(props.slot.locationType)})
        <br />
        {formatSlotLong({ startsAtEpochMinutes: props.slot.startsAtEpochMinutes, timeZone: props.slot.timeZone })}
        <br />
        {props.slot.whereLabel}
      </p>
    </div>
  );
}

/** Not signed in: sign in, create an account, receive a link — or book as a prescripteur. */
export function IdentifyPage(props: { slot: ChosenSlot; returnTo: string; prescripteurHref: string }): Html {
  const retour = encodeURIComponent(props.returnTo);
  return (
    <Layout title="Identifiez-vous">
      <Stepper current={4} />
      <h1>Identifiez-vous pour réserver</h1>
      <SlotSummary slot={props.slot} />
      <p>Le créneau n’est réservé qu’une fois votre demande confirmée.</p>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <a class="fr-btn" href={`/connexion?retour=${retour}`}>
            Se connecter
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href={`/inscription?retour=${retour}`}>
            Créer un compte
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--tertiary" href={`/connexion/lien?retour=${retour}`}>
            Recevoir un lien par e-mail
          </a>
        </li>
      </ul>
      <p class="fr-mt-4w">
        Vous prenez rendez-vous pour une personne que vous accompagnez (association, mairie, travailleur social) ?{' '}
        <a href={props.prescripteurHref}>Réserver en tant que prescripteur</a>
      </p>
    </Layout>
  );
}

export interface DetailsPageProps {
  csrfToken: string;
  slot: ChosenSlot;
  /** Hidden fields describing the slot (motif, lieu/organisation, debut, seance, restriction). */
  slotFields: Record<string, string>;
  idempotencyKey: string;
  user: UserDetails;
  relatives: UserDetails[];
  values: Record<string, string>;
  errors: Record<string, string>;
  phoneRequired: boolean;
  notice?: string;
}

/** "Vos informations" and "Pour qui ?" then confirmation. */
export function DetailsPage(props: DetailsPageProps): Html {
  const value = (field: string, fallback: string | null): string => props.values[field] ?? fallback ?? '';
  const forWhom = props.values.pourQui ?? 'moi';
  const errors = props.errors;
  return (
    <Layout title="Vos informations">
      <Stepper current={4} />
      <h1>Vos informations</h1>
      <SlotSummary slot={props.slot} />
      {props.notice === undefined ? null : (
        <div class="fr-alert fr-alert--warning fr-mb-3w" role="alert">
          <p>{props.notice}</p>
        </div>
      )}
      <ErrorSummary errors={errors} />
      <form method="post" action="/prendre-rdv/confirmer" novalidate>
        <CsrfField token={props.csrfToken} />
        {Object.entries(props.slotFields).map(([name, fieldValue]) => (
          <input type="hidden" name={name} value={fieldValue} />
        ))}
        <input type="hidden" name="cle" value={props.idempotencyKey} />
        <fieldset class="fr-fieldset" aria-labelledby="vous-legende">
          <legend class="fr-fieldset__legend" id="vous-legende">
            Vous
          </legend>
          <div class="fr-fieldset__element">
            <Input name="prenom" label="Prénom" autocomplete="given-name" value={value('prenom', props.user.firstName)} error={errors.prenom} />
          </div>
          <div class="fr-fieldset__element">
            <Input name="nom" label="Nom" autocomplete="family-name" value={value('nom', props.user.lastName)} error={errors.nom} />
          </div>
          <div class="fr-fieldset__element">
            <Input name="naissance" label="Date de naissance" type="date" autocomplete="bday" required={false} value={value('naissance', props.user.birthDate)} error={errors.naissance} hint="Format attendu : jj/mm/aaaa" />
          </div>
          <div class="fr-fieldset__element">
            <Input
              name="telephone"
              label="Téléphone portable"
              type="tel"
              autocomplete="tel"
              inputmode="tel"
              required={props.phoneRequired}
              value={value('telephone', props.user.phoneNumber)}
              error={errors.telephone}
              hint={props.phoneRequired ? 'Le professionnel vous appellera à ce numéro. Exemple : 06 12 34 56 78' : 'Pour recevoir un rappel par SMS. Exemple : 06 12 34 56 78'}
            />
          </div>
          <div class="fr-fieldset__element">
            <Input name="adresse" label="Adresse" autocomplete="street-address" required={false} value={value('adresse', props.user.address)} error={errors.adresse} />
          </div>
        </fieldset>
        <fieldset class={errors.pourQui === undefined ? 'fr-fieldset' : 'fr-fieldset fr-fieldset--error'} aria-labelledby="pour-qui-legende" role="group">
          <legend class="fr-fieldset__legend" id="pour-qui-legende">
            Pour qui est ce rendez-vous ?
          </legend>
          <div class="fr-fieldset__element">
            <div class="fr-radio-group">
              <input type="radio" id="pourQui" name="pourQui" value="moi" checked={forWhom === 'moi'} />
              <label class="fr-label" for="pourQui">
                Pour moi
              </label>
            </div>
          </div>
          {props.relatives.map((relative) => (
            <div class="fr-fieldset__element">
              <div class="fr-radio-group">
                <input type="radio" id={`pourQui-${String(relative.id)}`} name="pourQui" value={String(relative.id)} checked={forWhom === String(relative.id)} />
                <label class="fr-label" for={`pourQui-${String(relative.id)}`}>
                  {`Pour ${relative.firstName} ${relative.lastName}`}
                </label>
              </div>
            </div>
          ))}
          <div class="fr-fieldset__element">
            <div class="fr-radio-group">
              <input type="radio" id="pourQui-nouveau" name="pourQui" value="nouveau" checked={forWhom === 'nouveau'} />
              <label class="fr-label" for="pourQui-nouveau">
                Pour un proche (enfant, parent…) que j’ajoute
              </label>
            </div>
          </div>
          {errors.pourQui === undefined ? null : (
            <p class="fr-error-text" id="pourQui-erreur">
              {errors.pourQui}
            </p>
          )}
        </fieldset>
        <fieldset class="fr-fieldset" aria-labelledby="proche-legende">
          <legend class="fr-fieldset__legend" id="proche-legende">
            Votre proche (seulement si vous avez choisi « un proche que j’ajoute »)
          </legend>
          <div class="fr-fieldset__element">
            <Input name="prochePrenom" label="Prénom du proche" required={false} value={value('prochePrenom', null)} error={errors.prochePrenom} />
          </div>
          <div class="fr-fieldset__element">
            <Input name="procheNom" label="Nom du proche" required={false} value={value('procheNom', null)} error={errors.procheNom} />
          </div>
          <div class="fr-fieldset__element">
            <Input name="procheNaissance" label="Date de naissance du proche" type="date" required={false} value={value('procheNaissance', null)} error={errors.procheNaissance} hint="Format attendu : jj/mm/aaaa" />
          </div>
        </fieldset>
        <button class="fr-btn fr-mt-2w" type="submit">
          Confirmer le rendez-vous
        </button>
      </form>
    </Layout>
  );
}

/** The confirmation page: what, when, where, instructions, calendar file, "Je donne mon avis". */
export function ConfirmationPage(props: { appointment: ConfirmationView; feedbackUrl: string | null }): Html {
  const appointment = props.appointment;
  const when = formatSlotLong({ startsAtEpochMinutes: dateToEpochMinutes(appointment.startsAt), timeZone: appointment.timeZone });
  return (
    <Layout title="Rendez-vous confirmé">
      <Stepper current={5} />
      <div class="fr-alert fr-alert--success fr-mb-4w">
        <h1 class="fr-alert__title">Votre rendez-vous est confirmé</h1>
        <p>{`Pour ${appointment.beneficiaryFirstName} ${appointment.beneficiaryLastName}, le ${when}.`}</p>
      </div>
      <dl class="fr-mb-4w">
        <dt class="fr-text--bold">Motif</dt>
        <dd>{`${appointment.motifName} (${locationLabel(appointment.locationType)})`}</dd>
        <dt class="fr-text--bold">Date</dt>
        <dd>{when}</dd>
        <dt class="fr-text--bold">{appointment.locationType === 'public_office' ? 'Lieu' : 'Service'}</dt>
        <dd>
          {appointment.placeName === null ? appointment.organisationName : `${appointment.placeName}, ${appointment.placeAddress ?? ''}`}
        </dd>
        {appointment.organisationPhone === null ? null : (
          <>
            <dt class="fr-text--bold">Téléphone du service</dt>
            <dd>{appointment.organisationPhone}</dd>
          </>
        )}
      </dl>
      {appointment.instructions === null ? null : (
        <div class="fr-callout fr-mb-4w">
          <h2 class="fr-callout__title">À savoir avant votre rendez-vous</h2>
          <p class="fr-callout__text">{appointment.instructions}</p>
        </div>
      )}
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <a class="fr-btn fr-btn--secondary" href={`/mes-rdv/${appointment.publicId}/calendrier.ics`}>
            Ajouter à mon agenda (.ics)
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--tertiary" href="/mes-rdv">
            Voir mes rendez-vous
          </a>
        </li>
      </ul>
      {props.feedbackUrl === null ? null : (
        <p class="fr-mt-4w">
          {/* A text button rather than the hosted image: the page loads nothing from a third party. */}
          <a class="fr-btn fr-btn--secondary" href={props.feedbackUrl} target="_blank" rel="noopener noreferrer" title="Je donne mon avis - nouvelle fenêtre">
            Je donne mon avis
          </a>
        </p>
      )}
    </Layout>
  );
}

export interface PrescripteurPageProps {
  csrfToken: string;
  slot: ChosenSlot;
  slotFields: Record<string, string>;
  idempotencyKey: string;
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** A third party books for someone: their identity, then the beneficiary's. */
export function PrescripteurPage(props: PrescripteurPageProps): Html {
  const value = (field: string): string => props.values[field] ?? '';
  const errors = props.errors;
  return (
    <Layout title="Réserver pour une personne accompagnée">
      <h1>Réserver pour une personne que vous accompagnez</h1>
      <SlotSummary slot={props.slot} />
      <p>La personne recevra la confirmation et les rappels ; vous recevrez une copie de la confirmation.</p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/prendre-rdv/prescripteur" novalidate>
        <CsrfField token={props.csrfToken} />
        {Object.entries(props.slotFields).map(([name, fieldValue]) => (
          <input type="hidden" name={name} value={fieldValue} />
        ))}
        <input type="hidden" name="cle" value={props.idempotencyKey} />
        <fieldset class="fr-fieldset" aria-labelledby="prescripteur-legende">
          <legend class="fr-fieldset__legend" id="prescripteur-legende">
            Vous (prescripteur)
          </legend>
          <div class="fr-fieldset__element">
            <Input name="prescripteurPrenom" label="Votre prénom" autocomplete="given-name" value={value('prescripteurPrenom')} error={errors.prescripteurPrenom} />
          </div>
          <div class="fr-fieldset__element">
            <Input name="prescripteurNom" label="Votre nom" autocomplete="family-name" value={value('prescripteurNom')} error={errors.prescripteurNom} />
          </div>
          <div class="fr-fieldset__element">
            <Input name="prescripteurEmail" label="Votre adresse e-mail professionnelle" type="email" autocomplete="email" value={value('prescripteurEmail')} error={errors.prescripteurEmail} hint="Format attendu : nom@structure.fr" />
          </div>
          <div class="fr-fieldset__element">
            <Input name="prescripteurTelephone" label="Votre téléphone" type="tel" autocomplete="tel" required={false} value={value('prescripteurTelephone')} error={errors.prescripteurTelephone} />
          </div>
        </fieldset>
        <fieldset class="fr-fieldset" aria-labelledby="beneficiaire-legende">
          <legend class="fr-fieldset__legend" id="beneficiaire-legende">
            La personne qui aura le rendez-vous
          </legend>
          <div class="fr-fieldset__element">
            <Input name="beneficiairePrenom" label="Prénom" value={value('beneficiairePrenom')} error={errors.beneficiairePrenom} />
          </div>
          <div class="fr-fieldset__element">
            <Input name="beneficiaireNom" label="Nom" value={value('beneficiaireNom')} error={errors.beneficiaireNom} />
          </div>
          <div class="fr-fieldset__element">
            <Input name="beneficiaireTelephone" label="Téléphone portable" type="tel" inputmode="tel" value={value('beneficiaireTelephone')} error={errors.beneficiaireTelephone} hint="Pour la confirmation et le rappel par SMS. Exemple : 06 12 34 56 78" />
          </div>
          <div class="fr-fieldset__element">
            <Input name="beneficiaireNaissance" label="Date de naissance" type="date" required={false} value={value('beneficiaireNaissance')} error={errors.beneficiaireNaissance} hint="Format attendu : jj/mm/aaaa" />
          </div>
          <div class="fr-fieldset__element">
            <Input name="beneficiaireEmail" label="Adresse e-mail" type="email" required={false} value={value('beneficiaireEmail')} error={errors.beneficiaireEmail} />
          </div>
        </fieldset>
        <button class="fr-btn fr-mt-2w" type="submit">
          Confirmer le rendez-vous
        </button>
      </form>
    </Layout>
  );
}

/** After a prescripteur's booking (no account: the page is shown once, from the session). */
export function PrescripteurConfirmationPage(props: { slot: { motifName: string; whereLabel: string; startsAtEpochMinutes: number; timeZone: string }; beneficiaryName: string }): Html {
  return (
    <Layout title="Rendez-vous confirmé">
      <div class="fr-alert fr-alert--success fr-mb-4w">
        <h1 class="fr-alert__title">Le rendez-vous est confirmé</h1>
        <p>{`${props.beneficiaryName} est attendu(e) le ${formatSlotLong(props.slot)}.`}</p>
      </div>
      <p>
        {props.slot.motifName} — {props.slot.whereLabel}
      </p>
      <p>La personne recevra une confirmation et un rappel ; elle pourra annuler depuis le lien reçu.</p>
      <a class="fr-btn fr-btn--secondary" href="/">
        Prendre un autre rendez-vous
      </a>
    </Layout>
  );
}
