// The merge pages (ADR 0021): choose the other usager, compare field by field and confirm, and
// the result. DSFR markup: a search bar, a comparison table with a caption, one fieldset of radio
// buttons per differing field, an error summary linked to the fields.
import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary } from '../../../platform/views/forms.js';
import { Fragment, h, type Html } from '../../../platform/views/jsx.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import { FIELD_LABELS, formatFieldValue, REFUSAL_MESSAGES, refusalSuggestsSwap } from '../domain/merge-labels.js';
import { MERGE_FIELDS, SOCIAL_FIELD_KEYS, type FieldComparison, type MergeField, type MergeRefusal, type MergeUserFacts, type Source } from '../domain/merge-plan.js';
import type { CandidateUser, MovedRows } from '../user-merge.repository.js';
import type { Comparison, MergeSide } from '../user-merge.use-cases.js';
import { FIELD_INPUT_NAMES } from '../user-merge.schemas.js';

export function usersPath(organisationId: number, rest = ''): string {
  return `/agents/organisations/${String(organisationId)}/usagers${rest}`;
}

/** The merge page of a usager: the URL the users directory links to (`?avec=<id>` preselects the other). */
export function mergePath(organisationId: number, keptId: number, otherId?: number): string {
  return usersPath(organisationId, `/${String(keptId)}/fusionner${otherId === undefined ? '' : `?avec=${String(otherId)}`}`);
}

/** Whether the page shows the field: every field but the social ones the territory hides. */
function isShown(field: MergeField, shownSocialFields: readonly string[]): boolean {
  const key = SOCIAL_FIELD_KEYS[field];
  return key === undefined || shownSocialFields.includes(key);
}

function fullName(facts: MergeUserFacts): string {
  return `${String(facts.values.firstName)} ${String(facts.values.lastName)}`;
}

function birth(value: string | null): string {
  return value === null ? 'date de naissance non renseignée' : `né·e le ${formatFieldValue('birthDate', value)}`;
}

interface PageBase {
  readonly principal: AgentPrincipal;
  readonly organisationId: number;
  readonly csrfToken: string;
}

export function ChooseOtherUserPage(props: PageBase & { kept: MergeUserFacts; search: string; results: readonly CandidateUser[] | null; alert?: string | undefined }): Html {
  const title = `Fusionner la fiche de ${fullName(props.kept)}`;
  return (
    <AgentLayout title={title} principal={props.principal} organisationId={props.organisationId} csrfToken={props.csrfToken} section="usagers">
      <h1>{title}</h1>
      {props.alert === undefined ? null : (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <p>{props.alert}</p>
        </div>
      )}
      <p>
        Cherchez le doublon de cette fiche ({birth(props.kept.values.birthDate as string | null)}, fiche n° {String(props.kept.id)}). La fiche que vous choisirez sera fusionnée
        dans celle-ci, après une comparaison champ par champ.
      </p>
      <form method="get" action={mergePath(props.organisationId, props.kept.id)} role="search" class="fr-mb-3w">
        <div class="fr-search-bar" id="recherche-doublon">
          <label class="fr-label" for="recherche">
            Nom, prénom ou nom de naissance du doublon
          </label>
          <input class="fr-input" type="search" id="recherche" name="recherche" value={props.search} />
          <button class="fr-btn" type="submit" title="Rechercher">
            Rechercher
          </button>
        </div>
      </form>
      {props.results === null ? null : props.results.length === 0 ? (
        <p>Aucun autre usager visible ne correspond.</p>
      ) : (
        <div class="fr-table">
          <table>
            <caption>Usagers correspondants</caption>
            <thead>
              <tr>
                <th scope="col">Usager</th>
                <th scope="col">Date de naissance</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {props.results.map((candidate) => (
                <tr>
                  <td>
                    {candidate.firstName} {candidate.lastName} (n° {String(candidate.id)})
                  </td>
                  <td>{formatFieldValue('birthDate', candidate.birthDate)}</td>
                  <td>
                    <a class="fr-link" href={mergePath(props.organisationId, props.kept.id, candidate.id)}>
                      Comparer avec {candidate.firstName} {candidate.lastName}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={usersPath(props.organisationId, `/${String(props.kept.id)}`)}>
          Retour à la fiche
        </a>
      </p>
    </AgentLayout>
  );
}

function SideSummary(props: { side: MergeSide; role: string }): Html {
  const { facts, counts } = props.side;
  return (
    <li>
      <strong>{props.role}</strong> : {fullName(facts)}, fiche n° {String(facts.id)} — {String(counts.appointments)} rendez-vous, {String(counts.relatives)} proche(s),{' '}
      {String(counts.organisations)} organisation(s){facts.hasAccount ? ', compte en ligne' : ''}
      {facts.responsibleId === null ? '' : `, proche de la fiche n° ${String(facts.responsibleId)}`}
    </li>
  );
}

function ChoiceFieldset(props: { comparison: FieldComparison; keptId: number; mergedId: number; chosen: Source | undefined; error: string | undefined }): Html {
  const { comparison } = props;
  const name = FIELD_INPUT_NAMES[comparison.field];
  const selected = props.chosen ?? comparison.defaultSource;
  return (
    <fieldset
      class={props.error === undefined ? 'fr-fieldset' : 'fr-fieldset fr-fieldset--error'}
      id={name}
      aria-labelledby={`${name}-legende${props.error === undefined ? '' : ` ${name}-erreur`}`}
    >
      <legend class="fr-fieldset__legend" id={`${name}-legende`}>
        {FIELD_LABELS[comparison.field]}
      </legend>
      <div class="fr-fieldset__element">
        <div class="fr-radio-group">
          <input type="radio" id={`${name}-conserve`} name={name} value="conserve" checked={selected === 'kept'} />
          <label class="fr-label" for={`${name}-conserve`}>
            {formatFieldValue(comparison.field, comparison.kept)}
            <span class="fr-hint-text">Valeur de la fiche conservée (n° {String(props.keptId)})</span>
          </label>
        </div>
      </div>
      <div class="fr-fieldset__element">
        <div class="fr-radio-group">
          <input type="radio" id={`${name}-fusionne`} name={name} value="fusionne" checked={selected === 'merged'} />
          <label class="fr-label" for={`${name}-fusionne`}>
            {formatFieldValue(comparison.field, comparison.merged)}
            <span class="fr-hint-text">Valeur de la fiche fusionnée (n° {String(props.mergedId)})</span>
          </label>
        </div>
      </div>
      {props.error === undefined ? null : (
        <div class="fr-messages-group" id={`${name}-erreur`} aria-live="polite">
          <p class="fr-message fr-message--error">{props.error}</p>
        </div>
      )}
    </fieldset>
  );
}

export interface ComparisonPageProps extends PageBase {
  readonly comparison: Comparison;
  readonly confirmationKey: string;
  readonly chosen: Readonly<Partial<Record<string, Source>>>;
  readonly errors: Readonly<Record<string, string>>;
  /** A refusal of the merge itself (stale comparison, already merged). */
  readonly alert: string | undefined;
}

export function ComparisonPage(props: ComparisonPageProps): Html {
  const { kept, merged, fields, refusal } = props.comparison;
  const keptId = kept.facts.id;
  const mergedId = merged.facts.id;
  const title = `Fusionner ${fullName(merged.facts)} dans ${fullName(kept.facts)}`;
  const choosable = fields.filter((field) => field.choosable);
  const fixed = fields.filter((field) => !field.choosable);
  return (
    <AgentLayout title={title} principal={props.principal} organisationId={props.organisationId} csrfToken={props.csrfToken} section="usagers">
      <h1>{title}</h1>
      <ul>
        <SideSummary side={kept} role="Fiche conservée" />
        <SideSummary side={merged} role="Fiche fusionnée puis effacée" />
      </ul>
      <p>
        <a class="fr-link" href={mergePath(props.organisationId, mergedId, keptId)}>
          Inverser : conserver plutôt la fiche n° {String(mergedId)}
        </a>
      </p>
      <ErrorSummary errors={props.errors} />
      {props.alert === undefined ? null : (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <p>{props.alert}</p>
        </div>
      )}
      <div class="fr-table fr-table--bordered">
        <table>
          <caption>Les deux fiches, champ par champ</caption>
          <thead>
            <tr>
              <th scope="col">Champ</th>
              <th scope="col">Fiche conservée (n° {String(keptId)})</th>
              <th scope="col">Fiche fusionnée (n° {String(mergedId)})</th>
            </tr>
          </thead>
          <tbody>
            {MERGE_FIELDS.filter((field) => isShown(field, props.comparison.shownSocialFields)).map((field) => (
              <tr>
                <th scope="row">{FIELD_LABELS[field]}</th>
                <td>{formatFieldValue(field, kept.facts.values[field])}</td>
                <td>{formatFieldValue(field, merged.facts.values[field])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {refusal === undefined ? (
        <form method="post" action={mergePath(props.organisationId, keptId)}>
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="avec" value={String(mergedId)} />
          <input type="hidden" name="cle" value={props.confirmationKey} />
          <input type="hidden" name="empreinte" value={props.comparison.fingerprint} />
          {choosable.length === 0 ? (
            <p>Les deux fiches ont les mêmes valeurs : rien à choisir.</p>
          ) : (
            <>
              <h2>Valeurs à conserver</h2>
              {choosable.map((comparison) => (
                <ChoiceFieldset
                  comparison={comparison}
                  keptId={keptId}
                  mergedId={mergedId}
                  chosen={props.chosen[FIELD_INPUT_NAMES[comparison.field]]}
                  error={props.errors[FIELD_INPUT_NAMES[comparison.field]]}
                />
              ))}
            </>
          )}
          {fixed.some((field) => field.fixedBecause === 'ACCOUNT_EMAIL') ? (
            <p class="fr-text--sm">L’adresse e-mail de la fiche conservée reste la sienne : c’est l’identifiant de son compte en ligne.</p>
          ) : null}
          {fixed.some((field) => field.fixedBecause === 'HIDDEN_FIELD') ? (
            <p class="fr-text--sm">Les champs que le territoire n’affiche pas gardent la valeur de la fiche conservée, ou celle de l’autre fiche quand elle est vide.</p>
          ) : null}
          <div class="fr-callout fr-mb-3w">
            <p class="fr-callout__text">
              Les rendez-vous, proches, référents, organisations, listes d’attente et liens envoyés de la fiche n° {String(mergedId)} passent sur la fiche n° {String(keptId)}. La fiche n°{' '}
              {String(mergedId)} est ensuite effacée. Cette action ne peut pas être annulée.
            </p>
          </div>
          <button class="fr-btn" type="submit">
            Fusionner les deux fiches
          </button>
        </form>
      ) : (
        <div class="fr-alert fr-alert--warning fr-mb-3w" role="status">
          <p>{REFUSAL_MESSAGES[refusal]}</p>
          {refusalSuggestsSwap(refusal) ? (
            <p>
              <a href={mergePath(props.organisationId, mergedId, keptId)}>Conserver la fiche n° {String(mergedId)} et fusionner l’autre dedans</a>
            </p>
          ) : null}
        </div>
      )}
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={usersPath(props.organisationId, `/${String(keptId)}`)}>
          Retour à la fiche
        </a>
      </p>
    </AgentLayout>
  );
}

/** What the session keeps for the result page (ids and counts only). */
export interface MergeNotice {
  readonly keptId: number;
  readonly mergedId: number;
  readonly replayed: boolean;
  readonly moved: MovedRows | null;
}

export function MergeResultPage(props: PageBase & { notice: MergeNotice; keptName: string }): Html {
  const { notice } = props;
  const moved = notice.moved;
  return (
    <AgentLayout title="Fiches fusionnées" principal={props.principal} organisationId={props.organisationId} csrfToken={props.csrfToken} section="usagers">
      <h1>Fiches fusionnées</h1>
      <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
        <p>
          La fiche n° {String(notice.mergedId)} a été fusionnée dans celle de {props.keptName} (n° {String(notice.keptId)}).
        </p>
      </div>
      {moved === null ? null : (
        <ul>
          <li>{String(moved.participations + moved.participationsDropped)} participation(s) à des rendez-vous reprise(s)</li>
          <li>{String(moved.relatives)} proche(s) rattaché(s)</li>
          <li>{String(moved.profiles)} organisation(s) ajoutée(s)</li>
          <li>{String(moved.referents)} référent(s) ajouté(s)</li>
          <li>{String(moved.waitlistEntries)} inscription(s) en liste d’attente reprise(s)</li>
        </ul>
      )}
      <p>
        <a class="fr-btn" href={usersPath(props.organisationId, `/${String(notice.keptId)}`)}>
          Voir la fiche de {props.keptName}
        </a>
      </p>
    </AgentLayout>
  );
}

export type { MergeRefusal };
