// The SMS and e-mail settings page of a territory (territorial admins): provider, sender name,
// credentials (never shown back), fallback provider, low-credit threshold, e-mail sender and
// reply-to; the delivery-report URL; and the test SMS form with its result.
import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary } from '../../../platform/views/forms.js';
import { Fragment, h, type Html } from '../../../platform/views/jsx.js';
import type { SmsProviderName } from '../../../platform/db/schema.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import { credentialFieldName, credentialFieldsOf, SMS_PROVIDER_LABELS, TEST_SMS_PER_HOUR, type TerritorySettingsView, type TestSmsResult } from '../admin-territory-settings.js';
import { NoticeBox, notificationsPath, type AdminNotice } from './admin-notifications-log.js';
import { SMS_PROVIDER_NAMES } from '../../notifications/index.js';

export type SettingsValues = Readonly<Record<string, string | undefined>>;

function ErrorText(props: { name: string; error: string | undefined }): Html {
  return props.error === undefined ? (
    <></>
  ) : (
    <p class="fr-error-text" id={`${props.name}-erreur`}>
      {props.error}
    </p>
  );
}

function TextField(props: {
  name: string;
  label: string;
  hint?: string | undefined;
  value: string;
  error: string | undefined;
  type?: 'text' | 'email' | 'password' | 'tel';
  optional?: boolean;
  autocomplete?: string;
  maxlength?: number;
}): Html {
  const hasError = props.error !== undefined;
  return (
    <div class={hasError ? 'fr-input-group fr-input-group--error' : 'fr-input-group'}>
      <label class="fr-label" for={props.name}>
        {props.label}
        {props.optional === true ? ' (facultatif)' : ''}
        {props.hint === undefined ? null : <span class="fr-hint-text">{props.hint}</span>}
      </label>
      <input
        class={hasError ? 'fr-input fr-input--error' : 'fr-input'}
        type={props.type ?? 'text'}
        id={props.name}
        name={props.name}
        value={props.type === 'password' ? undefined : props.value}
        autocomplete={props.autocomplete}
        maxlength={props.maxlength}
        spellcheck={props.type === 'password' ? undefined : 'false'}
        aria-invalid={hasError ? 'true' : undefined}
        aria-describedby={hasError ? `${props.name}-erreur` : undefined}
      />
      <ErrorText name={props.name} error={props.error} />
    </div>
  );
}

function ProviderSelect(props: { name: string; label: string; hint: string; selected: string; error: string | undefined; allowNone: boolean; production: boolean }): Html {
  const choices = SMS_PROVIDER_NAMES.filter((provider) => provider !== 'log' || !props.production);
  return (
    <div class={props.error === undefined ? 'fr-select-group' : 'fr-select-group fr-select-group--error'}>
      <label class="fr-label" for={props.name}>
        {props.label}
        <span class="fr-hint-text">{props.hint}</span>
      </label>
      <select class="fr-select" id={props.name} name={props.name} aria-describedby={props.error === undefined ? undefined : `${props.name}-erreur`}>
        {props.allowNone ? (
          <option value="" selected={props.selected === ''}>
            Aucun
          </option>
        ) : (
          <option value="" selected={props.selected === ''} disabled hidden>
            Choisir un fournisseur
          </option>
        )}
        {choices.map((provider) => (
          <option value={provider} selected={props.selected === provider}>
            {SMS_PROVIDER_LABELS[provider]}
          </option>
        ))}
      </select>
      <ErrorText name={props.name} error={props.error} />
    </div>
  );
}

/** The credential inputs of every provider, one fieldset each: only the chosen provider's are read. */
function CredentialFieldsets(props: { which: 'primary' | 'fallback'; storedProvider: SmsProviderName | null; hasStored: boolean; values: SettingsValues; errors: Readonly<Record<string, string>>; production: boolean }): Html {
  return (
    <>
      <p class="fr-text--sm">
        {props.which === 'primary'
          ? 'Remplissez seulement les identifiants du fournisseur choisi ci-dessus. Ils ne sont jamais réaffichés : un champ laissé vide garde la valeur enregistrée.'
          : 'Remplissez seulement les identifiants du fournisseur de secours choisi ci-dessus, s’il y en a un.'}
      </p>
      {SMS_PROVIDER_NAMES.filter((provider) => provider !== 'log').map((provider) => {
        const stored = props.hasStored && props.storedProvider === provider;
        return (
          <fieldset class="fr-fieldset" aria-describedby={stored ? credentialFieldName(props.which, provider, 'etat') : undefined}>
            <legend class="fr-fieldset__legend fr-text--regular">
              {props.which === 'primary' ? `Identifiants ${SMS_PROVIDER_LABELS[provider]}` : `Identifiants ${SMS_PROVIDER_LABELS[provider]} (secours)`}
            </legend>
            {stored ? (
              <p class="fr-fieldset__element fr-badge fr-badge--success fr-badge--sm" id={credentialFieldName(props.which, provider, 'etat')}>
                Identifiants enregistrés
              </p>
            ) : null}
            {credentialFieldsOf(provider).map((field) => {
              const name = credentialFieldName(props.which, provider, field.key);
              return (
                <div class="fr-fieldset__element">
                  <TextField
                    name={name}
                    label={field.label}
                    hint={stored ? 'Laisser vide pour garder la valeur enregistrée.' : field.hint}
                    value=""
                    error={props.errors[name]}
                    type={field.secret ? 'password' : 'text'}
                    optional={field.optional}
                    autocomplete="off"
                  />
                </div>
              );
            })}
          </fieldset>
        );
      })}
    </>
  );
}

export interface TerritorySettingsProps {
  readonly principal: AgentPrincipal;
  readonly organisationId: number;
  readonly csrfToken: string;
  readonly settings: TerritorySettingsView;
  /** The form as typed (422) or as stored. Credential fields are never filled. */
  readonly values: SettingsValues;
  readonly errors: Readonly<Record<string, string>>;
  readonly testValues: SettingsValues;
  readonly testErrors: Readonly<Record<string, string>>;
  readonly testResult: TestSmsResult | undefined;
  readonly notice: AdminNotice | undefined;
  readonly production: boolean;
}

const ERROR_KIND_LABELS = {
  recipient: 'le numéro ne peut pas recevoir ce SMS',
  configuration: 'paramètres refusés (identifiants, expéditeur ou compte)',
  no_credit: 'plus de crédit sur le compte',
  transient: 'erreur temporaire (réseau, délai dépassé, service indisponible)',
} as const;

function failureText(result: Exclude<TestSmsResult, { ok: true } | { kind: 'invalid' }>): string {
  switch (result.kind) {
    case 'not_configured':
      return 'Enregistrez d’abord la configuration SMS du territoire.';
    case 'rate_limited':
      return `Trop de SMS de test pour ce territoire (${String(TEST_SMS_PER_HOUR)} par heure au plus). Réessayez plus tard.`;
    case 'unreadable':
      return 'Les identifiants enregistrés sont illisibles (clé de chiffrement changée ?) : saisissez-les à nouveau.';
    case 'provider':
      return `Fournisseur ${SMS_PROVIDER_LABELS[result.provider]} : échec, ${ERROR_KIND_LABELS[result.errorKind]}. ${result.message}${result.providerCode === null ? '' : ` (code ${result.providerCode})`}`;
  }
}

function TestResult(props: { result: TestSmsResult | undefined }): Html {
  const result = props.result;
  if (result === undefined || (!result.ok && result.kind === 'invalid')) return <></>;
  if (result.ok) {
    const answer = result.result === 'sent' ? 'accepté par le fournisseur (un accusé de réception peut suivre)' : 'traité (ce fournisseur ne renvoie pas d’accusé de réception)';
    return (
      <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
        <h3 class="fr-alert__title">SMS de test envoyé</h3>
        <p>{`Fournisseur ${SMS_PROVIDER_LABELS[result.provider]} : message ${answer}. Segments facturés : ${result.segments === null ? 'non indiqué' : String(result.segments)}.`}</p>
      </div>
    );
  }
  const text = failureText(result);
  return (
    <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
      <h3 class="fr-alert__title">Le SMS de test n’est pas parti</h3>
      <p>{text}</p>
    </div>
  );
}

export function TerritorySettingsPage(props: TerritorySettingsProps): Html {
  const { settings, values, errors } = props;
  const action = `/agents/organisations/${String(props.organisationId)}/territoire/notifications`;
  return (
    <AgentLayout title="SMS et e-mails du territoire" principal={props.principal} organisationId={props.organisationId} csrfToken={props.csrfToken} section="notifications">
      <h1>{`SMS et e-mails du territoire ${settings.territoryName}`}</h1>
      <p>
        <a class="fr-link" href={notificationsPath(props.organisationId)}>
          Voir les notifications envoyées
        </a>
      </p>
      <NoticeBox notice={props.notice} />
      <ErrorSummary errors={errors} />
      <form method="post" action={action} novalidate>
        <CsrfField token={props.csrfToken} />
        <h2>SMS</h2>
        <ProviderSelect
          name="fournisseur"
          label="Fournisseur SMS"
          hint="Le prestataire avec lequel le territoire a un contrat."
          selected={values.fournisseur ?? ''}
          error={errors.fournisseur}
          allowNone={false}
          production={props.production}
        />
        <TextField
          name="expediteur"
          label="Nom d’expéditeur"
          hint="De 1 à 11 lettres sans accent ou chiffres, sans espace, avec au moins une lettre (par exemple CD77)."
          value={values.expediteur ?? ''}
          error={errors.expediteur}
          maxlength={11}
        />
        <CredentialFieldsets which="primary" storedProvider={settings.provider} hasStored={settings.hasCredentials} values={values} errors={errors} production={props.production} />
        <ProviderSelect
          name="secours"
          label="Fournisseur de secours"
          hint="Utilisé quand le fournisseur principal n’a plus de crédit."
          selected={values.secours ?? ''}
          error={errors.secours}
          allowNone
          production={props.production}
        />
        <CredentialFieldsets which="fallback" storedProvider={settings.fallbackProvider} hasStored={settings.hasFallbackCredentials} values={values} errors={errors} production={props.production} />
        <TextField
          name="seuilCredits"
          label="Seuil d’alerte de crédit"
          hint="Les administrateurs du territoire sont prévenus quand il reste moins de crédits que ce nombre."
          value={values.seuilCredits ?? ''}
          error={errors.seuilCredits}
          optional
        />
        <h2>E-mails</h2>
        <TextField
          name="mailExpediteur"
          label="Adresse d’expédition des e-mails du territoire"
          hint="Vide : l’adresse de la plateforme. Le domaine doit autoriser le serveur d’envoi (SPF, DKIM)."
          value={values.mailExpediteur ?? ''}
          error={errors.mailExpediteur}
          type="email"
          optional
          autocomplete="off"
        />
        <TextField
          name="mailReponse"
          label="Adresse de réponse"
          hint="Vide : pas d’adresse de réponse."
          value={values.mailReponse ?? ''}
          error={errors.mailReponse}
          type="email"
          optional
          autocomplete="off"
        />
        <button class="fr-btn" type="submit">
          Enregistrer
        </button>
      </form>
      {settings.reportUrl === null ? null : (
        <div class="fr-callout fr-mt-4w">
          <h2 class="fr-callout__title">Accusés de réception</h2>
          <p class="fr-callout__text">Collez cette adresse dans la console du fournisseur (adresse de notification des accusés de réception) :</p>
          <p>
            <code>{settings.reportUrl}</code>
          </p>
        </div>
      )}
      <h2 class="fr-mt-4w" id="sms-test">
        Envoyer un SMS de test
      </h2>
      <TestResult result={props.testResult} />
      <ErrorSummary errors={props.testErrors} />
      <form method="post" action={`${action}/test-sms`}>
        <CsrfField token={props.csrfToken} />
        <TextField
          name="numero"
          label="Numéro de mobile"
          hint={`Le SMS « Test Créneau : la configuration SMS fonctionne. » part par le fournisseur principal enregistré. ${String(TEST_SMS_PER_HOUR)} envois par heure au plus.`}
          value={props.testValues.numero ?? ''}
          error={props.testErrors.numero}
          type="tel"
          autocomplete="off"
        />
        <button class="fr-btn fr-btn--secondary" type="submit">
          Envoyer un SMS de test
        </button>
      </form>
    </AgentLayout>
  );
}
