import { zoneLabel } from '../../../platform/views/format.js';
import { h, type Html } from '../../../platform/views/jsx.js';
import { addDays, dayNumberToIsoDate } from '../../../shared/time/index.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import type { DaySheetModel } from '../agenda.use-cases.js';
import { statusDisplay } from '../domain/appointment-status.js';
import { appointmentTitle, formatDayWithYear, formatTimeRange } from './agenda-format.js';

/** The printable list of a place's day: time, agents, participants and their phones, motif (app.css has its print styles). */
export function DaySheetPage(props: { principal: AgentPrincipal; csrfToken: string; model: DaySheetModel }): Html {
  const { model } = props;
  const organisationId = model.organisation.id;
  const base = `/agents/organisations/${String(organisationId)}/lieux/${String(model.place.id)}/journee`;
  const title = `${model.place.name} — ${formatDayWithYear(model.day)}`;
  return (
    <AgentLayout title={`Liste du jour : ${title}`} principal={props.principal} organisationId={organisationId} section="agenda" csrfToken={props.csrfToken}>
      <h1 class="fr-h2">Rendez-vous du {formatDayWithYear(model.day)}</h1>
      <p class="fr-text--lead fr-mb-1w">
        {model.place.name} — {model.place.address}
      </p>
      <p>Horaires en {zoneLabel(model.place.timeZone)}.</p>
      <nav class="agenda-no-print fr-mb-2w" aria-label="Jour affiché">
        <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
          <li>
            <a class="fr-btn fr-btn--secondary" href={`${base}?date=${dayNumberToIsoDate(addDays(model.day, -1))}`}>
              Jour précédent
            </a>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={`${base}?date=${dayNumberToIsoDate(addDays(model.day, 1))}`}>
              Jour suivant
            </a>
          </li>
          <li>
            <a class="fr-btn fr-btn--tertiary" href={`/agents/organisations/${String(organisationId)}/agenda?vue=jour&lieu=${String(model.place.id)}&date=${dayNumberToIsoDate(model.day)}`}>
              Agenda du lieu
            </a>
          </li>
        </ul>
        <p class="fr-text--sm">Pour imprimer cette liste, utilisez la commande Imprimer de votre navigateur : l’en-tête et les menus ne sont pas imprimés.</p>
      </nav>
      {model.appointments.length === 0 ? (
        <p>Aucun rendez-vous ce jour à ce lieu.</p>
      ) : (
        <div class="fr-table fr-table--bordered agenda-day-sheet">
          <div class="fr-table__wrapper">
            <div class="fr-table__container">
              <div class="fr-table__content">
                <table>
                  <caption>
                    {model.appointments.length === 1 ? '1 rendez-vous' : `${String(model.appointments.length)} rendez-vous`} — {title}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Heure</th>
                      <th scope="col">Agents</th>
                      <th scope="col">Participants</th>
                      <th scope="col">Téléphone</th>
                      <th scope="col">Motif</th>
                      <th scope="col">Statut</th>
                    </tr>
                  </thead>
                  <tbody>
                    {model.appointments.map((appointment) => {
                      const people = appointment.participants.filter((participant) => !participant.isCancelled);
                      const status = statusDisplay(appointment.status, appointment.startsAtEpochMinutes, model.nowEpochMinutes);
                      return (
                        <tr>
                          <th scope="row">{formatTimeRange(model.place.timeZone, appointment.startsAtEpochMinutes, appointment.endsAtEpochMinutes)}</th>
                          <td>{appointment.agentIds.map((id) => model.agentNames.get(id) ?? 'agent d’une autre organisation').join(', ')}</td>
                          <td>{people.length === 0 ? 'Aucun participant' : people.map((person) => `${person.firstName} ${person.lastName}`).join(', ')}</td>
                          <td>{people.map((person) => person.phoneNumber ?? 'non renseigné').join(', ')}</td>
                          <td>{appointmentTitle(appointment)}</td>
                          <td>{status.label}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      )}
      {model.cancelledCount > 0 ? (
        <p class="fr-text--sm">{model.cancelledCount === 1 ? '1 rendez-vous annulé ou excusé n’est pas listé.' : `${String(model.cancelledCount)} rendez-vous annulés ou excusés ne sont pas listés.`}</p>
      ) : null}
    </AgentLayout>
  );
}
