// Public funnel, read side: address → service → motif → (restriction) → place → week of slots.
// Routes: validate input → one use case → render. The address lives in the session, never in URLs.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.js';
import { csrfToken, rateLimit } from '../../platform/security/index.js';
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
import { openInvitation } from '../invitations/index.js';
import {
  AddressChoicePage,
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

const searchBody = z.object({ adresse: z.string().trim().max(200).default('') });
const choiceBody = z.object({ choix: z.coerce.number().int().min(0).max(20) });
const positiveId = z.coerce.number().int().positive();
const funnelQuery = z.object({
  service: positiveId.optional(),
  motif: positiveId.optional(),
  lieu: positiveId.optional(),
  organisation: positiveId.optional(),
  semaine: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  restriction: z.literal('acceptee').optional(),
  /** Set when the chosen slot was taken meanwhile: the week says so above the fresh slots. */
  indisponible: z.literal('1').optional(),
});

/** Registers `/recherche`, `/recherche/choix` and `/prendre-rdv`. */
export function registerFunnelRoutes(app: FastifyInstance, context: AppContext, geocoder: Geocoder, renderHome: RenderHome): void {
  app.post('/recherche', { config: { rateLimit: rateLimit({ max: 30, timeWindowSeconds: 60 }) } }, async (request, reply) => {
    const { adresse } = searchBody.parse(request.body);
    if (adresse.length < 3) {
      return sendPage(reply, await renderHome(request, { value: adresse, error: 'Saisissez votre adresse (au moins 3 caractères), par exemple « 20 quai Hippolyte Rossignol, Melun ».' }), { statusCode: 422 });
    }
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

  app.post('/recherche/choix', async (request, reply) => {
    const parsed = choiceBody.safeParse(request.body);
    const candidates = request.session.get('addressCandidates') ?? [];
    const chosen = parsed.success ? candidates[parsed.data.choix] : undefined;
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
  app.get('/org/:slug', async (request, reply) => {
    const { slug } = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,100}$/) }).catch({ slug: '' }).parse(request.params);
    if (slug === '') throw new NotFoundError();
    return openOrganisationLink(request, reply, { slug });
  });
  app.get('/org/:departement/externe/:externalId', async (request, reply) => {
    const params = z
      .object({ departement: z.string().regex(/^[0-9AB]{2,3}$/), externalId: z.string().min(1).max(100) })
      .safeParse(request.params);
    if (!params.success) throw new NotFoundError();
    return openOrganisationLink(request, reply, { departementNumber: params.data.departement, externalId: params.data.externalId });
  });

  // A partner's invitation (RDV-Insertion…): the token is in the path, so the route logs at warn
  // only and request logs never carry it.
  app.get('/invitation/:token', { logLevel: 'warn', config: { rateLimit: rateLimit({ max: 30, timeWindowSeconds: 60 }) } }, async (request, reply) => {
    const { token } = z.object({ token: z.string().max(100) }).catch({ token: '' }).parse(request.params);
    const opened = await openInvitation(context.db, { token, now: context.now() });
    if (!opened.ok) {
      throw new ForbiddenError(
        opened.reason === 'EXPIRED'
          ? 'Cette invitation a expiré. Contactez le service qui vous l’a envoyée pour en recevoir une nouvelle.'
          : 'Ce lien d’invitation n’est pas valable. Vérifiez qu’il est complet, ou contactez le service qui vous l’a envoyé.',
      );
    }
    const location = await locationForInvitation(context.db, opened.invitation);
    if (location === null) throw new NotFoundError();
    request.session.set('searchLocation', location);
    return reply.redirect('/prendre-rdv', 303);
  });

  app.get('/prendre-rdv', async (request, reply) => {
    const location = request.session.get('searchLocation');
    if (location === undefined) return reply.redirect('/', 303);
    const parsed = funnelQuery.safeParse(request.query);
    if (!parsed.success) throw new NotFoundError();
    const query = parsed.data;
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
