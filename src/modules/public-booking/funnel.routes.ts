// Public funnel, read side: address → service → motif → (restriction) → place → week of slots.
// Routes: validate input → one use case → render. The address lives in the session, never in URLs.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.js';
import { csrfToken, rateLimit, regenerateSession } from '../../platform/security/index.js';
import type { Html } from '../../platform/views/jsx.js';
import { sendPage } from '../../platform/views/send-page.js';
import { dateToEpochMinutes, localDayOf, parseIsoDate } from '../../shared/time/index.js';
import { GeocoderUnavailableError, type Geocoder, type GeocodingResult } from '../geocoding/index.js';
import {
  findMotifChoice,
  listWhereToBook,
  loadCatalogue,
  loadWeekOfSlots,
  locationForInvitation,
  locationForOrganisationLink,
  mondayOf,
  motifChoicesOf,
  resolveScope,
  type SearchLocation,
} from './funnel.use-cases.js';
import { currentUserId } from '../auth/index.js';
import { openInvitation, verifyInvitation, type InvitationScope } from '../invitations/index.js';
import { addressChoiceBody, funnelQuery, invitationParams, invitationProofBody, organisationExternalIdParams, organisationSlugParams, searchBody } from './public-booking.schemas.js';
import {
  AddressChoicePage,
  InvitationProofPage,
  MotifsPage,
  NothingBookablePage,
  RestrictionPage,
  ServicesPage,
  WeekPage,
  WherePage,
} from './views/funnel-pages.js';

declare module 'fastify' {
  interface Session {
    /** The address the funnel searches around. */
    searchLocation?: SearchLocation;
    /** Addresses offered when the geocoder found several. */
    addressCandidates?: SearchLocation[];
  }
}

/** Renders the home page with the address form (and its error) — provided by the home module. */
export type RenderHome = (request: FastifyRequest, form: { value?: string; error?: string }) => Promise<Html>;


function toLocation(result: GeocodingResult): SearchLocation {
  return {
    label: result.label,
    departementNumber: result.departementNumber,
    cityCode: result.cityCode,
    streetBanId: result.banId ?? null,
    latitude: result.latitude,
    longitude: result.longitude,
  };
}

/** The address rule of the home form: 3 to 200 characters, no control characters. */
function addressError(address: string): string | null {
  if (address.length < 3) return 'Saisissez votre adresse (au moins 3 caractères), par exemple « 20 quai Hippolyte Rossignol, Melun ».';
  if (address.length > 200) return 'L’adresse est trop longue (200 caractères au plus) : indiquez le numéro, la rue et la commune.';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f]/.test(address)) return 'L’adresse contient des caractères non autorisés.';
  return null;
}

/** Registers `/recherche`, `/recherche/choix` and `/prendre-rdv`. */
export function registerFunnelRoutes(app: ZodApp, context: AppContext, geocoder: Geocoder, renderHome: RenderHome): void {
  app.post('/recherche', { schema: { body: searchBody }, config: { rateLimit: rateLimit({ max: 300, timeWindowSeconds: 600 }) } }, async (request, reply) => {
    const adresse = (request.body.adresse ?? '').trim();
    const invalid = addressError(adresse);
    if (invalid !== null) return sendPage(reply, await renderHome(request, { value: adresse, error: invalid }), { statusCode: 422 });
    let results: GeocodingResult[];
    try {
      results = await geocoder.search(adresse, { limit: 5 });
    } catch (error) {
      if (!(error instanceof GeocoderUnavailableError)) throw error;
      request.log.warn({ reason: error.reason }, 'geocoder unavailable');
      return sendPage(reply, await renderHome(request, { value: adresse, error: 'La recherche d’adresse est momentanément indisponible. Réessayez dans quelques instants.' }), { statusCode: 503 });
    }
    if (results.length === 0) {
      return sendPage(reply, await renderHome(request, { value: adresse, error: 'Adresse introuvable. Vérifiez l’orthographe ou indiquez seulement votre commune ou votre code postal.' }), { statusCode: 422 });
    }
    const [best] = results;
    if (best !== undefined && (results.length === 1 || best.score >= 0.85)) {
      request.session.set('searchLocation', toLocation(best));
      return reply.redirect('/prendre-rdv', 303);
    }
    const candidates = results.map(toLocation);
    request.session.set('addressCandidates', candidates);
    return sendPage(reply, AddressChoicePage({ csrfToken: csrfToken(request), candidates }));
  });

  app.post('/recherche/choix', { schema: { body: addressChoiceBody } }, async (request, reply) => {
    const candidates = request.session.get('addressCandidates') ?? [];
    const chosen = candidates[request.body.choix];
    if (chosen === undefined) return reply.redirect('/', 303);
    request.session.set('searchLocation', chosen);
    request.session.set('addressCandidates', undefined);
    return reply.redirect('/prendre-rdv', 303);
  });

  // An organisation's public link (on its website, in a letter): the funnel without the address.
  const openOrganisationLink = async (request: FastifyRequest, reply: FastifyReply, link: Parameters<typeof locationForOrganisationLink>[1]): Promise<FastifyReply> => {
    const location = await locationForOrganisationLink(context.db, link);
    if (location === null) throw new NotFoundError();
    request.session.set('searchLocation', location);
    return reply.redirect('/prendre-rdv', 303);
  };
  app.get('/org/:slug', { schema: { params: organisationSlugParams } }, async (request, reply) => openOrganisationLink(request, reply, { slug: request.params.slug }));
  app.get('/org/:departement/externe/:externalId', { schema: { params: organisationExternalIdParams } }, async (request, reply) =>
    openOrganisationLink(request, reply, { departementNumber: request.params.departement, externalId: request.params.externalId }),
  );

  // A partner's invitation (RDV-Insertion…). The link alone shows nothing about the invited
  // person: they first type the first letters of their last name (like appointment links), unless
  // they are signed in as that person or this session already proved it. The token is in the
  // path, so these routes log at warn only and request logs never carry it.
  const invitationProblem = (reason: 'INVALID_TOKEN' | 'EXPIRED' | 'LOCKED' | 'REVOKED'): ForbiddenError =>
    new ForbiddenError(
      reason === 'EXPIRED'
        ? 'Cette invitation a expiré. Contactez le service qui vous l’a envoyée pour en recevoir une nouvelle.'
        : reason === 'LOCKED'
          ? 'Trop de tentatives : cette invitation est bloquée. Contactez le service qui vous l’a envoyée.'
          : 'Ce lien d’invitation n’est pas (ou plus) valable. Vérifiez qu’il est complet, ou contactez le service qui vous l’a envoyé.',
    );
  const enterInvitation = async (request: FastifyRequest, reply: FastifyReply, invitation: InvitationScope): Promise<FastifyReply> => {
    const location = await locationForInvitation(context.db, invitation);
    if (location === null) throw new NotFoundError();
    request.session.set('searchLocation', location);
    return reply.redirect('/prendre-rdv', 303);
  };
  // Per client address, high enough for a social-services office behind one NAT (README, "Limites");
  // the per-invitation lock (five wrong answers) is the real guard against guessing.
  const invitationRoute = { logLevel: 'warn' as const, config: { rateLimit: rateLimit({ max: 300, timeWindowSeconds: 600 }) } };

  app.get('/invitation/:token', { ...invitationRoute, schema: { params: invitationParams } }, async (request, reply) => {
    const opened = await openInvitation(context.db, { token: request.params.token, now: context.now() });
    if (!opened.ok) throw invitationProblem(opened.reason);
    const proved = request.session.get('searchLocation')?.invitation?.accessTokenId === opened.invitation.accessTokenId;
    if (proved || currentUserId(request) === opened.invitation.userId) return enterInvitation(request, reply, opened.invitation);
    return sendPage(reply, InvitationProofPage({ csrfToken: csrfToken(request), action: `/invitation/${request.params.token}` }));
  });

  app.post('/invitation/:token', { ...invitationRoute, config: { rateLimit: rateLimit({ max: 100, timeWindowSeconds: 600 }) }, schema: { params: invitationParams, body: invitationProofBody } }, async (request, reply) => {
    const action = `/invitation/${request.params.token}`;
    const letters = (request.body.lettres ?? '').trim();
    if (letters === '' || letters.length > 50) {
      return sendPage(reply, InvitationProofPage({ csrfToken: csrfToken(request), action, value: letters.slice(0, 50), error: 'Saisissez les 3 premières lettres de votre nom de famille.' }), { statusCode: 422 });
    }
    const verified = await verifyInvitation(context.db, { token: request.params.token, lastNamePrefix: letters, now: context.now() });
    if (verified.ok) {
      // A change of privilege: a new session id, against fixation.
      await regenerateSession(request, ['userId']);
      return enterInvitation(request, reply, verified.invitation);
    }
    if (verified.reason !== 'NAME_MISMATCH') throw invitationProblem(verified.reason);
    const left = 'attemptsLeft' in verified ? verified.attemptsLeft : 0;
    const error = `Ces lettres ne correspondent pas au nom de famille de la personne invitée. Il vous reste ${String(left)} essai${left > 1 ? 's' : ''}.`;
    return sendPage(reply, InvitationProofPage({ csrfToken: csrfToken(request), action, value: letters, error }), { statusCode: 422 });
  });

  app.get('/prendre-rdv', { schema: { querystring: funnelQuery } }, async (request, reply) => {
    const location = request.session.get('searchLocation');
    if (location === undefined) return reply.redirect('/', 303);
    const query = request.query;
    const now = context.now();
    const scope = await resolveScope(context.db, location);
    if (scope === null) {
      return sendPage(reply, NothingBookablePage({ addressLabel: location.label, message: 'Ce service n’est pas encore proposé par le département de cette adresse.' }));
    }
    const catalogue = await loadCatalogue(context.db, scope);
    if (catalogue.services.length === 0) {
      return sendPage(reply, NothingBookablePage({ addressLabel: location.label, message: 'Aucun rendez-vous ne peut être pris en ligne pour cette adresse. Contactez votre maison des solidarités.' }));
    }

    if (query.motif === undefined) {
      const onlyService = catalogue.services.length === 1 ? catalogue.services[0] : undefined;
      const serviceId = query.service ?? onlyService?.id;
      const service = catalogue.services.find((candidate) => candidate.id === serviceId);
      if (service === undefined) {
        if (query.service !== undefined) throw new NotFoundError();
        return sendPage(reply, ServicesPage({ addressLabel: location.label, services: catalogue.services }));
      }
      return sendPage(
        reply,
        MotifsPage({
          addressLabel: location.label,
          serviceName: service.name,
          backHref: onlyService === undefined ? '/prendre-rdv' : null,
          motifs: motifChoicesOf(catalogue, service.id),
        }),
    );
    }

    const selection = findMotifChoice(catalogue, query.motif);
    if (selection === null) throw new NotFoundError();
    const motifBack = `/prendre-rdv?service=${String(selection.motif.serviceId)}`;
    const restriction = selection.motif.restrictionForBooking;
    const accepted = query.restriction === 'acceptee';
    const motifQuery = `motif=${String(selection.choice.representativeId)}`;
    if (restriction !== null && restriction.trim() !== '' && !accepted) {
      const target = query.lieu === undefined ? (query.organisation === undefined ? '' : `&organisation=${String(query.organisation)}`) : `&lieu=${String(query.lieu)}`;
      return sendPage(reply, RestrictionPage({ motifName: selection.choice.name, restriction, acceptHref: `/prendre-rdv?${motifQuery}${target}&restriction=acceptee`, backHref: motifBack }));
    }
    const acceptedSuffix = accepted ? '&restriction=acceptee' : '';

    if (query.lieu === undefined && query.organisation === undefined) {
      const where = await listWhereToBook(context.db, scope, selection, location, now);
      return sendPage(
        reply,
        WherePage({
          addressLabel: location.label,
          motifName: selection.choice.name,
          locationType: selection.choice.locationType,
          representativeId: selection.choice.representativeId,
          places: where.kind === 'places' ? where.places : [],
          organisations: where.kind === 'organisations' ? where.organisations : [],
          backHref: motifBack,
          restrictionAccepted: accepted,
        }),
    );
    }

    const target = query.lieu === undefined ? { organisationId: query.organisation ?? 0 } : { placeId: query.lieu };
    const weekStartDay = query.semaine === undefined ? null : parseIsoDate(query.semaine);
    if (query.semaine !== undefined && weekStartDay === null) throw new NotFoundError();
    const week = await loadWeekOfSlots(context.db, scope, selection, target, weekStartDay === null ? null : mondayOf(weekStartDay), now);
    if (week === null) throw new NotFoundError();
    const targetQuery = 'placeId' in target ? `lieu=${String(target.placeId)}` : `organisation=${String(target.organisationId)}`;
    return sendPage(
      reply,
      WeekPage({
        motifName: selection.choice.name,
        whereLabel: week.whereLabel,
        timeZone: week.timeZone,
        weekStart: week.weekStart,
        today: localDayOf(week.timeZone, dateToEpochMinutes(now)),
        slots: week.slots,
        collectiveSlots: week.collectiveSlots,
        nextAvailability: week.nextAvailability,
        nextAvailabilityWeekStart:
          week.nextAvailability === null ? null : mondayOf(localDayOf(week.timeZone, week.nextAvailability.startsAtEpochMinutes)),
        baseQuery: `${motifQuery}&${targetQuery}${acceptedSuffix}`,
        slotGone: query.indisponible === '1',
        backHref: `/prendre-rdv?${motifQuery}${acceptedSuffix}`,
      }),
    );
  });
}
