import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary, Input } from '../../../platform/views/forms.js';
import { h, type Html } from '../../../platform/views/jsx.js';
import { Layout } from '../../../platform/views/layout.js';

function returnField(returnTo: string | undefined): Html | null {
  return returnTo === undefined ? null : <input type="hidden" name="retour" value={returnTo} />;
}

function withReturn(path: string, returnTo: string | undefined): string {
  return returnTo === undefined ? path : `${path}?retour=${encodeURIComponent(returnTo)}`;
}

export interface SignInPageProps {
  csrfToken: string;
  returnTo?: string;
  email?: string;
  errors?: Record<string, string | undefined>;
  notice?: string;
}

/** Sign-in: password, or a link by e-mail; sign-up for newcomers. */
export function SignInPage(props: SignInPageProps): Html {
  const errors = props.errors ?? {};
  return (
    <Layout title="Se connecter">
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-6">
          <h1>Se connecter</h1>
          {props.notice === undefined ? null : (
            <div class="fr-alert fr-alert--info fr-mb-3w">
              <p>{props.notice}</p>
            </div>
          )}
          <ErrorSummary errors={errors} />
          <form method="post" action="/connexion" novalidate>
            <CsrfField token={props.csrfToken} />
            {returnField(props.returnTo)}
            <Input name="email" label="Adresse e-mail" type="email" autocomplete="email" value={props.email} error={errors.email} hint="Format attendu : nom@domaine.fr" />
            <Input name="motDePasse" label="Mot de passe" type="password" autocomplete="current-password" error={errors.motDePasse} />
            <button class="fr-btn fr-mt-2w" type="submit">
              Se connecter
            </button>
          </form>
          <p class="fr-mt-3w">
            <a class="fr-link" href={withReturn('/connexion/lien', props.returnTo)}>
              Recevoir un lien de connexion par e-mail (sans mot de passe)
            </a>
          </p>
          <p>
            <a class="fr-link" href="/mot-de-passe-oublie">
              Mot de passe oublié
            </a>
          </p>
        </div>
        <div class="fr-col-12 fr-col-md-6">
          <h2>Vous n’avez pas de compte ?</h2>
          <p>Créez-le en une minute pour prendre et suivre vos rendez-vous.</p>
          <a class="fr-btn fr-btn--secondary" href={withReturn('/inscription', props.returnTo)}>
            Créer un compte
          </a>
        </div>
      </div>
    </Layout>
  );
}

export interface SignUpPageProps {
  csrfToken: string;
  returnTo?: string;
  values?: { prenom?: string; nom?: string; email?: string };
  errors?: Record<string, string | undefined>;
  passwordHint: string;
}

/** Sign-up form. */
export function SignUpPage(props: SignUpPageProps): Html {
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  return (
    <Layout title="Créer un compte">
      <div class="fr-grid-row">
        <div class="fr-col-12 fr-col-md-8">
          <h1>Créer un compte</h1>
          <p class="fr-text--sm">Tous les champs sont obligatoires.</p>
          <ErrorSummary errors={errors} />
          <form method="post" action="/inscription" novalidate>
            <CsrfField token={props.csrfToken} />
            {returnField(props.returnTo)}
            <Input name="prenom" label="Prénom" autocomplete="given-name" value={values.prenom} error={errors.prenom} />
            <Input name="nom" label="Nom" autocomplete="family-name" value={values.nom} error={errors.nom} />
            <Input name="email" label="Adresse e-mail" type="email" autocomplete="email" value={values.email} error={errors.email} hint="Format attendu : nom@domaine.fr" />
            <Input name="motDePasse" label="Mot de passe" type="password" autocomplete="new-password" error={errors.motDePasse} hint={props.passwordHint} />
            <button class="fr-btn fr-mt-2w" type="submit">
              Créer mon compte
            </button>
          </form>
        </div>
      </div>
    </Layout>
  );
}

/** Passwordless link request. */
export function LinkRequestPage(props: { csrfToken: string; returnTo?: string; email?: string; errors?: Record<string, string | undefined> }): Html {
  const errors = props.errors ?? {};
  return (
    <Layout title="Recevoir un lien de connexion">
      <h1>Recevoir un lien de connexion</h1>
      <p>Nous vous envoyons par e-mail un lien qui vous connecte sans mot de passe. Il est valable 15 minutes.</p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/connexion/lien" novalidate>
        <CsrfField token={props.csrfToken} />
        {returnField(props.returnTo)}
        <Input name="email" label="Adresse e-mail" type="email" autocomplete="email" value={props.email} error={errors.email} hint="Format attendu : nom@domaine.fr" />
        <button class="fr-btn fr-mt-2w" type="submit">
          Recevoir le lien
        </button>
      </form>
    </Layout>
  );
}

/** "Check your mailbox" after a sign-up or a link request. */
export function CheckMailboxPage(props: { title: string; message: string }): Html {
  return (
    <Layout title={props.title}>
      <h1>{props.title}</h1>
      <div class="fr-alert fr-alert--success fr-mb-3w">
        <p>{props.message}</p>
      </div>
      <p>Pensez à regarder dans les courriers indésirables. Le lien est personnel : ne le transférez pas.</p>
    </Layout>
  );
}

/**
 * The page an e-mailed link opens: a button that posts the token back (the GET never acts, so a
 * link opened by a mail scanner or planted by someone else signs nobody in).
 */
export function LinkActionPage(props: {
  csrfToken: string;
  title: string;
  message: string;
  action: string;
  token: string;
  returnTo?: string | undefined;
  button: string;
  /** Asks for a password before acting (the activation of an account). */
  password?: { label: string; error?: string | undefined } | undefined;
}): Html {
  return (
    <Layout title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      {props.password?.error === undefined ? null : <ErrorSummary errors={{ motDePasse: props.password.error }} />}
      <form method="post" action={props.action} novalidate>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="jeton" value={props.token} />
        {returnField(props.returnTo)}
        {props.password === undefined ? null : (
          <Input name="motDePasse" label={props.password.label} type="password" autocomplete="current-password" error={props.password.error} />
        )}
        <button class="fr-btn" type="submit">
          {props.button}
        </button>
      </form>
    </Layout>
  );
}

/** "Mot de passe oublié": asks for the e-mail address. */
export function ForgotPasswordPage(props: { csrfToken: string; email?: string; errors?: Record<string, string | undefined> }): Html {
  const errors = props.errors ?? {};
  return (
    <Layout title="Mot de passe oublié">
      <h1>Mot de passe oublié</h1>
      <p>Nous vous envoyons par e-mail un lien pour choisir un nouveau mot de passe. Il est valable 1 heure.</p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/mot-de-passe-oublie" novalidate>
        <CsrfField token={props.csrfToken} />
        <Input name="email" label="Adresse e-mail" type="email" autocomplete="email" value={props.email} error={errors.email} hint="Format attendu : nom@domaine.fr" />
        <button class="fr-btn fr-mt-2w" type="submit">
          Recevoir le lien
        </button>
      </form>
    </Layout>
  );
}

/** The reset link's page: a new password, the token in a hidden field. */
export function NewPasswordPage(props: { csrfToken: string; token: string; passwordHint: string; errors?: Record<string, string | undefined> }): Html {
  const errors = props.errors ?? {};
  return (
    <Layout title="Choisir un nouveau mot de passe">
      <h1>Choisir un nouveau mot de passe</h1>
      <ErrorSummary errors={errors} />
      <form method="post" action="/mot-de-passe/nouveau" novalidate>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="jeton" value={props.token} />
        <Input name="motDePasse" label="Nouveau mot de passe" type="password" autocomplete="new-password" error={errors.motDePasse} hint={props.passwordHint} />
        <button class="fr-btn fr-mt-2w" type="submit">
          Enregistrer et me connecter
        </button>
      </form>
    </Layout>
  );
}
