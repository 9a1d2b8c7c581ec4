// Form pieces shared by the opening period and absence forms (DSFR markup, no script needed:
// every field is visible; the recurrence fields say which choice they belong to).
import { Fragment, h, type Child, type Html } from '../../../platform/views/jsx.js';
import { MAX_RECURRENCE_COUNT, MAX_RECURRENCE_INTERVAL, WEEKDAY_CODES } from '../domain/recurrence-form.js';

/** What a form shows: the values typed (kept on a 422) or loaded. */
export type FormValues = Readonly<Record<string, string | readonly string[] | undefined>>;

export function textOf(values: FormValues, name: string): string {
  const value = values[name];
  return typeof value === 'string' ? value : '';
}

export function listOf(values: FormValues, name: string): readonly string[] {
  const value = values[name];
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

function ErrorText(props: { name: string; error: string | undefined }): Html {
  return props.error === undefined ? (
    <></>
  ) : (
    <p class="fr-error-text" id={`${props.name}-erreur`}>
      {props.error}
    </p>
  );
}

/** A DSFR input of a given type (date, time, number, text). */
export function Field(props: {
  name: string;
  label: string;
  type: 'text' | 'date' | 'time' | 'number';
  values: FormValues;
  errors: Record<string, string | undefined>;
  hint?: string;
  required?: boolean;
  min?: string;
  max?: string;
}): Html {
  const error = props.errors[props.name];
  return (
    <div class={error === undefined ? 'fr-input-group' : 'fr-input-group fr-input-group--error'}>
      <label class="fr-label" for={props.name}>
        {props.label}
        {props.required === false ? ' (facultatif)' : ''}
        {props.hint === undefined ? null : <span class="fr-hint-text">{props.hint}</span>}
      </label>
      <input
        class={error === undefined ? 'fr-input' : 'fr-input fr-input--error'}
        type={props.type}
        id={props.name}
        name={props.name}
        value={textOf(props.values, props.name)}
        min={props.min}
        max={props.max}
        aria-invalid={error === undefined ? undefined : 'true'}
        aria-describedby={error === undefined ? undefined : `${props.name}-erreur`}
      />
      <ErrorText name={props.name} error={error} />
    </div>
  );
}

/** A DSFR select. */
export function Select(props: {
  name: string;
  label: string;
  options: readonly { value: string; label: string }[];
  values: FormValues;
  errors: Record<string, string | undefined>;
  hint?: string;
}): Html {
  const error = props.errors[props.name];
  const selected = textOf(props.values, props.name);
  return (
    <div class={error === undefined ? 'fr-select-group' : 'fr-select-group fr-select-group--error'}>
      <label class="fr-label" for={props.name}>
        {props.label}
        {props.hint === undefined ? null : <span class="fr-hint-text">{props.hint}</span>}
      </label>
      <select
        class={error === undefined ? 'fr-select' : 'fr-select fr-select--error'}
        id={props.name}
        name={props.name}
        aria-invalid={error === undefined ? undefined : 'true'}
        aria-describedby={error === undefined ? undefined : `${props.name}-erreur`}
      >
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === selected}>
            {option.label}
          </option>
        ))}
      </select>
      <ErrorText name={props.name} error={error} />
    </div>
  );
}

/** A DSFR fieldset of checkboxes sharing one name (sent as a list). */
export function CheckboxList(props: {
  name: string;
  legend: string;
  hint?: string;
  options: readonly { value: string; label: string }[];
  values: FormValues;
  errors: Record<string, string | undefined>;
  inline?: boolean;
}): Html {
  const error = props.errors[props.name];
  const ticked = new Set(listOf(props.values, props.name));
  const legendId = `${props.name}-legende`;
  return (
    <fieldset class={error === undefined ? 'fr-fieldset' : 'fr-fieldset fr-fieldset--error'} id={props.name} aria-labelledby={legendId} role="group">
      <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id={legendId}>
        {props.legend}
        {props.hint === undefined ? null : <span class="fr-hint-text">{props.hint}</span>}
      </legend>
      {props.options.length === 0 ? <p class="fr-fieldset__element">Aucun choix possible.</p> : null}
      {props.options.map((option) => (
        <div class={props.inline === true ? 'fr-fieldset__element fr-fieldset__element--inline' : 'fr-fieldset__element'}>
          <div class="fr-checkbox-group">
            <input type="checkbox" id={`${props.name}-${option.value}`} name={props.name} value={option.value} checked={ticked.has(option.value)} />
            <label class="fr-label" for={`${props.name}-${option.value}`}>
              {option.label}
            </label>
          </div>
        </div>
      ))}
      <div class="fr-messages-group">
        <ErrorText name={props.name} error={error} />
      </div>
    </fieldset>
  );
}

/** A DSFR fieldset of radio buttons. */
export function RadioList(props: {
  name: string;
  legend: string;
  options: readonly { value: string; label: string; children?: Child }[];
  values: FormValues;
  errors: Record<string, string | undefined>;
  fallback: string;
}): Html {
  const error = props.errors[props.name];
  const chosen = textOf(props.values, props.name) === '' ? props.fallback : textOf(props.values, props.name);
  const legendId = `${props.name}-legende`;
  return (
    <fieldset class={error === undefined ? 'fr-fieldset' : 'fr-fieldset fr-fieldset--error'} id={props.name} aria-labelledby={legendId} role="radiogroup">
      <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id={legendId}>
        {props.legend}
      </legend>
      {props.options.map((option) => (
        <div class="fr-fieldset__element">
          <div class="fr-radio-group">
            <input type="radio" id={`${props.name}-${option.value}`} name={props.name} value={option.value} checked={chosen === option.value} />
            <label class="fr-label" for={`${props.name}-${option.value}`}>
              {option.label}
            </label>
          </div>
          {option.children ?? null}
        </div>
      ))}
      <div class="fr-messages-group">
        <ErrorText name={props.name} error={error} />
      </div>
    </fieldset>
  );
}

const WEEKDAY_LABELS = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche'];
const WEEKDAY_OPTIONS = WEEKDAY_CODES.map((code, index) => ({ value: code, label: WEEKDAY_LABELS[index] ?? code }));
const RANK_OPTIONS = [
  { value: '1', label: '1er' },
  { value: '2', label: '2e' },
  { value: '3', label: '3e' },
  { value: '4', label: '4e' },
  { value: '-1', label: 'Dernier' },
];

/** The recurrence pieces: none / weekly on days every N weeks / monthly Nth weekday every N months; the end. */
export function RecurrenceFields(props: { values: FormValues; errors: Record<string, string | undefined> }): Html {
  const { values, errors } = props;
  return (
    <>
      <RadioList
        name="repetition"
        legend="Répétition"
        fallback="aucune"
        values={values}
        errors={errors}
        options={[
          { value: 'aucune', label: 'Une seule fois, le premier jour' },
          {
            value: 'hebdomadaire',
            label: 'Chaque semaine, ou toutes les N semaines',
            children: (
              <div class="fr-ml-4w fr-mt-1w">
                <CheckboxList name="jours" legend="Jours de la semaine" options={WEEKDAY_OPTIONS} values={values} errors={errors} inline />
                <Field name="intervalleSemaines" label="Toutes les … semaines" hint={`1 = chaque semaine, 2 = une semaine sur deux (au plus ${String(MAX_RECURRENCE_INTERVAL)})`} type="number" min="1" max={String(MAX_RECURRENCE_INTERVAL)} values={{ intervalleSemaines: '1', ...values }} errors={errors} />
              </div>
            ),
          },
          {
            value: 'mensuelle',
            label: 'Chaque mois, un jour de la semaine donné (ex. : le 2e mardi)',
            children: (
              <div class="fr-ml-4w fr-mt-1w">
                <Select name="rang" label="Semaine du mois" options={RANK_OPTIONS} values={values} errors={errors} />
                <Select name="jourDuMois" label="Jour" options={WEEKDAY_OPTIONS} values={values} errors={errors} />
                <Field name="intervalleMois" label="Tous les … mois" hint={`1 = chaque mois (au plus ${String(MAX_RECURRENCE_INTERVAL)})`} type="number" min="1" max={String(MAX_RECURRENCE_INTERVAL)} values={{ intervalleMois: '1', ...values }} errors={errors} />
              </div>
            ),
          },
        ]}
      />
      <RadioList
        name="fin"
        legend="Fin de la répétition"
        fallback="jamais"
        values={values}
        errors={errors}
        options={[
          { value: 'jamais', label: 'Jamais' },
          { value: 'date', label: 'À une date', children: <div class="fr-ml-4w"><Field name="dateFin" label="Dernier jour possible" type="date" values={values} errors={errors} /></div> },
          {
            value: 'nombre',
            label: 'Après un nombre de fois',
            children: <div class="fr-ml-4w"><Field name="nombreOccurrences" label="Nombre de fois" hint={`Entre 1 et ${String(MAX_RECURRENCE_COUNT)}`} type="number" min="1" max={String(MAX_RECURRENCE_COUNT)} values={values} errors={errors} /></div>,
          },
        ]}
      />
    </>
  );
}
