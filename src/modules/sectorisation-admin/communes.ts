// The communes of the COG (`@etalab/decoupage-administratif`, through the geocoding module), read
// once per process: INSEE code → name, for the zone forms and the CSV import.
import { loadCommunesFromCog } from '../geocoding/index.js';
import type { CommuneLookup } from './domain/sectorisation-forms.js';

let loading: Promise<CommuneLookup> | undefined;

export function communeLookup(): Promise<CommuneLookup> {
  loading ??= loadCommunesFromCog().then((communes) => {
    const names = new Map(communes.map((commune) => [commune.code, commune.name]));
    return (code: string) => names.get(code);
  });
  return loading;
}
