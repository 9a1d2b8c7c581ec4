import { Fragment, h, type Html } from './jsx.js';

export interface InputProps {
  name: string;
  label: string;
  hint?: string;
  value?: string;
  error?: string;
  type?: 'text' | 'email' | 'password' | 'tel' | 'date';
  autocomplete?: string;
  required?: boolean;
  inputmode?: string;
}

/** A DSFR input group; an error is announced and tied to the field by aria-describedby. */
export function Input(props: InputProps): Html {
  const hasError = props.error !== undefined;
  const errorId = `${props.name}-erreur`;
  return (
    <div class={hasError ? 'fr-input-group fr-input-group--error' : 'fr-input-group'}>
      <label class="fr-label" for={props.name}>
        {props.label}
        {props.required === false ? ' (facultatif)' : ''}
        {props.hint === undefined ? null : <span class="fr-hint-text">{props.hint}</span>}
      </label>
      <input
        class={hasError ? 'fr-input fr-input--error' : 'fr-input'}
        type={props.type ?? 'text'}
        id={props.name}
        name={props.name}
        value={props.type === 'password' ? undefined : (props.value ?? '')}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        required={props.required !== false}
        aria-invalid={hasError ? 'true' : undefined}
        aria-describedby={hasError ? errorId : undefined}
      />
      {hasError ? (
        <p class="fr-error-text" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** Error summary at the top of a 422 page: focusable, each message links to its field. */
export function ErrorSummary(props: { errors: Record<string, string | undefined> }): Html {
  const entries = Object.entries(props.errors).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (entries.length === 0) return <></>;
  return (
    <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="erreurs" tabindex="-1">
      <h2 class="fr-alert__title">
        {entries.length === 1 ? 'Le formulaire contient une erreur' : `Le formulaire contient ${String(entries.length)} erreurs`}
      </h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            <a href={`#${field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A field's error message, tied to it by `aria-describedby="<name>-erreur"`; nothing without an error. */
export function ErrorText(props: { name: string; error: string | undefined }): Html {
  return props.error === undefined ? (
    <></>
  ) : (
    <p class="fr-error-text" id={`${props.name}-erreur`}>
      {props.error}
    </p>
  );
}

/** A form's submit button and, beside it, the « Annuler » link back to where the agent came from. */
export function SubmitOrCancel(props: { label: string; cancelHref: string; class?: string }): Html {
  return (
    <ul class={props.class ?? 'fr-btns-group fr-btns-group--inline-md'}>
      <li>
        <button class="fr-btn" type="submit">
          {props.label}
        </button>
      </li>
      <li>
        <a class="fr-btn fr-btn--secondary" href={props.cancelHref}>
          Annuler
        </a>
      </li>
    </ul>
  );
}
