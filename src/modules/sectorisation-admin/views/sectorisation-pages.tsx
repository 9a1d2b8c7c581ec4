// Pages of the sectorisation administration (ADR 0031): sectors, a sector's zones and
// attributions, the zones CSV import (dry run, confirmation), the address test page. Every page
// works without JavaScript; forms POST and answer 303, or 422 with the input kept.
import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary, ErrorText, Input, SubmitOrCancel } from '../../../platform/views/forms.js';
import { Fragment, h, type Child, type Html } from '../../../platform/views/jsx.js';
import { Breadcrumb, Notice } from '../../../platform/views/page-parts.js';
import { Table } from '../../../platform/views/tables.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import type { BundleError } from '../../territory-bundles/index.js';
import type { ZonesImportPlan } from '../domain/zones-import.js';
import type { AttributionRow, AttributionTargets, SectorRow, TerritoryRow, ZoneRow } from '../sectorisation-admin.repository.js';
import type { AddressTestResult } from '../sectorisation-admin.use-cases.js';

export interface PageBase {
  readonly principal: AgentPrincipal;
  readonly territory: TerritoryRow;
  readonly csrfToken: string;
}

export function sectorisationBase(territoryId: number): string {
  return `/agents/territoires/${String(territoryId)}/sectorisation`;
}

export function sectorPath(territoryId: number, sectorId: number): string {
  return `${sectorisationBase(territoryId)}/secteurs/${String(sectorId)}`;
}

function Page(props: PageBase & { title: string; current: string; children?: Child }): Html {
  const territoryLink = { label: `Territoire ${props.territory.name}`, href: `/agents/territoires/${String(props.territory.id)}` };
  const links = props.current === 'Sectorisation' ? [territoryLink] : [territoryLink, { label: 'Sectorisation', href: sectorisationBase(props.territory.id) }];
  return (
    <AgentLayout title={props.title} principal={props.principal} section="territoire" csrfToken={props.csrfToken}>
      <Breadcrumb links={links} current={props.current} />
      {props.children}
    </AgentLayout>
  );
}

function zonesLabel(sector: SectorRow): string {
  const parts = [];
  if (sector.cityZones > 0) parts.push(`${String(sector.cityZones)} commune${sector.cityZones > 1 ? 's' : ''}`);
  if (sector.streetZones > 0) parts.push(`${String(sector.streetZones)} rue${sector.streetZones > 1 ? 's' : ''}`);
  return parts.length === 0 ? 'Aucune zone' : parts.join(', ');
}

function attributionLabel(attribution: AttributionRow): string {
  return attribution.agentName === null ? attribution.organisationName : `${attribution.agentName} (${attribution.organisationName})`;
}

// ---- Sectors --------------------------------------------------------------------------------

export function SectorsPage(props: PageBase & { sectors: readonly SectorRow[]; attributions: readonly AttributionRow[]; notice?: string }): Html {
  const base = sectorisationBase(props.territory.id);
  return (
    <Page {...props} title={`Sectorisation — ${props.territory.name}`} current="Sectorisation">
      <h1>Sectorisation</h1>
      <Notice notice={props.notice} />
      <p>
        Un secteur regroupe des communes (code INSEE) et des rues (identifiant BAN) ; il est attribué à des organisations ou à des agents. Une adresse relève d’abord des secteurs de sa rue, sinon de
        ceux de sa commune.
      </p>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <a class="fr-btn" href={`${base}/secteurs/nouveau`}>
            Créer un secteur
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href={`${base}/import`}>
            Importer des zones (CSV)
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href={`${base}/zones.csv`} download="zones.csv">
            Exporter les zones (CSV)
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--tertiary" href={`${base}/test`}>
            Tester une adresse
          </a>
        </li>
      </ul>
      <Table
        caption="Secteurs du territoire, par identifiant"
        columns={['Secteur', 'Identifiant', 'Zones', 'Attribué à']}
        rows={props.sectors}
        empty="Aucun secteur dans ce territoire."
        row={(sector) => {
          const attributions = props.attributions.filter((attribution) => attribution.sectorId === sector.id);
          return (
            <tr>
              <td>
                <a href={sectorPath(props.territory.id, sector.id)}>{sector.name}</a>
              </td>
              <td>{sector.humanId}</td>
              <td>{zonesLabel(sector)}</td>
              <td>{attributions.length === 0 ? 'Personne' : attributions.map(attributionLabel).join(' ; ')}</td>
            </tr>
          );
        }}
      />
    </Page>
  );
}

export function SectorFormPage(
  props: PageBase & { mode: { kind: 'create' } | { kind: 'edit'; sectorId: number; name: string }; values: { nom?: string | undefined; identifiant?: string | undefined }; errors?: Readonly<Record<string, string>> },
): Html {
  const errors = props.errors ?? {};
  const editing = props.mode.kind === 'edit';
  const title = editing ? 'Modifier le secteur' : 'Créer un secteur';
  const action = props.mode.kind === 'edit' ? `${sectorPath(props.territory.id, props.mode.sectorId)}/modifier` : `${sectorisationBase(props.territory.id)}/secteurs/nouveau`;
  return (
    <Page {...props} title={Object.keys(errors).length > 0 ? `Erreur — ${title}` : title} current={title}>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      <form method="post" action={action} novalidate>
        <CsrfField token={props.csrfToken} />
        <Input name="nom" label="Nom du secteur" hint="Exemple : Secteur de Melun nord" value={props.values.nom} error={errors.nom} />
        <Input
          name="identifiant"
          label="Identifiant"
          hint="Minuscules, chiffres, tirets et soulignés ; unique dans le territoire ; c’est la colonne « secteur » du fichier des zones (exemple : melun-nord)"
          value={props.values.identifiant}
          error={errors.identifiant}
        />
        <SubmitOrCancel label="Enregistrer" cancelHref={props.mode.kind === 'edit' ? sectorPath(props.territory.id, props.mode.sectorId) : sectorisationBase(props.territory.id)} />
      </form>
    </Page>
  );
}

export function SectorDeletePage(props: PageBase & { sector: { id: number; name: string; humanId: string }; zones: number; attributions: number }): Html {
  const path = sectorPath(props.territory.id, props.sector.id);
  return (
    <Page {...props} title={`Supprimer le secteur ${props.sector.name}`} current="Supprimer un secteur">
      <h1>Supprimer le secteur « {props.sector.name} » ?</h1>
      <div class="fr-alert fr-alert--warning fr-mb-3w">
        <p>
          Ses {String(props.zones)} zone{props.zones > 1 ? 's' : ''} et ses {String(props.attributions)} attribution{props.attributions > 1 ? 's' : ''} seront supprimées avec lui. Les adresses de ces
          zones ne seront plus orientées par ce secteur. Cette action est définitive.
        </p>
      </div>
      <form method="post" action={`${path}/supprimer`}>
        <CsrfField token={props.csrfToken} />
        <SubmitOrCancel label="Supprimer le secteur" cancelHref={path} />
      </form>
    </Page>
  );
}

// ---- One sector: zones and attributions -------------------------------------------------------

export interface SectorPageProps extends PageBase {
  readonly sector: { id: number; name: string; humanId: string };
  readonly zones: readonly ZoneRow[];
  readonly attributions: readonly AttributionRow[];
  readonly targets: AttributionTargets;
  readonly notice?: string;
  /** The form that failed (422) with its values and messages. */
  readonly failed?: { form: 'commune' | 'rue' | 'attribution'; values: Readonly<Record<string, string | undefined>>; errors: Readonly<Record<string, string>> };
}

function DeleteButton(props: { action: string; csrfToken: string; label: string }): Html {
  return (
    <form method="post" action={props.action}>
      <CsrfField token={props.csrfToken} />
      <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">
        {props.label}
      </button>
    </form>
  );
}

/** One of the sector page's forms that add something: a fieldset with its legend, the fields, a secondary submit button. */
function AddForm(props: { action: string; csrfToken: string; legend: string; submit: string; children?: Child }): Html {
  return (
    <form method="post" action={props.action} novalidate>
      <CsrfField token={props.csrfToken} />
      <fieldset class="fr-fieldset">
        <legend class="fr-fieldset__legend">{props.legend}</legend>
        {props.children}
        <button class="fr-btn fr-btn--secondary" type="submit">
          {props.submit}
        </button>
      </fieldset>
    </form>
  );
}

export function SectorPage(props: SectorPageProps): Html {
  const path = sectorPath(props.territory.id, props.sector.id);
  const failed = props.failed;
  const errorsOf = (form: string): Readonly<Record<string, string>> => (failed?.form === form ? failed.errors : {});
  const valueOf = (form: string, field: string): string | undefined => (failed?.form === form ? failed.values[field] : undefined);
  const cities = props.zones.filter((zone) => zone.level === 'city');
  const streets = props.zones.filter((zone) => zone.level === 'street');
  const organisationNames = new Map(props.targets.organisations.map((organisation) => [organisation.id, organisation.name]));
  return (
    <Page {...props} title={`${failed === undefined ? '' : 'Erreur — '}Secteur ${props.sector.name}`} current={props.sector.name}>
      <h1>{props.sector.name}</h1>
      <p>
        Identifiant : <code>{props.sector.humanId}</code>
      </p>
      <Notice notice={props.notice} />
      {failed === undefined ? null : <ErrorSummary errors={failed.errors} />}
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <a class="fr-btn fr-btn--secondary" href={`${path}/modifier`}>
            Modifier le nom ou l’identifiant
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--tertiary" href={`${path}/supprimer`}>
            Supprimer le secteur
          </a>
        </li>
      </ul>

      <h2>Communes</h2>
      <Table
        caption="Communes du secteur"
        columns={['Code INSEE', 'Commune', 'Action']}
        rows={cities}
        empty="Aucune commune entière dans ce secteur."
        row={(zone) => (
          <tr>
            <td>{zone.cityCode}</td>
            <td>{zone.cityName}</td>
            <td>
              <DeleteButton action={`${path}/zones/${String(zone.id)}/supprimer`} csrfToken={props.csrfToken} label={`Retirer ${zone.cityName}`} />
            </td>
          </tr>
        )}
      />
      <AddForm action={`${path}/zones/commune`} csrfToken={props.csrfToken} legend="Ajouter une commune entière" submit="Ajouter la commune">
        <Input
          name="codeInsee"
          label="Code INSEE de la commune"
          hint={`5 caractères, dans le département ${props.territory.departementNumber} (exemple : 77288 pour Melun, et non le code postal) ; le nom vient du code officiel géographique`}
          value={valueOf('commune', 'codeInsee')}
          error={errorsOf('commune').codeInsee}
        />
      </AddForm>

      <h2>Rues</h2>
      <Table
        caption="Rues du secteur (elles priment sur les communes)"
        columns={['Identifiant BAN', 'Voie', 'Commune', 'Action']}
        rows={streets}
        empty="Aucune rue dans ce secteur."
        row={(zone) => (
          <tr>
            <td>{zone.streetBanId ?? ''}</td>
            <td>{zone.streetName ?? ''}</td>
            <td>
              {zone.cityName} ({zone.cityCode})
            </td>
            <td>
              <DeleteButton action={`${path}/zones/${String(zone.id)}/supprimer`} csrfToken={props.csrfToken} label={`Retirer ${zone.streetName ?? zone.streetBanId ?? ''}`} />
            </td>
          </tr>
        )}
      />
      <AddForm action={`${path}/zones/rue`} csrfToken={props.csrfToken} legend="Ajouter une rue" submit="Ajouter la rue">
        <Input
          name="idVoie"
          label="Identifiant BAN de la voie"
          hint="Code INSEE de la commune, « _ », code FANTOIR de la voie (exemple : 77288_0740) ; la commune s’en déduit"
          value={valueOf('rue', 'idVoie')}
          error={errorsOf('rue').idVoie}
        />
        <Input name="nomVoie" label="Nom de la voie" hint="Exemple : Quai Hippolyte Rossignol" value={valueOf('rue', 'nomVoie')} error={errorsOf('rue').nomVoie} />
      </AddForm>

      <h2>Attributions</h2>
      <Table
        caption="Organisations et agents à qui le secteur est attribué"
        columns={['Niveau', 'Attribué à', 'Action']}
        rows={props.attributions}
        empty="Le secteur n’est attribué à personne : ses adresses n’ouvrent aucun motif sectorisé."
        row={(attribution) => (
          <tr>
            <td>{attribution.level === 'organisation' ? 'Organisation' : 'Agent'}</td>
            <td>{attributionLabel(attribution)}</td>
            <td>
              <DeleteButton action={`${path}/attributions/${String(attribution.id)}/supprimer`} csrfToken={props.csrfToken} label={`Retirer l’attribution à ${attributionLabel(attribution)}`} />
            </td>
          </tr>
        )}
      />
      <AddForm action={`${path}/attributions`} csrfToken={props.csrfToken} legend="Attribuer le secteur" submit="Attribuer">
        <div class={errorsOf('attribution').cible === undefined ? 'fr-select-group' : 'fr-select-group fr-select-group--error'}>
          <label class="fr-label" for="cible">
            Organisation ou agent
            <span class="fr-hint-text">Une organisation reçoit les motifs sectorisés « par organisation » ; un agent, ceux sectorisés « par agent » dans son organisation.</span>
          </label>
          <select
            class="fr-select"
            id="cible"
            name="cible"
            aria-invalid={errorsOf('attribution').cible === undefined ? undefined : 'true'}
            aria-describedby={errorsOf('attribution').cible === undefined ? undefined : 'cible-erreur'}
          >
            <option value="">Choisir</option>
            <optgroup label="Organisations">
              {props.targets.organisations.map((organisation) => (
                <option value={`organisation:${String(organisation.id)}`} selected={valueOf('attribution', 'cible') === `organisation:${String(organisation.id)}`}>
                  {organisation.name}
                </option>
              ))}
            </optgroup>
            <optgroup label="Agents">
              {props.targets.agents.map((agent) => {
                const value = `agent:${String(agent.organisationId)}:${String(agent.agentId)}`;
                return (
                  <option value={value} selected={valueOf('attribution', 'cible') === value}>
                    {agent.name} — {organisationNames.get(agent.organisationId) ?? ''}
                  </option>
                );
              })}
            </optgroup>
          </select>
          <ErrorText name="cible" error={errorsOf('attribution').cible} />
        </div>
      </AddForm>
    </Page>
  );
}

// ---- Import ---------------------------------------------------------------------------------

/** At most this many errors or planned zones are listed (the counts are always complete). */
const MAX_LISTED = 300;

function ErrorsTable(props: { errors: readonly BundleError[]; fileName: string }): Html {
  const listed = props.errors.slice(0, MAX_LISTED);
  return (
    <>
      <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="erreurs" tabindex="-1">
        <h2 class="fr-alert__title">
          {props.errors.length === 1 ? 'Le fichier contient une erreur' : `Le fichier contient ${String(props.errors.length)} erreurs`} : rien n’a été enregistré
        </h2>
        <p>Corrigez le fichier « {props.fileName} » puis importez-le de nouveau.</p>
      </div>
      <Table
        caption="Erreurs du fichier, ligne par ligne"
        columns={['Ligne', 'Colonne', 'Erreur']}
        rows={listed}
        row={(error) => (
          <tr>
            <td>{error.line > 0 ? String(error.line) : 'fichier'}</td>
            <td>{error.field ?? ''}</td>
            <td>{error.message}</td>
          </tr>
        )}
      />
      {props.errors.length > listed.length ? <p>… et {String(props.errors.length - listed.length)} autres erreurs.</p> : null}
    </>
  );
}

function zoneText(zone: { cityCode: string; cityName: string; streetBanId: string | null; streetName: string | null }): string {
  return zone.streetBanId === null ? `${zone.cityName} (${zone.cityCode})` : `${zone.streetName ?? ''} (${zone.streetBanId}), ${zone.cityName}`;
}

function PlanTable(props: { caption: string; rows: readonly { sector: string; zone: string; detail?: string }[] }): Html {
  if (props.rows.length === 0) return <></>;
  const listed = props.rows.slice(0, MAX_LISTED);
  return (
    <>
      <Table
        caption={props.caption}
        columns={['Secteur', 'Zone', 'Détail']}
        rows={listed}
        row={(row) => (
          <tr>
            <td>{row.sector}</td>
            <td>{row.zone}</td>
            <td>{row.detail ?? ''}</td>
          </tr>
        )}
      />
      {props.rows.length > listed.length ? <p>… et {String(props.rows.length - listed.length)} autres.</p> : null}
    </>
  );
}

export type ImportOutcome =
  | { kind: 'errors'; fileName: string; errors: readonly BundleError[] }
  | { kind: 'plan'; fileName: string; importId: string; sha256: string; plan: ZonesImportPlan };

function plural(count: number, one: string, many: string): string {
  return `${String(count)} ${count > 1 ? many : one}`;
}

export function ImportPage(props: PageBase & { outcome?: ImportOutcome; maxMegabytes: number }): Html {
  const base = sectorisationBase(props.territory.id);
  const outcome = props.outcome;
  const title = outcome === undefined ? 'Importer des zones' : outcome.kind === 'errors' ? 'Erreurs — Importer des zones' : 'Simulation — Importer des zones';
  return (
    <Page {...props} title={title} current="Importer des zones">
      <h1>Importer des zones</h1>
      {outcome?.kind === 'errors' ? <ErrorsTable errors={outcome.errors} fileName={outcome.fileName} /> : null}
      {outcome?.kind === 'plan' ? <PlanSummary {...props} outcome={outcome} /> : null}
      <p>
        Le fichier a le format <code>zones.csv</code> des lots de territoire : colonnes <code>secteur</code>, <code>code_insee</code>, <code>nom_commune</code>, <code>id_voie_ban</code>,{' '}
        <code>nom_voie</code> ; séparateur « ; », encodage UTF-8. Les secteurs nommés doivent exister ; pour chacun, les zones du fichier remplacent les siennes. Les autres secteurs ne changent
        pas. L’<a href={`${base}/zones.csv`}>export des zones</a> donne un fichier à modifier.
      </p>
      <form method="post" action={`${base}/import`} enctype="multipart/form-data">
        <CsrfField token={props.csrfToken} />
        <div class="fr-upload-group fr-mb-3w">
          <label class="fr-label" for="fichier">
            Fichier des zones
            <span class="fr-hint-text">Format CSV (UTF-8), {String(props.maxMegabytes)} Mo au plus. Une simulation est faite d’abord : rien n’est enregistré avant votre confirmation.</span>
          </label>
          <input class="fr-upload" type="file" id="fichier" name="fichier" accept=".csv,text/csv" required />
        </div>
        <button class="fr-btn" type="submit">
          Vérifier le fichier
        </button>
      </form>
    </Page>
  );
}

function PlanSummary(props: PageBase & { outcome: Extract<ImportOutcome, { kind: 'plan' }> }): Html {
  const { plan } = props.outcome;
  const nothing = plan.create.length === 0 && plan.update.length === 0 && plan.delete.length === 0;
  return (
    <section class="fr-mb-5w" aria-labelledby="simulation">
      <h2 id="simulation">Simulation de l’import de « {props.outcome.fileName} »</h2>
      <div class={nothing ? 'fr-alert fr-alert--info fr-mb-3w' : 'fr-alert fr-alert--warning fr-mb-3w'} role="status">
        <p>
          Fichier valide : {plural(plan.lines, 'zone', 'zones')} pour {plural(plan.sectors.length, 'secteur', 'secteurs')}.{' '}
          {nothing
            ? 'Rien à changer : les zones de ces secteurs sont déjà celles du fichier.'
            : `L’import créerait ${plural(plan.create.length, 'zone', 'zones')}, en modifierait ${String(plan.update.length)} et en supprimerait ${String(plan.delete.length)}.`}{' '}
          Rien n’a encore été enregistré.
        </p>
      </div>
      <PlanTable caption="Zones à créer" rows={plan.create.map((zone) => ({ sector: zone.sectorHumanId, zone: zoneText(zone) }))} />
      <PlanTable
        caption="Zones à modifier (nom de commune ou de voie)"
        rows={plan.update.map((zone) => ({ sector: zone.sectorHumanId, zone: zoneText(zone), detail: `avant : ${zone.before.streetName ?? zone.before.cityName}` }))}
      />
      <PlanTable caption="Zones à supprimer (absentes du fichier)" rows={plan.delete.map((zone) => ({ sector: zone.sectorHumanId, zone: zoneText(zone) }))} />
      <form method="post" action={`${sectorisationBase(props.territory.id)}/import/${props.outcome.importId}/confirmer`}>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="empreinte" value={props.outcome.sha256} />
        <p class="fr-text--sm">Empreinte SHA-256 du fichier vérifié : {props.outcome.sha256}</p>
        <button class="fr-btn" type="submit">
          {nothing ? 'Confirmer (aucun changement)' : 'Confirmer l’import'}
        </button>
      </form>
    </section>
  );
}

// ---- Address test ---------------------------------------------------------------------------

const LEVEL_LABELS: Readonly<Record<string, string>> = { departement: 'tout le département', organisation: 'par organisation', agent: 'par agent' };
const LOCATION_LABELS: Readonly<Record<string, string>> = { public_office: 'sur place', phone: 'au téléphone', home: 'à domicile', visio: 'en visio' };

export function AddressTestPage(props: PageBase & { query: string; error?: string; result?: AddressTestResult }): Html {
  const base = sectorisationBase(props.territory.id);
  const result = props.result;
  return (
    <Page {...props} title={props.error === undefined ? 'Tester une adresse' : 'Erreur — Tester une adresse'} current="Tester une adresse">
      <h1>Tester une adresse</h1>
      <p>Ce que la prise de rendez-vous en ligne ferait pour une adresse : secteurs trouvés, organisations et agents qu’ils désignent, motifs réservables.</p>
      {props.error === undefined ? null : <ErrorSummary errors={{ adresse: props.error }} />}
      <form method="get" action={`${base}/test`} novalidate>
        <Input name="adresse" label="Adresse" hint="Exemple : 20 quai Hippolyte Rossignol 77000 Melun" value={props.query} error={props.error} autocomplete="off" />
        <button class="fr-btn" type="submit">
          Tester
        </button>
      </form>
      {result === undefined ? null : <AddressTestResultView result={result} />}
    </Page>
  );
}

function AddressTestResultView(props: { result: AddressTestResult }): Html {
  const { result } = props;
  if (result.kind === 'unavailable') {
    return (
      <div class="fr-alert fr-alert--error fr-mt-3w" role="alert">
        <p>Le service de géocodage ne répond pas. Réessayez dans quelques minutes.</p>
      </div>
    );
  }
  if (result.kind === 'not_found') {
    return (
      <div class="fr-alert fr-alert--info fr-mt-3w" role="status">
        <p>Aucune adresse trouvée. Précisez le numéro, la voie, le code postal et la commune.</p>
      </div>
    );
  }
  const { test } = result;
  return (
    <section class="fr-mt-5w" aria-labelledby="resultat">
      <h2 id="resultat">Résultat pour « {test.address.label} »</h2>
      <p>
        Commune : {test.address.cityName} ({test.address.cityCode}) ; voie BAN : {test.address.banId ?? 'aucune (adresse placée à la commune)'}.
      </p>
      {!test.inTerritory ? (
        <div class="fr-alert fr-alert--warning" role="status">
          <p>Cette adresse est dans le département {test.address.departementNumber}, hors de ce territoire : aucun de ses secteurs ne s’applique.</p>
        </div>
      ) : (
        <>
          <h3>Secteurs</h3>
          {test.sectors.length === 0 ? (
            <p>Aucun secteur ne couvre cette adresse : seuls les motifs ouverts à tout le département sont proposés.</p>
          ) : (
            <ul>
              {test.sectors.map((sector) => (
                <li>
                  {sector.name} ({sector.humanId}) — par {sector.zoneLevel === 'street' ? 'la rue' : 'la commune'}
                </li>
              ))}
            </ul>
          )}
          <h3>Organisations et agents désignés</h3>
          {test.organisations.length === 0 && test.agents.length === 0 ? (
            <p>Aucune organisation ni aucun agent.</p>
          ) : (
            <ul>
              {test.organisations.map((organisation) => (
                <li>Organisation : {organisation.name}</li>
              ))}
              {test.agents.map((agent) => (
                <li>
                  Agent : {agent.name} ({agent.organisationName})
                </li>
              ))}
            </ul>
          )}
          <h3>Motifs réservables en ligne</h3>
          <Table
            caption="Motifs que l’usager verrait à cette adresse"
            columns={['Service', 'Motif', 'Organisation', 'Sectorisation']}
            rows={test.motifs}
            empty="Aucun motif réservable en ligne à cette adresse."
            row={(motif) => (
              <tr>
                <td>{motif.serviceName}</td>
                <td>
                  {motif.name} ({LOCATION_LABELS[motif.locationType] ?? motif.locationType})
                </td>
                <td>{motif.organisationName}</td>
                <td>{LEVEL_LABELS[motif.sectorisationLevel] ?? motif.sectorisationLevel}</td>
              </tr>
            )}
          />
        </>
      )}
    </section>
  );
}
