// Form pieces of the administration pages (DSFR markup): selects, text areas, checkboxes, and the
// page frame in the « Administration » section.
import { ErrorText } from '../../../platform/views/forms.js';
import { Fragment, h, type Child, type Html } from '../../../platform/views/jsx.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';

export interface PageBase {
  readonly principal: AgentPrincipal;
  readonly organisationId: number;
  readonly csrfToken: string;
}

export function adminBase(organisationId: number): string {
  return `/agents/organisations/${String(organisationId)}/administration`;
}

export function AdminPage(props: PageBase & { title: string; errors?: Record<string, string> | undefined; breadcrumb?: readonly { label: string; href: string }[] | null; children?: Child }): Html {
  const failed = props.errors !== undefined && Object.keys(props.errors).length > 0;
  const trail = [{ label: 'Administration', href: adminBase(props.organisationId) }, ...(props.breadcrumb ?? [])];
  return (
    <AgentLayout title={failed ? `Erreur : ${props.title}` : props.title} principal={props.principal} organisationId={props.organisationId} section="organisation" csrfToken={props.csrfToken}>
      {props.breadcrumb === null ? null : (
      <nav role="navigation" class="fr-breadcrumb fr-mt-0 fr-mb-2w" aria-label="vous êtes ici :">
        <ol class="fr-breadcrumb__list">
          {trail.map((item) => (
            <li>
              <a class="fr-breadcrumb__link" href={item.href}>
                {item.label}
              </a>
            </li>
          ))}
          <li>
            <a class="fr-breadcrumb__link" aria-current="page">
              {props.title}
            </a>
          </li>
        </ol>
      </nav>
      )}
      {props.children}
    </AgentLayout>
  );
}

export function Notice(props: { notice: string | undefined; kind?: 'success' | 'warning' | 'error' }): Html {
  if (props.notice === undefined) return <></>;
  return (
    <div class={`fr-alert fr-alert--${props.kind ?? 'success'} fr-alert--sm fr-mb-3w`} role={props.kind === 'error' ? 'alert' : 'status'}>
      <p>{props.notice}</p>
    </div>
  );
}

export function Select(props: {
  name: string;
  label: string;
  hint?: string;
  value: string;
  options: readonly (readonly [string, string])[];
  error?: string | undefined;
  empty?: string;
  optional?: boolean;
}): Html {
  const failed = props.error !== undefined;
  return (
    <div class={failed ? 'fr-select-group fr-select-group--error' : 'fr-select-group'}>
      <label class="fr-label" for={props.name}>
        {props.label}
        {props.optional === true ? ' (facultatif)' : ''}
        {props.hint === undefined ? null : <span class="fr-hint-text">{props.hint}</span>}
      </label>
      <select class={failed ? 'fr-select fr-select--error' : 'fr-select'} id={props.name} name={props.name} aria-describedby={failed ? `${props.name}-erreur` : undefined} aria-invalid={failed ? 'true' : undefined}>
        {props.empty === undefined ? null : <option value="">{props.empty}</option>}
        {props.options.map(([value, label]) => (
          <option value={value} selected={props.value === value}>
            {label}
          </option>
        ))}
      </select>
      <ErrorText name={props.name} error={props.error} />
    </div>
  );
}

export function TextArea(props: { name: string; label: string; hint?: string; value: string; error?: string | undefined }): Html {
  const failed = props.error !== undefined;
  return (
    <div class={failed ? 'fr-input-group fr-input-group--error' : 'fr-input-group'}>
      <label class="fr-label" for={props.name}>
        {props.label} (facultatif)
        {props.hint === undefined ? null : <span class="fr-hint-text">{props.hint}</span>}
      </label>
      <textarea class={failed ? 'fr-input fr-input--error' : 'fr-input'} id={props.name} name={props.name} rows="3" aria-describedby={failed ? `${props.name}-erreur` : undefined} aria-invalid={failed ? 'true' : undefined}>
        {props.value}
      </textarea>
      <ErrorText name={props.name} error={props.error} />
    </div>
  );
}

export function Checkbox(props: { name: string; label: string; hint?: string; checked: boolean; error?: string | undefined }): Html {
  const failed = props.error !== undefined;
  return (
    <div class={failed ? 'fr-checkbox-group fr-checkbox-group--error' : 'fr-checkbox-group'}>
      <input type="checkbox" id={props.name} name={props.name} value="oui" checked={props.checked} aria-describedby={failed ? `${props.name}-erreur` : undefined} />
      <label class="fr-label" for={props.name}>
        {props.label}
        {props.hint === undefined ? null : <span class="fr-hint-text">{props.hint}</span>}
      </label>
      <ErrorText name={props.name} error={props.error} />
    </div>
  );
}

export function Fieldset(props: { id: string; legend: string; children?: Child }): Html {
  return (
    <fieldset class="fr-fieldset" aria-labelledby={`legende-${props.id}`}>
      <legend class="fr-fieldset__legend" id={`legende-${props.id}`}>
        {props.legend}
      </legend>
      <div class="fr-fieldset__element">{props.children}</div>
    </fieldset>
  );
}
