// The hub of the « Administration » section and the organisation's details form.
import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary, Input, SubmitOrCancel } from '../../../platform/views/forms.js';
import { h, type Html } from '../../../platform/views/jsx.js';
import type { OrganisationFormInput } from '../domain/organisation-form.js';
import { AdminPage, Fieldset, Notice, adminBase, type PageBase } from './admin-components.js';

export function HubPage(props: PageBase & { organisationName: string; slug: string; counts: { places: number; motifs: number } }): Html {
  const base = adminBase(props.organisationId);
  const organisation = `/agents/organisations/${String(props.organisationId)}`;
  const tiles: readonly { title: string; href: string; description: string }[] = [
    { title: 'Informations de l’organisation', href: `${base}/organisation`, description: 'Nom, téléphone, e-mail, site internet, lien public et identifiant externe.' },
    { title: 'Lieux', href: `${base}/lieux`, description: `${String(props.counts.places)} lieu${props.counts.places > 1 ? 'x' : ''} actif${props.counts.places > 1 ? 's' : ''} : adresses vérifiées, fuseau horaire, accessibilité, archivage.` },
    { title: 'Motifs', href: `${base}/motifs`, description: `${String(props.counts.motifs)} motif${props.counts.motifs > 1 ? 's' : ''} actif${props.counts.motifs > 1 ? 's' : ''} : durée, réservation en ligne, délais, rappels, duplication, archivage.` },
    { title: 'Agents', href: `${organisation}/agents`, description: 'Inviter, modifier les droits et les services, retirer un agent.' },
    { title: 'Équipes', href: `${base}/equipes`, description: 'Regrouper des agents pour les agendas et la recherche de créneaux.' },
  ];
  return (
    <AdminPage {...props} title="Administration" breadcrumb={null}>
      <h1>Administration de l’organisation</h1>
      <p>
        {props.organisationName} — lien public : <code>/org/{props.slug}</code>
      </p>
      <ul class="fr-grid-row fr-grid-row--gutters cr-plain-list">
        {tiles.map((tile) => (
          <li class="fr-col-12 fr-col-md-6">
            <div class="fr-card fr-enlarge-link">
              <div class="fr-card__body">
                <div class="fr-card__content">
                  <h2 class="fr-card__title">
                    <a href={tile.href}>{tile.title}</a>
                  </h2>
                  <p class="fr-card__desc">{tile.description}</p>
                </div>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </AdminPage>
  );
}

export function OrganisationFormPage(props: PageBase & { values: OrganisationFormInput; errors?: Record<string, string>; notice?: string | undefined }): Html {
  const errors = props.errors ?? {};
  const { values } = props;
  return (
    <AdminPage {...props} title="Informations de l’organisation" errors={errors}>
      <h1>Informations de l’organisation</h1>
      <Notice notice={props.notice} />
      <ErrorSummary errors={errors} />
      <form method="post" action={`${adminBase(props.organisationId)}/organisation`} novalidate>
        <CsrfField token={props.csrfToken} />
        <Fieldset id="identite" legend="Identité">
          <Input name="nom" label="Nom de l’organisation" value={values.nom} error={errors.nom} autocomplete="organization" />
          <Input
            name="lienPublic"
            label="Lien public"
            hint="L’adresse de prise de rendez-vous à donner aux usagers : /org/ suivi de ce texte. Lettres minuscules sans accent, chiffres et tirets."
            value={values.lienPublic}
            error={errors.lienPublic}
            autocomplete="off"
          />
          <Input
            name="identifiantExterne"
            label="Identifiant externe"
            hint="L’identifiant de l’organisation dans le logiciel du département (lien /org/département/externe/identifiant)."
            value={values.identifiantExterne}
            error={errors.identifiantExterne}
            required={false}
            autocomplete="off"
          />
        </Fieldset>
        <Fieldset id="contact" legend="Contact">
          <Input name="telephone" type="tel" label="Téléphone" hint="Exemples : 01 64 87 00 00, 0262 12 34 56" value={values.telephone} error={errors.telephone} required={false} autocomplete="off" />
          <Input name="email" type="email" label="Adresse e-mail" value={values.email} error={errors.email} required={false} autocomplete="off" />
          <Input name="siteWeb" label="Site internet" hint="Une adresse commençant par https://" value={values.siteWeb} error={errors.siteWeb} required={false} autocomplete="off" />
        </Fieldset>
        <SubmitOrCancel label="Enregistrer" cancelHref={adminBase(props.organisationId)} />
      </form>
    </AdminPage>
  );
}
