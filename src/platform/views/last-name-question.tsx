import { CsrfField } from '../security/index.js';
import { ErrorSummary, Input } from './forms.js';
import { h, type Html } from './jsx.js';
import { Layout } from './layout.js';

export interface LastNameQuestionPageProps {
  /** Page title and heading, e.g. "Accéder à votre rendez-vous". */
  title: string;
  /** Why we ask, in one sentence. */
  intro: string;
  /** Whose last name (the label of the field). */
  label: string;
  submitLabel: string;
  csrfToken: string;
  action: string;
  value?: string;
  error?: string;
}

/**
 * The question that guards a link sent by e-mail or SMS (appointment links, invitations): the
 * first three letters of a last name, before anything about the person is shown.
 */
export function LastNameQuestionPage(props: LastNameQuestionPageProps): Html {
  return (
    <Layout title={props.error === undefined ? props.title : `Erreur — ${props.title}`}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <h1>{props.title}</h1>
          <ErrorSummary errors={{ lettres: props.error }} />
          <p>{props.intro}</p>
          <form method="post" action={props.action} novalidate>
            <CsrfField token={props.csrfToken} />
            <Input
              name="lettres"
              label={props.label}
              hint="Par exemple « MAR » pour Martin. Majuscules et accents n’ont pas d’importance."
              value={props.value}
              error={props.error}
              autocomplete="off"
            />
            <button class="fr-btn" type="submit">
              {props.submitLabel}
            </button>
          </form>
        </div>
      </div>
    </Layout>
  );
}
