import { formatDayLong, formatSlotLong, formatTime } from '../../../platform/views/format.js';
import { ErrorSummary } from '../../../platform/views/forms.js';
import { Fragment, h, type Html } from '../../../platform/views/jsx.js';
import { dayNumberToIsoDate, type DayNumber } from '../../../shared/time/index.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import { wizardHref, type FoundSlot, type SlotGroup } from '../domain/slot-search.js';
import type { SlotSearchModel, SlotSearchResult } from '../slot-search.use-cases.js';

export interface SlotSearchPageProps {
  readonly principal: AgentPrincipal;
  readonly csrfToken: string;
  readonly model: SlotSearchModel;
}

const REMOTE_LABELS: Readonly<Record<string, string>> = {
  phone: 'Par téléphone',
  home: 'À domicile',
  visio: 'En visioconférence',
};

function searchPath(organisationId: number): string {
  return `/agents/organisations/${String(organisationId)}/creneaux`;
}

/** The same search on another week. */
function weekHref(model: SlotSearchModel, fromDay: DayNumber): string {
  const query = new URLSearchParams();
  const { query: search } = model;
  if (search.motifId !== undefined) query.set('motif', String(search.motifId));
  for (const id of search.agentIds) query.append('agents', String(id));
  for (const id of search.teamIds) query.append('equipes', String(id));
  for (const id of search.placeIds) query.append('lieux', String(id));
  if (search.partnerId !== undefined) query.set('binome', String(search.partnerId));
  query.set('du', dayNumberToIsoDate(fromDay));
  return `${searchPath(model.organisationId)}?${query.toString()}`;
}

function agentNames(model: SlotSearchModel, agentIds: readonly number[]): string {
  return agentIds
    .map((id) => model.agents.find((agent) => agent.id === id))
    .map((agent) => (agent === undefined ? 'un agent' : `${agent.firstName} ${agent.lastName}`))
    .join(' et ');
}

function groupLabel(model: SlotSearchModel, result: SlotSearchResult, group: SlotGroup): string {
  if (group.placeId === null) return REMOTE_LABELS[result.motif.locationType] ?? 'Sans lieu';
  return model.places.find((place) => place.id === group.placeId)?.name ?? 'Lieu';
}

function SlotLink(props: { model: SlotSearchModel; result: SlotSearchResult; slot: FoundSlot; withDay: boolean }): Html {
  const { model, result, slot } = props;
  const when = props.withDay ? formatSlotLong(slot) : formatTime(slot.timeZone, slot.startsAtEpochMinutes);
  return <a href={wizardHref(model.organisationId, result.motif.id, slot)}>{`${when} avec ${agentNames(model, slot.agentIds)}`}</a>;
}

function Checkboxes(props: { legend: string; hint?: string; name: string; options: readonly { id: number; label: string }[]; checked: readonly number[] }): Html {
  const checked = new Set(props.checked);
  return (
    <fieldset class="fr-fieldset" id={`${props.name}-choix`} aria-labelledby={`${props.name}-legende`}>
      <legend class="fr-fieldset__legend fr-text--regular" id={`${props.name}-legende`}>
        {props.legend}
        {props.hint === undefined ? null : <span class="fr-hint-text">{props.hint}</span>}
      </legend>
      {props.options.map((option) => (
        <div class="fr-fieldset__element fr-fieldset__element--inline">
          <div class="fr-checkbox-group fr-checkbox-group--sm">
            <input type="checkbox" name={props.name} id={`${props.name}-${String(option.id)}`} value={String(option.id)} checked={checked.has(option.id)} />
            <label class="fr-label" for={`${props.name}-${String(option.id)}`}>
              {option.label}
            </label>
          </div>
        </div>
      ))}
    </fieldset>
  );
}

function FieldError(props: { id: string; error: string | undefined }): Html {
  return props.error === undefined ? <></> : <p class="fr-error-text" id={`${props.id}-erreur`}>{props.error}</p>;
}

function SearchForm(props: { model: SlotSearchModel }): Html {
  const { model } = props;
  const { errors, query } = model;
  const fromValue = dayNumberToIsoDate(model.fromDay);
  return (
    <form method="get" action={searchPath(model.organisationId)} class="agenda-selector fr-mb-4w">
      <div class="agenda-selector__row">
        <div class={errors.motif === undefined ? 'fr-select-group' : 'fr-select-group fr-select-group--error'}>
          <label class="fr-label" for="motif">
            Motif
          </label>
          <select class="fr-select" id="motif" name="motif" aria-describedby={errors.motif === undefined ? undefined : 'motif-erreur'}>
            <option value="" selected={query.motifId === undefined}>
              Choisir un motif
            </option>
            {model.motifs.map((motif) => (
              <option value={String(motif.id)} selected={motif.id === query.motifId}>
                {`${motif.name} (${String(motif.durationMinutes)} min)`}
              </option>
            ))}
          </select>
          <FieldError id="motif" error={errors.motif} />
        </div>
        <div class={errors.binome === undefined ? 'fr-select-group' : 'fr-select-group fr-select-group--error'}>
          <label class="fr-label" for="binome">
            Binôme
            <span class="fr-hint-text">Un second agent présent aussi pendant tout le rendez-vous</span>
          </label>
          <select class="fr-select" id="binome" name="binome" aria-describedby={errors.binome === undefined ? undefined : 'binome-erreur'}>
            <option value="" selected={query.partnerId === undefined}>
              Sans binôme
            </option>
            {model.agents.map((agent) => (
              <option value={String(agent.id)} selected={agent.id === query.partnerId}>
                {`${agent.firstName} ${agent.lastName}`}
              </option>
            ))}
          </select>
          <FieldError id="binome" error={errors.binome} />
        </div>
        <div class={errors.du === undefined ? 'fr-input-group' : 'fr-input-group fr-input-group--error'}>
          <label class="fr-label" for="du">
            À partir du
            <span class="fr-hint-text">Format attendu : JJ/MM/AAAA</span>
          </label>
          <input
            class={errors.du === undefined ? 'fr-input' : 'fr-input fr-input--error'}
            type="date"
            id="du"
            name="du"
            value={fromValue}
            aria-invalid={errors.du === undefined ? undefined : 'true'}
            aria-describedby={errors.du === undefined ? undefined : 'du-erreur'}
          />
          <FieldError id="du" error={errors.du} />
        </div>
      </div>
      <Checkboxes
        legend="Agents"
        hint="Aucun agent ni équipe cochés : tous les agents dont vous voyez l’agenda."
        name="agents"
        options={model.agents.map((agent) => ({ id: agent.id, label: `${agent.firstName} ${agent.lastName}` }))}
        checked={query.agentIds}
      />
      {model.teams.length === 0 ? null : (
        <Checkboxes legend="Équipes" name="equipes" options={model.teams.map((team) => ({ id: team.id, label: team.name }))} checked={query.teamIds} />
      )}
      <Checkboxes legend="Lieux" hint="Aucun coché : tous les lieux." name="lieux" options={model.places.map((place) => ({ id: place.id, label: place.name }))} checked={query.placeIds} />
      <button class="fr-btn" type="submit">
        Rechercher
      </button>
    </form>
  );
}

function NextAvailabilityTable(props: { model: SlotSearchModel; result: SlotSearchResult }): Html {
  const { model, result } = props;
  return (
    <div class="fr-table fr-mb-4w">
      <table>
        <caption>Prochaine disponibilité par lieu</caption>
        <thead>
          <tr>
            <th scope="col">Lieu</th>
            <th scope="col">Prochaine disponibilité</th>
          </tr>
        </thead>
        <tbody>
          {result.groups.map((group) => (
            <tr>
              <th scope="row">{groupLabel(model, result, group)}</th>
              <td>{group.next === null ? 'Aucune dans les six mois' : <SlotLink model={model} result={result} slot={group.next} withDay={true} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WeekOfGroup(props: { model: SlotSearchModel; result: SlotSearchResult; group: SlotGroup; index: number }): Html {
  const { model, result, group } = props;
  const label = groupLabel(model, result, group);
  const headingId = `lieu-${String(props.index)}`;
  return (
    <section class="fr-mb-4w" aria-labelledby={headingId}>
      <h3 class="fr-h5" id={headingId}>
        {label}
      </h3>
      <p>
        {'Prochaine disponibilité : '}
        {group.next === null ? 'aucune dans les six mois.' : <SlotLink model={model} result={result} slot={group.next} withDay={true} />}
      </p>
      <ul class="fr-raw-list">
        {group.days.map((day) => (
          <li class="fr-mb-2w">
            <p class="fr-text--bold fr-mb-1w">{formatDayLong(day.day)}</p>
            {day.slots.length === 0 ? (
              <p class="fr-text--sm fr-mb-0">Aucun créneau.</p>
            ) : (
              <ul class="fr-tags-group">
                {day.slots.map((slot) => (
                  <li>
                    <a class="fr-tag" href={wizardHref(model.organisationId, result.motif.id, slot)}>
                      {`${formatTime(slot.timeZone, slot.startsAtEpochMinutes)} · ${agentNames(model, slot.agentIds)}`}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function WeekNavigation(props: { model: SlotSearchModel; result: SlotSearchResult }): Html {
  const { model, result } = props;
  return (
    <nav role="navigation" class="fr-pagination fr-mb-3w" aria-label="Semaines">
      <ul class="fr-pagination__list">
        <li>
          {result.previousFromDay === null ? (
            <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" aria-disabled="true" role="link">
              Semaine précédente
            </a>
          ) : (
            <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" href={weekHref(model, result.previousFromDay)}>
              Semaine précédente
            </a>
          )}
        </li>
        <li>
          {result.nextFromDay === null ? (
            <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" aria-disabled="true" role="link">
              Semaine suivante
            </a>
          ) : (
            <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href={weekHref(model, result.nextFromDay)}>
              Semaine suivante
            </a>
          )}
        </li>
      </ul>
    </nav>
  );
}

function Results(props: { model: SlotSearchModel; result: SlotSearchResult }): Html {
  const { model, result } = props;
  const who = result.partner === null ? '' : ` avec ${result.partner.firstName} ${result.partner.lastName} en binôme`;
  return (
    <>
      <h2 class="fr-h4">{`Créneaux pour « ${result.motif.name} »${who}`}</h2>
      <p>
        {`Semaine du ${formatDayLong(result.fromDay)}. Choisir un créneau ouvre la création du rendez-vous, préremplie.`}
      </p>
      {result.groups.length === 0 ? (
        <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
          <p>Aucun créneau dans les six mois pour ces critères.</p>
        </div>
      ) : (
        <>
          <NextAvailabilityTable model={model} result={result} />
          <WeekNavigation model={model} result={result} />
          {result.groups.map((group, index) => (
            <WeekOfGroup model={model} result={result} group={group} index={index} />
          ))}
          <WeekNavigation model={model} result={result} />
        </>
      )}
    </>
  );
}

/** "Trouver un créneau": the search form, then per place the next availability and a week of slots. */
export function SlotSearchPage(props: SlotSearchPageProps): Html {
  const { model } = props;
  return (
    <AgentLayout title="Trouver un créneau" principal={props.principal} organisationId={model.organisationId} section="creneaux" csrfToken={props.csrfToken} width="fluid">
      <h1 class="fr-h2">Trouver un créneau</h1>
      <ErrorSummary errors={model.errors} />
      <SearchForm model={model} />
      {model.result === null ? null : <Results model={model} result={model.result} />}
    </AgentLayout>
  );
}
