// Route schemas of the personal calendar feed (structural layer, ADR 0012). A malformed token in
// the path answers 404, like an unknown or revoked one.
import { z } from 'zod';
import { checkboxField } from '../../platform/http/schemas.js';
import { FEED_TOKEN_PATTERN } from './agent-calendar-feed.use-cases.js';

/** GET /agents/calendrier/:token.ics */
export const feedParams = z.object({ token: z.string().regex(FEED_TOKEN_PATTERN) });

/** POST /agents/compte/calendrier: the two options of the detail level (checkboxes). */
export const issueFeedBody = z.object({ motif: checkboxField, initiales: checkboxField });

/** POST /agents/compte/calendrier/revoquer: only the CSRF token. */
export const emptyBody = z.object({});
