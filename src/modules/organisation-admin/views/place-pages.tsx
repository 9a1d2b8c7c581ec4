// Places: the list (active and archived), the form, and the map-free confirmation of the address
// the geocoder found (ADR 0028).
import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary, Input, SubmitOrCancel } from '../../../platform/views/forms.js';
import { Fragment, h, type Html } from '../../../platform/views/jsx.js';
import { coordinatesText, type FoundAddress, type PlaceFormInput } from '../domain/place-form.js';
import { FRENCH_TIME_ZONES, timeZoneName } from '../domain/time-zones.js';
import type { PlaceRecord } from '../organisation-admin.repository.js';
import { AdminPage, Checkbox, Fieldset, Notice, Select, TextArea, adminBase, type PageBase } from './admin-components.js';

export function placesPath(organisationId: number): string {
  return `${adminBase(organisationId)}/lieux`;
}

const PLACES_CRUMB = (organisationId: number) => [{ label: 'Lieux', href: placesPath(organisationId) }];

function PlacesTable(props: PageBase & { caption: string; places: readonly PlaceRecord[] }): Html {
  const base = placesPath(props.organisationId);
  return (
    <div class="fr-table">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Adresse</th>
            <th scope="col">Fuseau horaire</th>
            <th scope="col">Téléphone</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.places.map((place) => (
            <tr>
              <td>{place.name}</td>
              <td>
                {place.address}
                {place.latitude === null ? (
                  <>
                    <br />
                    <span class="fr-badge fr-badge--sm fr-badge--warning">sans coordonnées</span>
                  </>
                ) : null}
              </td>
              <td>{timeZoneName(place.timeZone)}</td>
              <td>{place.phoneNumber ?? '—'}</td>
              <td>
                <ul class="fr-btns-group fr-btns-group--sm fr-btns-group--inline">
                  <li>
                    <a class="fr-btn fr-btn--sm fr-btn--secondary" href={`${base}/${String(place.id)}/modifier`}>
                      Modifier<span class="fr-sr-only"> {place.name}</span>
                    </a>
                  </li>
                  <li>
                    <form method="post" action={`${base}/${String(place.id)}/${place.archived ? 'desarchiver' : 'archiver'}`}>
                      <CsrfField token={props.csrfToken} />
                      <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">
                        {place.archived ? 'Réactiver' : 'Archiver'}
                        <span class="fr-sr-only"> {place.name}</span>
                      </button>
                    </form>
                  </li>
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PlacesPage(props: PageBase & { places: readonly PlaceRecord[]; notice?: string | undefined }): Html {
  const active = props.places.filter((place) => !place.archived);
  const archived = props.places.filter((place) => place.archived);
  return (
    <AdminPage {...props} title="Lieux">
      <h1>Lieux de l’organisation</h1>
      <Notice notice={props.notice} />
      <p>
        <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href={`${placesPath(props.organisationId)}/nouveau`}>
          Ajouter un lieu
        </a>
      </p>
      {active.length === 0 ? <p>Aucun lieu actif.</p> : <PlacesTable {...props} caption="Lieux actifs" places={active} />}
      <h2>Lieux archivés</h2>
      <p class="cr-muted">Un lieu archivé n’est plus proposé pour de nouveaux rendez-vous ; ceux déjà pris y restent.</p>
      {archived.length === 0 ? <p>Aucun lieu archivé.</p> : <PlacesTable {...props} caption="Lieux archivés" places={archived} />}
    </AdminPage>
  );
}

export type PlaceFormMode = { readonly kind: 'create' } | { readonly kind: 'edit'; readonly placeId: number; readonly name: string };

export function placeFormAction(organisationId: number, mode: PlaceFormMode): string {
  return mode.kind === 'create' ? `${placesPath(organisationId)}/nouveau` : `${placesPath(organisationId)}/${String(mode.placeId)}/modifier`;
}

const ZONE_OPTIONS = Object.entries(FRENCH_TIME_ZONES) as readonly (readonly [string, string])[];

export function PlaceFormPage(
  props: PageBase & {
    mode: PlaceFormMode;
    values: PlaceFormInput & { readonly sansCoordonnees: boolean };
    errors?: Record<string, string> | undefined;
    /** The geocoder failed or found nothing: the admin may save the address as typed. */
    offerWithoutCoordinates: boolean;
  },
): Html {
  const errors = props.errors ?? {};
  const { values } = props;
  const title = props.mode.kind === 'create' ? 'Ajouter un lieu' : `Modifier le lieu ${props.mode.name}`;
  return (
    <AdminPage {...props} title={title} errors={errors} breadcrumb={PLACES_CRUMB(props.organisationId)}>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      <form method="post" action={placeFormAction(props.organisationId, props.mode)} novalidate>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="etape" value="verifier" />
        <Fieldset id="lieu" legend="Le lieu">
          <Input name="nom" label="Nom du lieu" hint="Tel que les usagers le verront, par exemple « MDS de Melun »" value={values.nom} error={errors.nom} autocomplete="off" />
          <Input
            name="adresse"
            label="Adresse"
            hint="Numéro, rue, code postal et commune. L’adresse trouvée vous sera montrée avant l’enregistrement."
            value={values.adresse}
            error={errors.adresse}
            autocomplete="off"
          />
          {props.offerWithoutCoordinates || values.sansCoordonnees ? (
            <Checkbox
              name="sansCoordonnees"
              label="Enregistrer l’adresse telle que saisie, sans coordonnées"
              hint="Le lieu ne sera pas classé par distance dans la prise de rendez-vous ; vous pourrez vérifier l’adresse plus tard."
              checked={values.sansCoordonnees}
            />
          ) : null}
          <Input name="telephone" type="tel" label="Téléphone" hint="Exemples : 01 64 87 00 00, 0262 12 34 56" value={values.telephone} error={errors.telephone} required={false} autocomplete="off" />
          <TextArea
            name="accessibilite"
            label="Accessibilité"
            hint="Accès de plain-pied, ascenseur, stationnement, boucle magnétique… Montré aux usagers avec l’adresse. 1 000 caractères au plus."
            value={values.accessibilite}
            error={errors.accessibilite}
          />
          <Select
            name="fuseau"
            label="Fuseau horaire"
            hint="Par défaut, celui du département de l’adresse (La Réunion, Guyane… ont le leur)."
            value={values.fuseau}
            options={ZONE_OPTIONS}
            empty="Selon le département de l’adresse"
            error={errors.fuseau}
          />
        </Fieldset>
        <SubmitOrCancel label={values.sansCoordonnees ? 'Enregistrer' : 'Vérifier l’adresse'} cancelHref={placesPath(props.organisationId)} />
      </form>
    </AdminPage>
  );
}

/** The confirmation step: the addresses found, as text; the admin confirms one or corrects. */
export function PlaceConfirmPage(props: PageBase & { mode: PlaceFormMode; values: PlaceFormInput; candidates: readonly FoundAddress[]; zoneOf: (departement: string) => string }): Html {
  const { values } = props;
  const title = 'Vérifiez l’adresse trouvée';
  return (
    <AdminPage {...props} title={title} breadcrumb={PLACES_CRUMB(props.organisationId)}>
      <h1>{title}</h1>
      <p>
        Adresse saisie : <strong>{values.adresse}</strong>. Choisissez l’adresse qui correspond au lieu « {values.nom} », puis confirmez ; sinon, corrigez l’adresse saisie.
      </p>
      <form method="post" action={placeFormAction(props.organisationId, props.mode)} novalidate>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="nom" value={values.nom} />
        <input type="hidden" name="adresse" value={values.adresse} />
        <input type="hidden" name="telephone" value={values.telephone} />
        <input type="hidden" name="accessibilite" value={values.accessibilite} />
        <input type="hidden" name="fuseau" value={values.fuseau} />
        <fieldset class="fr-fieldset" aria-labelledby="legende-adresses">
          <legend class="fr-fieldset__legend" id="legende-adresses">
            {props.candidates.length === 1 ? 'Adresse trouvée' : `${String(props.candidates.length)} adresses trouvées`}
          </legend>
          {props.candidates.map((candidate, index) => (
            <div class="fr-fieldset__element">
              <div class="fr-radio-group">
                <input type="radio" id={`choix-${String(index)}`} name="choix" value={String(index)} checked={index === 0} />
                <label class="fr-label" for={`choix-${String(index)}`}>
                  {candidate.label}
                  <span class="fr-hint-text">
                    Code postal {candidate.postcode} — commune {candidate.cityName} (code INSEE {candidate.cityCode}) — coordonnées {coordinatesText(candidate.latitude, candidate.longitude)} — fuseau{' '}
                    {timeZoneName(values.fuseau === '' ? props.zoneOf(candidate.departementNumber) : values.fuseau)}
                  </span>
                </label>
              </div>
            </div>
          ))}
        </fieldset>
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button class="fr-btn" type="submit" name="etape" value="enregistrer">
              Confirmer cette adresse et enregistrer
            </button>
          </li>
          <li>
            <button class="fr-btn fr-btn--secondary" type="submit" name="etape" value="corriger">
              Corriger l’adresse
            </button>
          </li>
        </ul>
      </form>
    </AdminPage>
  );
}
