// Public API of the territory-bundles module: import and export of a whole territory as a
// documented directory of CSV files (docs/territory-bundles.md, ADR 0025).
export { importTerritoryBundle, checkZonesFile, BundleRejectedError, type ChangeCount, type ImportReport } from './bundle-import.use-cases.js';
export { exportTerritoryBundle, AmbiguousKeyError, UnknownTerritoryError, type ExportOptions } from './bundle-export.use-cases.js';
export { readBundleDirectory, writeBundleDirectory, BundleDirectoryError } from './bundle-files.js';
export { validateBundle, validateZonesFile, timeZoneOfDepartement, sortErrors as sortBundleErrors, type BundleValidation, type ZonesContext, type ZonesValidation } from './domain/bundle-validation.js';
export { serialiseBundle, serialiseZones } from './domain/bundle-serialisation.js';
export { formatBundleError, agentKeyOf, type BundleError, type BundleZone, type TerritoryBundle } from './domain/bundle.js';
export { BUNDLE_FILES, EXPORT_ONLY_FILES } from './domain/vocabulary.js';
export { createProgress, noProgress, type Progress } from './progress.js';
