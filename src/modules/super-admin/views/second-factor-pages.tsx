import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary, Input } from '../../../platform/views/forms.js';
import { Fragment, h, raw, type Html } from '../../../platform/views/jsx.js';
import { Layout } from '../../../platform/views/layout.js';
import { groupSecret } from '../domain/totp.js';

export interface SecondFactorPageProps {
  csrfToken: string;
  /** Present on the first sign-in: the secret to add to an authenticator app. */
  enrolment?: { secret: string; uri: string; qrSvg: string };
  errors?: Record<string, string | undefined>;
}

/**
 * The second step of a super admin's sign-in (ADR 0032): on the first sign-in, the secret (QR
 * code, grouped text, otpauth URI) and its first code; afterwards, the code only.
 */
export function SecondFactorPage(props: SecondFactorPageProps): Html {
  const errors = props.errors ?? {};
  const enrolment = props.enrolment;
  return (
    <Layout title={enrolment === undefined ? 'Code de vérification' : 'Activer la double authentification'}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-8">
          <h1>{enrolment === undefined ? 'Code de vérification' : 'Activer la double authentification'}</h1>
          <ErrorSummary errors={errors} />
          {enrolment === undefined ? (
            <p>Votre compte est un compte de super administrateur : saisissez le code à 6 chiffres affiché par votre application d’authentification.</p>
          ) : (
            <>
              <p>
                Votre compte est un compte de super administrateur : chaque connexion demande, après le mot de passe, un code à usage unique. Ajoutez Créneau à une
                application d’authentification (FreeOTP, Aegis, Google Authenticator…), puis saisissez le premier code qu’elle affiche.
              </p>
              <div class="fr-grid-row fr-grid-row--gutters fr-mb-3w">
                <div class="fr-col-12 fr-col-md-4">
                  <figure class="fr-m-0 creneau-qr" role="group" aria-labelledby="qr-legende">
                    {raw(enrolment.qrSvg)}
                    <figcaption id="qr-legende" class="fr-text--sm">
                      QR code à scanner avec l’application
                    </figcaption>
                  </figure>
                </div>
                <div class="fr-col-12 fr-col-md-8">
                  <p class="fr-mb-1w">Ou saisissez cette clé dans l’application (type « basé sur le temps ») :</p>
                  <p class="fr-text--lg fr-mb-2w">
                    <code id="cle-totp">{groupSecret(enrolment.secret)}</code>
                  </p>
                  <details>
                    <summary>Adresse otpauth complète</summary>
                    <p class="fr-text--sm">
                      <code id="uri-totp">{enrolment.uri}</code>
                    </p>
                  </details>
                </div>
              </div>
            </>
          )}
          <form method="post" action="/agents/connexion/code" novalidate>
            <CsrfField token={props.csrfToken} />
            <Input name="code" label="Code à 6 chiffres" hint="Exemple : 123456. Un nouveau code s’affiche toutes les 30 secondes." autocomplete="one-time-code" inputmode="numeric" error={errors.code} />
            <button class="fr-btn fr-mt-2w" type="submit">
              {enrolment === undefined ? 'Valider' : 'Activer et me connecter'}
            </button>
          </form>
          <p class="fr-mt-3w">
            <a class="fr-link" href="/agents/connexion">
              Revenir à la connexion
            </a>
          </p>
        </div>
      </div>
    </Layout>
  );
}
