// Motifs: the list (active and archived, by service, with a colour swatch), the form, and the
// duplication and archiving buttons (ADR 0028).
import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary, Input, SubmitOrCancel } from '../../../platform/views/forms.js';
import { h, type Html } from '../../../platform/views/jsx.js';
import { BOOKABLE_BY_LABELS, LOCATION_TYPE_LABELS, SECTORISATION_LABELS, VISIBILITY_LABELS, type MotifFormInput } from '../domain/motif-form.js';
import { minutesAsHours } from '../domain/form-fields.js';
import type { MotifRecord } from '../organisation-admin.repository.js';
import { AdminPage, Checkbox, Fieldset, Notice, Select, TextArea, adminBase, type PageBase } from './admin-components.js';

export function motifsPath(organisationId: number): string {
  return `${adminBase(organisationId)}/motifs`;
}

/** The agenda's class of a motif's colour (its stylesheet, /agenda/motifs.css, sets --agenda-motif-color). */
function colourClass(motifId: number): string {
  return `agenda-motif-${String(motifId)}`;
}

function entries<Key extends string>(labels: Readonly<Record<Key, string>>): readonly (readonly [string, string])[] {
  return Object.entries(labels);
}

function reminders(offsets: readonly number[]): string {
  if (offsets.length === 0) return 'aucun rappel';
  return offsets.map((minutes) => `${minutesAsHours(minutes)} h avant`).join(', ');
}

function MotifsTable(props: PageBase & { caption: string; motifs: readonly MotifRecord[] }): Html {
  const base = motifsPath(props.organisationId);
  return (
    <div class="fr-table">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Couleur</th>
            <th scope="col">Motif</th>
            <th scope="col">Service</th>
            <th scope="col">Type, durée</th>
            <th scope="col">Réservable par</th>
            <th scope="col">Rappels</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.motifs.map((motif) => (
            <tr>
              <td>
                <span class={`cr-swatch ${colourClass(motif.id)}`} aria-hidden="true"></span> <span class="fr-text--xs">{motif.color}</span>
              </td>
              <td>
                {motif.name}
                {motif.isCollective ? <span class="fr-badge fr-badge--sm fr-badge--info fr-ml-1w">collectif</span> : null}
                {motif.isFollowUpOnly ? <span class="fr-badge fr-badge--sm fr-ml-1w">suivi</span> : null}
              </td>
              <td>{motif.serviceName}</td>
              <td>
                {LOCATION_TYPE_LABELS[motif.locationType]}, {String(motif.durationMinutes)} min
              </td>
              <td>{BOOKABLE_BY_LABELS[motif.bookableBy]}</td>
              <td>{reminders(motif.reminderOffsetsMinutes)}</td>
              <td>
                <ul class="fr-btns-group fr-btns-group--sm fr-btns-group--inline">
                  <li>
                    <a class="fr-btn fr-btn--sm fr-btn--secondary" href={`${base}/${String(motif.id)}/modifier`}>
                      Modifier<span class="fr-sr-only"> {motif.name}</span>
                    </a>
                  </li>
                  <li>
                    <form method="post" action={`${base}/${String(motif.id)}/dupliquer`}>
                      <CsrfField token={props.csrfToken} />
                      <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">
                        Dupliquer<span class="fr-sr-only"> {motif.name}</span>
                      </button>
                    </form>
                  </li>
                  <li>
                    <form method="post" action={`${base}/${String(motif.id)}/${motif.archived ? 'desarchiver' : 'archiver'}`}>
                      <CsrfField token={props.csrfToken} />
                      <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">
                        {motif.archived ? 'Réactiver' : 'Archiver'}
                        <span class="fr-sr-only"> {motif.name}</span>
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

function ColourStylesheet(props: { organisationId: number }): Html {
  return <link rel="stylesheet" href={`/agents/organisations/${String(props.organisationId)}/agenda/motifs.css`} />;
}

export function MotifsPage(props: PageBase & { motifs: readonly MotifRecord[]; notice?: string | undefined; error?: string | undefined }): Html {
  const active = props.motifs.filter((motif) => !motif.archived);
  const archived = props.motifs.filter((motif) => motif.archived);
  const services = [...new Set(active.map((motif) => motif.serviceName))];
  return (
    <AdminPage {...props} title="Motifs">
      <ColourStylesheet organisationId={props.organisationId} />
      <h1>Motifs de l’organisation</h1>
      <Notice notice={props.notice} />
      <Notice notice={props.error} kind="error" />
      <p>
        <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href={`${motifsPath(props.organisationId)}/nouveau`}>
          Créer un motif
        </a>
      </p>
      {active.length === 0 ? <p>Aucun motif actif.</p> : null}
      {services.map((service) => (
        <MotifsTable {...props} caption={`Motifs actifs — ${service}`} motifs={active.filter((motif) => motif.serviceName === service)} />
      ))}
      <h2>Motifs archivés</h2>
      <p class="cr-muted">Un motif archivé n’est plus proposé à la réservation ; les rendez-vous déjà pris sont maintenus.</p>
      {archived.length === 0 ? <p>Aucun motif archivé.</p> : <MotifsTable {...props} caption="Motifs archivés" motifs={archived} />}
    </AdminPage>
  );
}

export type MotifFormMode = { readonly kind: 'create' } | { readonly kind: 'edit'; readonly motifId: number; readonly name: string; readonly archived: boolean };

export function MotifFormPage(
  props: PageBase & {
    mode: MotifFormMode;
    values: MotifFormInput;
    errors?: Record<string, string> | undefined;
    choices: { services: readonly { id: number; name: string }[]; categories: readonly { id: number; name: string }[] };
    notice?: string | undefined;
  },
): Html {
  const errors = props.errors ?? {};
  const { values } = props;
  const title = props.mode.kind === 'create' ? 'Créer un motif' : `Modifier le motif ${props.mode.name}`;
  const action = props.mode.kind === 'create' ? `${motifsPath(props.organisationId)}/nouveau` : `${motifsPath(props.organisationId)}/${String(props.mode.motifId)}/modifier`;
  const numeric = { required: true, inputmode: 'numeric', autocomplete: 'off' };
  return (
    <AdminPage {...props} title={title} errors={errors} breadcrumb={[{ label: 'Motifs', href: motifsPath(props.organisationId) }]}>
      <h1>{title}</h1>
      <Notice notice={props.notice} />
      {props.mode.kind === 'edit' && props.mode.archived ? <Notice notice="Ce motif est archivé : il n’est proposé à aucune réservation." kind="warning" /> : null}
      <ErrorSummary errors={errors} />
      <form method="post" action={action} novalidate>
        <CsrfField token={props.csrfToken} />
        <Fieldset id="motif" legend="Le motif">
          <Input name="nom" label="Nom du motif" hint="Tel que les usagers le verront, 150 caractères au plus" value={values.nom} error={errors.nom} autocomplete="off" />
          <Input name="couleur" label="Couleur dans les agendas" hint="Au format #rrggbb, par exemple #000091" value={values.couleur} error={errors.couleur} autocomplete="off" />
          <Select name="service" label="Service" value={values.service} options={props.choices.services.map((service) => [String(service.id), service.name] as const)} empty="Choisir un service" error={errors.service} />
          <Select
            name="categorie"
            label="Catégorie (invitations)"
            hint="Les invitations des partenaires (RSA…) ouvrent la prise de rendez-vous sur les motifs de leur catégorie. Seules les catégories activées par le territoire sont proposées."
            value={values.categorie}
            options={props.choices.categories.map((category) => [String(category.id), category.name] as const)}
            empty="Aucune catégorie"
            error={errors.categorie}
            optional={true}
          />
          <Select name="typeLieu" label="Type de rendez-vous" value={values.typeLieu} options={entries(LOCATION_TYPE_LABELS)} error={errors.typeLieu} />
          <Checkbox name="collectif" label="Motif collectif (atelier, réunion d’information)" hint="Plusieurs participants par rendez-vous, sur place." checked={values.collectif} error={errors.collectif} />
        </Fieldset>
        <Fieldset id="durees" legend="Durée et créneaux (en minutes)">
          <Input name="duree" label="Durée du rendez-vous" hint="En minutes, de 1 à 1440" value={values.duree} error={errors.duree} {...numeric} />
          <Input name="pas" label="Intervalle entre deux créneaux" hint="En minutes, de 5 à 1440 ; vide : la durée du rendez-vous" value={values.pas} error={errors.pas} {...numeric} required={false} />
          <Input name="tamponAvant" label="Temps de préparation avant" hint="En minutes, de 0 à 240" value={values.tamponAvant} error={errors.tamponAvant} {...numeric} />
          <Input name="tamponApres" label="Temps libre après" hint="En minutes, de 0 à 240" value={values.tamponApres} error={errors.tamponApres} {...numeric} />
        </Fieldset>
        <Fieldset id="reservation" legend="Réservation">
          <Select name="reservablePar" label="Qui peut prendre ce rendez-vous" value={values.reservablePar} options={entries(BOOKABLE_BY_LABELS)} error={errors.reservablePar} />
          <Select name="sectorisation" label="Sectorisation" hint="À quelles adresses le motif est proposé en ligne." value={values.sectorisation} options={entries(SECTORISATION_LABELS)} error={errors.sectorisation} />
          <Checkbox name="suiviUniquement" label="Suivi uniquement" hint="Réservé aux usagers qui ont un référent dans l’organisation." checked={values.suiviUniquement} />
          <Input name="delaiMinimum" label="Délai minimum de réservation" hint="En heures avant le rendez-vous (0,5 pour 30 minutes)" value={values.delaiMinimum} error={errors.delaiMinimum} {...numeric} inputmode="decimal" />
          <Input name="delaiMaximum" label="Délai maximum de réservation" hint="En jours : jusqu’où les créneaux sont proposés (91 pour 3 mois)" value={values.delaiMaximum} error={errors.delaiMaximum} {...numeric} />
          <Input name="delaiAnnulation" label="Délai d’annulation en ligne" hint="En heures avant le rendez-vous" value={values.delaiAnnulation} error={errors.delaiAnnulation} {...numeric} inputmode="decimal" />
          <Input name="delaiReport" label="Délai de report en ligne" hint="En heures avant le rendez-vous" value={values.delaiReport} error={errors.delaiReport} {...numeric} inputmode="decimal" />
          <TextArea name="restriction" label="Conditions pour prendre ce rendez-vous" hint="Montrées avant le choix du créneau, à accepter par l’usager." value={values.restriction} error={errors.restriction} />
          <TextArea name="instructions" label="Instructions après la réservation" hint="Documents à apporter, accès… Montrées dans la confirmation." value={values.instructions} error={errors.instructions} />
        </Fieldset>
        <Fieldset id="notifications" legend="Notifications">
          <Select name="visibilite" label="Visibilité pour l’usager" value={values.visibilite} options={entries(VISIBILITY_LABELS)} error={errors.visibilite} />
          <Input name="rappel1" label="Premier rappel" hint="En heures avant le rendez-vous (48 pour deux jours) ; vide : pas de rappel" value={values.rappel1} error={errors.rappel1} {...numeric} required={false} />
          <Input name="rappel2" label="Second rappel" hint="En heures avant le rendez-vous ; vide : pas de second rappel" value={values.rappel2} error={errors.rappel2} {...numeric} required={false} />
        </Fieldset>
        <SubmitOrCancel label="Enregistrer" cancelHref={motifsPath(props.organisationId)} />
      </form>
    </AdminPage>
  );
}
