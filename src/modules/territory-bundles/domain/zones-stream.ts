/**
 * `zones.csv` read as a stream (the one file of a bundle that can hold 100 000 lines): each line
 * is parsed and checked as `validateBundle` checks it (same French messages, same lines), with the
 * other files of the bundle as context, and handed on; nothing but the current chunk is held.
 * Repeated zones need the whole file: the import finds them in SQL (bundle-import.repository.ts).
 */
import type { BundleError, BundleZone } from './bundle.js';
import { checkZoneDepartement, readZone, type ZonesContext } from './bundle-validation.js';
import { CsvStreamParser } from './csv.js';
import { CsvRowStream } from './row-reader.js';
import { BUNDLE_FILES, COLUMNS } from './vocabulary.js';

/** Errors kept for the report (the first ones, in line order); beyond, they are only counted. */
export const MAX_KEPT_ERRORS = 1000;

/** The first MAX_KEPT_ERRORS errors, and how many there are in all. */
export class ErrorCollector {
  readonly kept: BundleError[] = [];
  total = 0;

  add(errors: readonly BundleError[]): void {
    for (const error of errors) {
      if (this.kept.length < MAX_KEPT_ERRORS) this.kept.push(error);
      this.total += 1;
    }
  }

  /** Errors counted but not listed (found by a query that returned only the first ones). */
  count(more: number): void {
    this.total += more;
  }
}

const F = BUNDLE_FILES;

/** Text in, zones out: the zones of the lines completed so far, valid or not (errors go to `errors`). */
export class ZonesCsvReader {
  readonly errors = new ErrorCollector();
  readonly #parser = new CsvStreamParser();
  readonly #rows = new CsvRowStream(F.zones, COLUMNS[F.zones], []);

  constructor(readonly context: ZonesContext) {}

  push(chunk: string): BundleZone[] {
    return this.#accept(this.#parser.push(chunk));
  }

  /** The end of the file: the last line, or an unclosed quote; an empty file is an error. */
  end(): BundleZone[] {
    const last = this.#parser.end();
    if (!last.ok) {
      this.errors.add([{ file: F.zones, line: last.line, field: null, message: `CSV illisible : ${last.message}` }]);
      return [];
    }
    const zones = this.#accept(last.records);
    const endErrors: BundleError[] = [];
    this.#rows.errors = endErrors;
    this.#rows.end();
    this.errors.add(endErrors);
    return zones;
  }

  #accept(records: readonly { line: number; cells: readonly string[] }[]): BundleZone[] {
    const zones: BundleZone[] = [];
    const { sectors, departementNumber } = this.context;
    for (const record of records) {
      const lineErrors: BundleError[] = [];
      this.#rows.errors = lineErrors;
      const row = this.#rows.read(record);
      if (row !== null) {
        const zone = readZone(row);
        if (zone.sector !== '' && sectors !== null && !sectors.has(zone.sector)) {
          lineErrors.push({ file: F.zones, line: zone.line, field: 'secteur', message: `secteur « ${zone.sector} » absent de ${F.sectors}` });
        }
        checkZoneDepartement(zone, departementNumber, lineErrors);
        zones.push(zone);
      }
      this.errors.add(lineErrors);
    }
    return zones;
  }
}
