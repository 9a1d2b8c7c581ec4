/**
 * The rules of what a territorial admin types on the sectorisation pages (422 with French
 * messages): a sector's name and identifier, a commune zone, a street zone. Pure: the communes
 * of the COG come in as a lookup.
 */
import { startsLikeFormula } from './csv-cells.js';

export type FormResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
/** The bundle's sector identifier (docs/territory-bundles.md, secteurs.csv). */
export const SECTOR_HUMAN_ID = /^[a-z0-9]+([_-][a-z0-9]+)*$/;
const INSEE_CODE = /^[0-9][0-9AB][0-9]{3}$/;
/** BAN street key: INSEE code, `_`, 4-character FANTOIR code (`77288_0740`). */
const BAN_STREET_ID = /^([0-9][0-9AB][0-9]{3})_[0-9A-Z]{4}$/;

export const MAX_SECTOR_NAME_LENGTH = 200;
export const MAX_SECTOR_HUMAN_ID_LENGTH = 80;
export const MAX_STREET_NAME_LENGTH = 200;

/** A commune of the COG: its name, by INSEE code (undefined when unknown). */
export type CommuneLookup = (inseeCode: string) => string | undefined;

function text(value: string | undefined): string {
  return (value ?? '').trim();
}

function checkName(value: string, label: string, max: number): string | undefined {
  if (value === '') return `Indiquez ${label}.`;
  if (value.length > max) return `${label.charAt(0).toUpperCase()}${label.slice(1)} : ${String(max)} caractères au plus.`;
  if (CONTROL_CHARACTERS.test(value)) return `${label.charAt(0).toUpperCase()}${label.slice(1)} contient des caractères non autorisés.`;
  if (startsLikeFormula(value)) return `${label.charAt(0).toUpperCase()}${label.slice(1)} ne peut pas commencer par =, +, - ou @.`;
  return undefined;
}

export interface SectorValue {
  readonly name: string;
  readonly humanId: string;
}

export function checkSectorForm(input: { nom?: string | undefined; identifiant?: string | undefined }): FormResult<SectorValue> {
  const errors: Record<string, string> = {};
  const name = text(input.nom).replace(/\s+/g, ' ');
  const nameError = checkName(name, 'le nom du secteur', MAX_SECTOR_NAME_LENGTH);
  if (nameError !== undefined) errors.nom = nameError;
  const humanId = text(input.identifiant);
  if (humanId === '') errors.identifiant = 'Indiquez l’identifiant du secteur.';
  else if (humanId.length > MAX_SECTOR_HUMAN_ID_LENGTH) errors.identifiant = `L’identifiant : ${String(MAX_SECTOR_HUMAN_ID_LENGTH)} caractères au plus.`;
  else if (!SECTOR_HUMAN_ID.test(humanId)) errors.identifiant = 'L’identifiant s’écrit en minuscules, chiffres, tirets et soulignés (exemple : melun-nord).';
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: { name, humanId } };
}

export interface ZoneValue {
  readonly level: 'city' | 'street';
  readonly cityCode: string;
  readonly cityName: string;
  readonly streetBanId: string | null;
  readonly streetName: string | null;
}

function checkCommune(code: string, departementNumber: string, communes: CommuneLookup, field: string): { error: string } | { name: string } {
  if (code === '') return { error: 'Indiquez le code INSEE de la commune.' };
  if (!INSEE_CODE.test(code)) return { error: `« ${code.slice(0, 20)} » n’est pas un code INSEE de commune (5 caractères, exemple : 77288).` };
  if (!code.startsWith(departementNumber)) return { error: `La commune ${code} n’est pas dans le département ${departementNumber}.` };
  const name = communes(code);
  if (name === undefined) return { error: field === 'idVoie' ? `La voie est dans la commune ${code}, inconnue du code officiel géographique.` : `Aucune commune ne porte le code ${code} dans le code officiel géographique.` };
  return { name };
}

/** A whole commune: its INSEE code; the name comes from the COG. */
export function checkCommuneZone(input: { codeInsee?: string | undefined }, departementNumber: string, communes: CommuneLookup): FormResult<ZoneValue> {
  const code = text(input.codeInsee).toUpperCase();
  const commune = checkCommune(code, departementNumber, communes, 'codeInsee');
  if ('error' in commune) return { ok: false, errors: { codeInsee: commune.error } };
  return { ok: true, value: { level: 'city', cityCode: code, cityName: commune.name, streetBanId: null, streetName: null } };
}

/** A street: its BAN key (whose INSEE part names the commune) and its name. */
export function checkStreetZone(input: { idVoie?: string | undefined; nomVoie?: string | undefined }, departementNumber: string, communes: CommuneLookup): FormResult<ZoneValue> {
  const errors: Record<string, string> = {};
  const banId = text(input.idVoie).toUpperCase();
  let commune: { code: string; name: string } | undefined;
  if (banId === '') errors.idVoie = 'Indiquez l’identifiant BAN de la voie.';
  else {
    const match = BAN_STREET_ID.exec(banId);
    if (match === null) errors.idVoie = `« ${banId.slice(0, 20)} » n’est pas un identifiant de voie BAN (code INSEE, « _ », code FANTOIR : 77288_0740).`;
    else {
      const code = match[1] as string;
      const found = checkCommune(code, departementNumber, communes, 'idVoie');
      if ('error' in found) errors.idVoie = found.error;
      else commune = { code, name: found.name };
    }
  }
  const streetName = text(input.nomVoie).replace(/\s+/g, ' ');
  const nameError = checkName(streetName, 'le nom de la voie', MAX_STREET_NAME_LENGTH);
  if (nameError !== undefined) errors.nomVoie = nameError;
  if (Object.keys(errors).length > 0 || commune === undefined) return { ok: false, errors };
  return { ok: true, value: { level: 'street', cityCode: commune.code, cityName: commune.name, streetBanId: banId, streetName } };
}

/** The attribution chosen in the form: `organisation:<id>` or `agent:<organisationId>:<agentId>`. */
export type AttributionChoice = { readonly level: 'organisation'; readonly organisationId: number } | { readonly level: 'agent'; readonly organisationId: number; readonly agentId: number };

export function parseAttributionChoice(value: string | undefined): FormResult<AttributionChoice> {
  const choice = text(value);
  const organisation = /^organisation:([1-9][0-9]{0,9})$/.exec(choice);
  if (organisation !== null) return { ok: true, value: { level: 'organisation', organisationId: Number(organisation[1]) } };
  const agent = /^agent:([1-9][0-9]{0,9}):([1-9][0-9]{0,9})$/.exec(choice);
  if (agent !== null) return { ok: true, value: { level: 'agent', organisationId: Number(agent[1]), agentId: Number(agent[2]) } };
  return { ok: false, errors: { cible: 'Choisissez une organisation ou un agent.' } };
}
