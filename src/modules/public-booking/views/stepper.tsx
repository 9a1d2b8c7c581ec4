import { h, type Html } from '../../../platform/views/jsx.js';

const STEPS = ['Votre adresse', 'Le motif', 'Le lieu et l’horaire', 'Vos informations', 'Confirmation'];

/** DSFR stepper of the funnel. */
export function Stepper(props: { current: number }): Html {
  const title = STEPS[props.current - 1] ?? '';
  const next = STEPS[props.current];
  return (
    <div class="fr-stepper">
      <h2 class="fr-stepper__title">
        {title}
        <span class="fr-stepper__state">{`Étape ${String(props.current)} sur ${String(STEPS.length)}`}</span>
      </h2>
      <div class="fr-stepper__steps" data-fr-current-step={String(props.current)} data-fr-steps={String(STEPS.length)}></div>
      {next === undefined ? null : (
        <p class="fr-stepper__details">
          <span class="fr-text--bold">Étape suivante :</span> {next}
        </p>
      )}
    </div>
  );
}
