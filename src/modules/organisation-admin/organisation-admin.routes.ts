// Pages of organisation administration (ADR 0028), under
// /agents/organisations/:organisationId/administration. Every route passes `requireAgent`,
// `requireOrganisation` and `canManageOrganisation` (admins of that organisation; anyone else
// 404); places and motifs are read with the organisation in the WHERE clause (foreign ids 404).
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError } from '../../platform/http/errors.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { csrfToken } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { agentGuards, agentOf, canManageOrganisation, organisationParams, type AgentPrincipal } from '../agents/index.js';
import { GeocoderUnavailableError, type Geocoder, type GeocodingResult } from '../geocoding/index.js';
import { timeZoneOfDepartement } from '../territory-bundles/index.js';
import { NEW_MOTIF_INPUT, checkMotifForm, motifFormInputOf, type MotifFormInput } from './domain/motif-form.js';
import { checkOrganisationForm, type OrganisationFormInput } from './domain/organisation-form.js';
import { checkPlaceForm, type FoundAddress, type PlaceFormInput } from './domain/place-form.js';
import { placeTimeZone } from './domain/time-zones.js';
import { emptyBody, motifBody, motifParams, organisationBody, placeBody, placeParams } from './organisation-admin.schemas.js';
import { findMotif, findOrganisation, findPlace, listMotifs, listPlaces, motifChoices, type MotifRecord, type OrganisationRecord, type PlaceRecord } from './organisation-admin.repository.js';
import {
  createMotif,
  createPlace,
  duplicateMotif,
  setMotifArchived,
  setPlaceArchived,
  updateMotif,
  updateOrganisationDetails,
  updatePlace,
  type PlaceToSave,
} from './organisation-admin.use-cases.js';
import { HubPage, OrganisationFormPage } from './views/organisation-pages.js';
import { MotifFormPage, MotifsPage, motifsPath } from './views/motif-pages.js';
import { PlaceConfirmPage, PlaceFormPage, PlacesPage as PlacesListPage, placesPath, type PlaceFormMode } from './views/place-pages.js';
import { adminBase } from './views/admin-components.js';

declare module 'fastify' {
  interface Session {
    /** A message shown once on the next administration page. */
    organisationAdminNotice?: string;
    /** The addresses the geocoder found for a place being saved, until the admin confirms one. */
    organisationAdminAddresses?: { organisationId: number; placeId: number | null; query: string; candidates: FoundAddress[] };
  }
}

/** Fields echoed back on a 422 are clipped: a 10 000-character value is not sent back whole. */
const clip = (value: string | undefined): string => (value ?? '').slice(0, 2000);

type PlaceBody = typeof placeBody._zod.output;
type MotifBody = typeof motifBody._zod.output;

function placeInput(body: PlaceBody): PlaceFormInput {
  return { nom: clip(body.nom), adresse: clip(body.adresse), telephone: clip(body.telephone), accessibilite: clip(body.accessibilite), fuseau: clip(body.fuseau) };
}

function motifInput(body: MotifBody): MotifFormInput {
  return {
    nom: clip(body.nom),
    couleur: clip(body.couleur),
    service: clip(body.service),
    categorie: clip(body.categorie),
    duree: clip(body.duree),
    pas: clip(body.pas),
    tamponAvant: clip(body.tamponAvant),
    tamponApres: clip(body.tamponApres),
    typeLieu: clip(body.typeLieu),
    collectif: body.collectif !== undefined,
    reservablePar: clip(body.reservablePar),
    delaiMinimum: clip(body.delaiMinimum),
    delaiMaximum: clip(body.delaiMaximum),
    delaiAnnulation: clip(body.delaiAnnulation),
    delaiReport: clip(body.delaiReport),
    restriction: clip(body.restriction),
    instructions: clip(body.instructions),
    suiviUniquement: body.suiviUniquement !== undefined,
    sectorisation: clip(body.sectorisation),
    visibilite: clip(body.visibilite),
    rappel1: clip(body.rappel1),
    rappel2: clip(body.rappel2),
  };
}

function foundAddressOf(result: GeocodingResult): FoundAddress {
  return {
    label: result.label,
    postcode: result.postcode,
    cityName: result.cityName,
    cityCode: result.cityCode,
    departementNumber: result.departementNumber,
    latitude: result.latitude,
    longitude: result.longitude,
  };
}

function placeValues(place: PlaceRecord): PlaceFormInput & { sansCoordonnees: boolean } {
  return { nom: place.name, adresse: place.address, telephone: place.phoneNumber ?? '', accessibilite: place.accessibilityNotes ?? '', fuseau: place.timeZone, sansCoordonnees: false };
}

function futureNotice(count: number): string {
  return count === 0 ? '' : ` ${String(count)} rendez-vous à venir ${count > 1 ? 'restent prévus' : 'reste prévu'} : ${count > 1 ? 'ils ne sont pas annulés' : 'il n’est pas annulé'} ; déplacez-les ou annulez-les depuis la liste des rendez-vous si besoin.`;
}

export function registerOrganisationAdminRoutes(app: ZodApp, context: AppContext, geocoder: Geocoder): void {
  const { db } = context;
  const { requireAgent, requireOrganisation } = agentGuards(context);
  const requireAdmin = (request: FastifyRequest): Promise<void> => {
    const { organisationId } = request.params as { organisationId: number };
    return canManageOrganisation(agentOf(request), organisationId) ? Promise.resolve() : Promise.reject(new NotFoundError());
  };
  const guarded = { preHandler: [requireAgent, requireOrganisation, requireAdmin] };
  const BASE = '/agents/organisations/:organisationId/administration';

  async function organisationOf(organisationId: number): Promise<OrganisationRecord> {
    const organisation = await findOrganisation(db, organisationId);
    if (organisation === undefined) throw new NotFoundError();
    return organisation;
  }

  function takeNotice(request: FastifyRequest): string | undefined {
    const notice = request.session.get('organisationAdminNotice');
    if (notice !== undefined) request.session.set('organisationAdminNotice', undefined);
    return notice;
  }

  const pageBase = (request: FastifyRequest, principal: AgentPrincipal, organisationId: number) => ({ principal, organisationId, csrfToken: csrfToken(request) });

  // -------------------------------------------------------------------------------------------
  // Hub and organisation details
  // -------------------------------------------------------------------------------------------

  app.get(BASE, { ...guarded, schema: { params: organisationParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    const organisation = await organisationOf(organisationId);
    const places = (await listPlaces(db, organisationId)).filter((place) => !place.archived).length;
    const motifs = (await listMotifs(db, organisationId)).filter((motif) => !motif.archived).length;
    return sendPage(reply, HubPage({ ...pageBase(request, principal, organisationId), organisationName: organisation.name, slug: organisation.slug, counts: { places, motifs } }), { private: true });
  });

  app.get(`${BASE}/organisation`, { ...guarded, schema: { params: organisationParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    const organisation = await organisationOf(organisationId);
    const values: OrganisationFormInput = {
      nom: organisation.name,
      telephone: organisation.phoneNumber ?? '',
      email: organisation.email ?? '',
      siteWeb: organisation.website ?? '',
      lienPublic: organisation.slug,
      identifiantExterne: organisation.externalId ?? '',
    };
    return sendPage(reply, OrganisationFormPage({ ...pageBase(request, principal, organisationId), values, notice: takeNotice(request) }), { private: true });
  });

  app.post(`${BASE}/organisation`, { ...guarded, schema: { params: organisationParams, body: organisationBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    const body = request.body;
    const values: OrganisationFormInput = {
      nom: clip(body.nom),
      telephone: clip(body.telephone),
      email: clip(body.email),
      siteWeb: clip(body.siteWeb),
      lienPublic: clip(body.lienPublic),
      identifiantExterne: clip(body.identifiantExterne),
    };
    const checked = checkOrganisationForm({ ...values, nom: body.nom ?? '', siteWeb: body.siteWeb ?? '' });
    const result = checked.ok ? await updateOrganisationDetails(db, principal, organisationId, checked.value) : ({ ok: false, reason: 'INVALID', errors: checked.errors } as const);
    if (!result.ok) {
      if (result.reason === 'NOT_FOUND') throw new NotFoundError();
      return sendPage(reply, OrganisationFormPage({ ...pageBase(request, principal, organisationId), values, errors: result.errors }), { statusCode: 422, private: true });
    }
    request.session.set('organisationAdminNotice', 'Les informations de l’organisation ont été enregistrées.');
    return reply.redirect(`${adminBase(organisationId)}/organisation`, 303);
  });

  // -------------------------------------------------------------------------------------------
  // Places
  // -------------------------------------------------------------------------------------------

  app.get(`${BASE}/lieux`, { ...guarded, schema: { params: organisationParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    return sendPage(reply, PlacesListPage({ ...pageBase(request, principal, organisationId), places: await listPlaces(db, organisationId), notice: takeNotice(request) }), { private: true });
  });

  app.get(`${BASE}/lieux/nouveau`, { ...guarded, schema: { params: organisationParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    const values = { nom: '', adresse: '', telephone: '', accessibilite: '', fuseau: '', sansCoordonnees: false };
    return sendPage(reply, PlaceFormPage({ ...pageBase(request, principal, organisationId), mode: { kind: 'create' }, values, offerWithoutCoordinates: false }), { private: true });
  });

  app.get(`${BASE}/lieux/:placeId/modifier`, { ...guarded, schema: { params: placeParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, placeId } = request.params;
    const place = await findPlace(db, organisationId, placeId);
    if (place === undefined) throw new NotFoundError();
    return sendPage(reply, PlaceFormPage({ ...pageBase(request, principal, organisationId), mode: { kind: 'edit', placeId, name: place.name }, values: placeValues(place), offerWithoutCoordinates: place.latitude === null }), {
      private: true,
    });
  });

  /**
   * The place form's one POST handler (create and edit): check the fields; then, unless the
   * address is saved as typed (explicitly) or unchanged, geocode it and show what was found; the
   * admin's confirmation (`etape=enregistrer`, `choix`) saves the address chosen among those
   * kept in the session for this very text.
   */
  async function savePlace(request: FastifyRequest, principal: AgentPrincipal, organisationId: number, body: PlaceBody, current: PlaceRecord | undefined) {
    const base = pageBase(request, principal, organisationId);
    const mode: PlaceFormMode = current === undefined ? { kind: 'create' } : { kind: 'edit', placeId: current.id, name: current.name };
    const input = placeInput(body);
    const withoutCoordinates = body.sansCoordonnees !== undefined;
    const values = { ...input, sansCoordonnees: withoutCoordinates };
    const checked = checkPlaceForm({ ...input, nom: body.nom ?? '', adresse: body.adresse ?? '', accessibilite: body.accessibilite ?? '' });
    if (!checked.ok) return { status: 422, page: PlaceFormPage({ ...base, mode, values, errors: checked.errors, offerWithoutCoordinates: withoutCoordinates }) } as const;
    if (body.etape === 'corriger') return { status: 200, page: PlaceFormPage({ ...base, mode, values, offerWithoutCoordinates: false }) } as const;
    const organisation = await organisationOf(organisationId);
    const form = checked.value;
    const save = async (place: PlaceToSave) => {
      request.session.set('organisationAdminAddresses', undefined);
      if (current === undefined) {
        await createPlace(db, principal, organisation, place);
        request.session.set('organisationAdminNotice', `Le lieu « ${form.name} » a été ajouté.`);
      } else {
        const result = await updatePlace(db, principal, organisation, current.id, place);
        if (!result.ok) throw new NotFoundError();
        request.session.set('organisationAdminNotice', `Le lieu « ${form.name} » a été modifié.`);
      }
      return { status: 303 } as const;
    };
    const territoryZone = placeTimeZone(form.timeZone, organisation.departementNumber, timeZoneOfDepartement);

    if (withoutCoordinates) return save({ form, address: form.address, latitude: null, longitude: null, timeZone: territoryZone });
    // An edit that keeps the stored address keeps its coordinates: nothing to confirm again.
    if (current !== undefined && form.address === current.address && body.etape !== 'enregistrer') {
      return save({ form, address: current.address, latitude: current.latitude, longitude: current.longitude, timeZone: form.timeZone ?? current.timeZone });
    }
    const kept = request.session.get('organisationAdminAddresses');
    if (body.etape === 'enregistrer' && kept !== undefined && kept.organisationId === organisationId && kept.placeId === (current?.id ?? null) && kept.query === form.address) {
      const chosen = kept.candidates[body.choix ?? 0];
      if (chosen !== undefined) {
        return save({ form, address: chosen.label, latitude: chosen.latitude, longitude: chosen.longitude, timeZone: placeTimeZone(form.timeZone, chosen.departementNumber, timeZoneOfDepartement) });
      }
    }

    let results: GeocodingResult[];
    try {
      results = await geocoder.search(form.address, { limit: 5 });
    } catch (error) {
      if (!(error instanceof GeocoderUnavailableError)) throw error;
      request.log.warn({ reason: error.reason }, 'geocoder unavailable');
      const errors = { adresse: 'La vérification des adresses est momentanément indisponible. Réessayez dans quelques instants, ou cochez la case pour enregistrer l’adresse sans coordonnées.' };
      return { status: 422, page: PlaceFormPage({ ...base, mode, values, errors, offerWithoutCoordinates: true }) } as const;
    }
    if (results.length === 0) {
      const errors = { adresse: 'Adresse introuvable. Vérifiez le numéro, la rue, le code postal et la commune, ou cochez la case pour enregistrer l’adresse sans coordonnées.' };
      return { status: 422, page: PlaceFormPage({ ...base, mode, values, errors, offerWithoutCoordinates: true }) } as const;
    }
    const candidates = results.map(foundAddressOf);
    request.session.set('organisationAdminAddresses', { organisationId, placeId: current?.id ?? null, query: form.address, candidates });
    return { status: 200, page: PlaceConfirmPage({ ...base, mode, values: input, candidates, zoneOf: timeZoneOfDepartement }) } as const;
  }

  app.post(`${BASE}/lieux/nouveau`, { ...guarded, schema: { params: organisationParams, body: placeBody } }, async (request, reply) => {
    const { organisationId } = request.params;
    const outcome = await savePlace(request, agentOf(request), organisationId, request.body, undefined);
    if (outcome.status === 303) return reply.redirect(placesPath(organisationId), 303);
    return sendPage(reply, outcome.page, { statusCode: outcome.status, private: true });
  });

  app.post(`${BASE}/lieux/:placeId/modifier`, { ...guarded, schema: { params: placeParams, body: placeBody } }, async (request, reply) => {
    const { organisationId, placeId } = request.params;
    const current = await findPlace(db, organisationId, placeId);
    if (current === undefined) throw new NotFoundError();
    const outcome = await savePlace(request, agentOf(request), organisationId, request.body, current);
    if (outcome.status === 303) return reply.redirect(placesPath(organisationId), 303);
    return sendPage(reply, outcome.page, { statusCode: outcome.status, private: true });
  });

  for (const [suffix, archived] of [
    ['archiver', true],
    ['desarchiver', false],
  ] as const) {
    app.post(`${BASE}/lieux/:placeId/${suffix}`, { ...guarded, schema: { params: placeParams, body: emptyBody } }, async (request, reply) => {
      const principal = agentOf(request);
      const { organisationId, placeId } = request.params;
      const organisation = await organisationOf(organisationId);
      const result = await setPlaceArchived(db, principal, organisation, placeId, archived, context.now());
      if (!result.ok) throw new NotFoundError();
      request.session.set('organisationAdminNotice', archived ? `Le lieu a été archivé : il n’est plus proposé pour de nouveaux rendez-vous.${futureNotice(result.futureAppointments)}` : 'Le lieu a été réactivé.');
      return reply.redirect(placesPath(organisationId), 303);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Motifs
  // -------------------------------------------------------------------------------------------

  app.get(`${BASE}/motifs`, { ...guarded, schema: { params: organisationParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    return sendPage(reply, MotifsPage({ ...pageBase(request, principal, organisationId), motifs: await listMotifs(db, organisationId), notice: takeNotice(request) }), { private: true });
  });

  /** The motif form's choices, and the ids it accepts; `motif`: the edited one, whose category stays offered. */
  async function choicesOf(organisation: OrganisationRecord, motif?: MotifRecord) {
    const choices = await motifChoices(db, organisation.territoryId, motif?.motifCategoryId ?? null);
    return { choices, ids: { serviceIds: new Set(choices.services.map((service) => service.id)), categoryIds: new Set(choices.categories.map((category) => category.id)) } };
  }

  app.get(`${BASE}/motifs/nouveau`, { ...guarded, schema: { params: organisationParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    const { choices } = await choicesOf(await organisationOf(organisationId));
    return sendPage(reply, MotifFormPage({ ...pageBase(request, principal, organisationId), mode: { kind: 'create' }, values: NEW_MOTIF_INPUT, choices }), { private: true });
  });

  app.post(`${BASE}/motifs/nouveau`, { ...guarded, schema: { params: organisationParams, body: motifBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    const organisation = await organisationOf(organisationId);
    const { choices, ids } = await choicesOf(organisation);
    const values = motifInput(request.body);
    const checked = checkMotifForm({ ...values, nom: request.body.nom ?? '', restriction: request.body.restriction ?? '', instructions: request.body.instructions ?? '' }, ids);
    const result = checked.ok ? await createMotif(db, principal, organisation, checked.value) : ({ ok: false, reason: 'INVALID', errors: checked.errors } as const);
    if (!result.ok) {
      if (result.reason === 'NOT_FOUND') throw new NotFoundError();
      return sendPage(reply, MotifFormPage({ ...pageBase(request, principal, organisationId), mode: { kind: 'create' }, values, errors: result.errors, choices }), { statusCode: 422, private: true });
    }
    request.session.set('organisationAdminNotice', `Le motif « ${checked.ok ? checked.value.name : ''} » a été créé. Ajoutez-le aux plages d’ouverture des agents pour qu’il soit réservable.`);
    return reply.redirect(motifsPath(organisationId), 303);
  });

  app.get(`${BASE}/motifs/:motifId/modifier`, { ...guarded, schema: { params: motifParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, motifId } = request.params;
    const motif = await findMotif(db, organisationId, motifId);
    if (motif === undefined) throw new NotFoundError();
    const { choices } = await choicesOf(await organisationOf(organisationId), motif);
    return sendPage(
      reply,
      MotifFormPage({ ...pageBase(request, principal, organisationId), mode: { kind: 'edit', motifId, name: motif.name, archived: motif.archived }, values: motifFormInputOf(motif), choices, notice: takeNotice(request) }),
      { private: true },
    );
  });

  app.post(`${BASE}/motifs/:motifId/modifier`, { ...guarded, schema: { params: motifParams, body: motifBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, motifId } = request.params;
    const motif = await findMotif(db, organisationId, motifId);
    if (motif === undefined) throw new NotFoundError();
    const organisation = await organisationOf(organisationId);
    const { choices, ids } = await choicesOf(organisation, motif);
    // A motif of a service the territory no longer enables keeps it (the admin may still edit the rest).
    const allowed = { ...ids, serviceIds: new Set([...ids.serviceIds, motif.serviceId]) };
    const values = motifInput(request.body);
    const checked = checkMotifForm({ ...values, nom: request.body.nom ?? '', restriction: request.body.restriction ?? '', instructions: request.body.instructions ?? '' }, allowed);
    const result = checked.ok ? await updateMotif(db, principal, organisation, motifId, checked.value) : ({ ok: false, reason: 'INVALID', errors: checked.errors } as const);
    if (!result.ok) {
      if (result.reason === 'NOT_FOUND') throw new NotFoundError();
      const mode = { kind: 'edit', motifId, name: motif.name, archived: motif.archived } as const;
      return sendPage(reply, MotifFormPage({ ...pageBase(request, principal, organisationId), mode, values, errors: result.errors, choices }), { statusCode: 422, private: true });
    }
    request.session.set('organisationAdminNotice', 'Le motif a été modifié.');
    return reply.redirect(motifsPath(organisationId), 303);
  });

  app.post(`${BASE}/motifs/:motifId/dupliquer`, { ...guarded, schema: { params: motifParams, body: emptyBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, motifId } = request.params;
    const result = await duplicateMotif(db, principal, await organisationOf(organisationId), motifId);
    if (!result.ok) throw new NotFoundError();
    request.session.set('organisationAdminNotice', 'Le motif a été dupliqué : modifiez la copie, puis ajoutez-la aux plages d’ouverture pour qu’elle soit réservable.');
    return reply.redirect(`${motifsPath(organisationId)}/${String(result.motifId)}/modifier`, 303);
  });

  for (const [suffix, archived] of [
    ['archiver', true],
    ['desarchiver', false],
  ] as const) {
    app.post(`${BASE}/motifs/:motifId/${suffix}`, { ...guarded, schema: { params: motifParams, body: emptyBody } }, async (request, reply) => {
      const principal = agentOf(request);
      const { organisationId, motifId } = request.params;
      const result = await setMotifArchived(db, principal, await organisationOf(organisationId), motifId, archived, context.now());
      if (!result.ok) {
        if (result.reason === 'NOT_FOUND') throw new NotFoundError();
        const error = 'Ce motif ne peut pas être réactivé : un autre motif actif porte le même nom. Renommez ou archivez l’autre motif d’abord.';
        return sendPage(reply, MotifsPage({ ...pageBase(request, principal, organisationId), motifs: await listMotifs(db, organisationId), error }), { statusCode: 409, private: true });
      }
      request.session.set('organisationAdminNotice', archived ? `Le motif a été archivé : il n’est plus proposé à la réservation.${futureNotice(result.futureAppointments)}` : 'Le motif a été réactivé.');
      return reply.redirect(motifsPath(organisationId), 303);
    });
  }
}
