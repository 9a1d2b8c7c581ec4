/**
 * `npm run territory:import -- DIR [--dry-run]`: creates or updates a territory from a bundle
 * directory (docs/territory-bundles.md). The whole bundle is validated first; errors are listed
 * on stderr as « fichier, ligne, champ : message » and nothing is written. Then one transaction.
 * zones.csv is streamed: its lines are checked as the import loads them, before its first write.
 */
import { openMigratedDatabase } from '../platform/db/bootstrap.js';
import {
  BundleRejectedError,
  checkZonesFile,
  createProgress,
  formatBundleError,
  importTerritoryBundle,
  readBundleDirectory,
  sortBundleErrors,
  validateBundle,
  type BundleError,
} from '../modules/territory-bundles/index.js';
import { CliError, runCli } from './run-cli.js';

const USAGE = 'Usage : npm run territory:import -- DOSSIER [--dry-run]';
/** Beyond this, the report would drown the terminal; the count says how many more there are. */
const MAX_REPORTED_ERRORS = 500;

/** `total`: all the errors, when only the first ones were kept (a huge zones.csv). */
function reportErrors(errors: readonly BundleError[], total = errors.length): never {
  const shown = errors.slice(0, MAX_REPORTED_ERRORS).map(formatBundleError);
  if (total > shown.length) shown.push(`… et ${total - shown.length} autres erreurs`);
  throw new CliError(`${shown.join('\n')}\nLot refusé : ${total} erreur(s), rien n’a été écrit.`);
}

runCli(async (config, logger) => {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const positional = args.filter((arg) => !arg.startsWith('--'));
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--dry-run');
  const [directory] = positional;
  if (directory === undefined || positional.length > 1 || unknown.length > 0) throw new CliError(USAGE);

  const started = performance.now();
  // zones.csv (up to 100 000 lines and more) is streamed by the import, never held whole.
  const { files, ignored, zonesFile } = await readBundleDirectory(directory, { streamZones: true }).catch((error: unknown) => {
    throw new CliError(error instanceof Error ? error.message : String(error));
  });
  for (const name of ignored) process.stderr.write(`${name} : non importé (fichier d’export seulement, voir docs/territory-bundles.md)\n`);
  const validation = validateBundle(files, { zonesStreamed: zonesFile !== null });
  if (!validation.ok) {
    // Every line of zones.csv is reported with the other files' errors (its repeated zones are
    // found by the import, once the other files are right).
    if (zonesFile === null) reportErrors(validation.errors);
    const zones = await checkZonesFile(zonesFile, validation.zonesContext);
    reportErrors(sortBundleErrors([...validation.errors, ...zones.kept]), validation.errors.length + zones.total);
  }

  const database = await openMigratedDatabase(config, logger);
  try {
    const report = await importTerritoryBundle(database.db, validation.bundle, { progress: createProgress(process.stderr), dryRun, ...(zonesFile === null ? {} : { zonesFile }) });
    const lines = Object.entries(report.changes)
      .filter(([, c]) => c.created + c.updated + c.deleted > 0)
      .map(([kind, c]) => `  ${kind} : ${c.created} créé(s), ${c.updated} modifié(s), ${c.deleted} supprimé(s)`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const verdict = dryRun ? 'Essai à blanc : rien n’a été écrit.' : report.changed ? 'Import terminé.' : 'Déjà à jour : rien n’a changé.';
    process.stdout.write(`Territoire ${validation.bundle.territory.departementNumber} (${validation.bundle.territory.name}) — ${verdict} (${seconds} s)\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}`);
  } catch (error) {
    if (error instanceof BundleRejectedError) reportErrors(error.errors, error.total);
    throw error;
  } finally {
    await database.close();
  }
});
