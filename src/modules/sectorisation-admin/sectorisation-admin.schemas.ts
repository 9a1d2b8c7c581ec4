// Route schemas of the sectorisation administration (structural layer, ADR 0012): malformed ids
// and bodies get 400/404; what the admin typed is checked by domain/sectorisation-forms.ts (422).
import { z } from 'zod';
import { integerIdField, optionalTypedField } from '../../platform/http/schemas.js';

/** `/agents/territoires/:territoryId/sectorisation…`: a territory the agent does not administer is a 404. */
export const territoryParams = z.object({ territoryId: integerIdField });
export const sectorParams = territoryParams.extend({ sectorId: integerIdField });
export const zoneParams = sectorParams.extend({ zoneId: integerIdField });
export const attributionParams = sectorParams.extend({ attributionId: integerIdField });
/** A kept import: 128 random bits in hex. */
export const importParams = territoryParams.extend({ importId: z.string().regex(/^[0-9a-f]{32}$/) });

export const sectorBody = z.object({ nom: optionalTypedField, identifiant: optionalTypedField });
export const communeZoneBody = z.object({ codeInsee: optionalTypedField });
export const streetZoneBody = z.object({ idVoie: optionalTypedField, nomVoie: optionalTypedField });
export const attributionBody = z.object({ cible: optionalTypedField });
/** POST …/supprimer: only the CSRF token. */
export const emptyBody = z.object({});
/** The SHA-256 of the file the dry run showed. */
export const confirmBody = z.object({ empreinte: z.string().regex(/^[0-9a-f]{64}$/) });
export const addressTestQuery = z.object({ adresse: optionalTypedField });
