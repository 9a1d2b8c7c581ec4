/**
 * `npm run territory:import -- DIR [--dry-run]`: creates or updates a territory from a bundle
 * directory (docs/territory-bundles.md). The whole bundle is validated first; errors are listed
 * on stderr as « fichier, ligne, champ : message » and nothing is written. Then one transaction.
 */
import { openMigratedDatabase } from '../platform/db/bootstrap.js';
import { BundleRejectedError, createProgress, formatBundleError, importTerritoryBundle, readBundleDirectory, validateBundle, type BundleError } from '../modules/territory-bundles/index.js';
import { CliError, runCli } from './run-cli.js';

const USAGE = 'Usage : npm run territory:import -- DOSSIER [--dry-run]';
/** Beyond this, the report would drown the terminal; the count says how many more there are. */
const MAX_REPORTED_ERRORS = 500;

function reportErrors(errors: readonly BundleError[]): never {
  const shown = errors.slice(0, MAX_REPORTED_ERRORS).map(formatBundleError);
  if (errors.length > MAX_REPORTED_ERRORS) shown.push(`… et ${errors.length - MAX_REPORTED_ERRORS} autres erreurs`);
  throw new CliError(`${shown.join('\n')}\nLot refusé : ${errors.length} erreur(s), rien n’a été écrit.`);
}

runCli(async (config, logger) => {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const positional = args.filter((arg) => !arg.startsWith('--'));
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--dry-run');
  const [directory] = positional;
  if (directory === undefined || positional.length > 1 || unknown.length > 0) throw new CliError(USAGE);

  const started = performance.now();
  const { files, ignored } = await readBundleDirectory(directory).catch((error: unknown) => {
    throw new CliError(error instanceof Error ? error.message : String(error));
  });
  for (const name of ignored) process.stderr.write(`${name} : non importé (fichier d’export seulement, voir docs/territory-bundles.md)\n`);
  const validation = validateBundle(files);
  if (!validation.ok) reportErrors(validation.errors);

  const database = await openMigratedDatabase(config, logger);
  try {
    const report = await importTerritoryBundle(database.db, validation.bundle, { progress: createProgress(process.stderr), dryRun });
    const lines = Object.entries(report.changes)
      .filter(([, c]) => c.created + c.updated + c.deleted > 0)
      .map(([kind, c]) => `  ${kind} : ${c.created} créé(s), ${c.updated} modifié(s), ${c.deleted} supprimé(s)`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const verdict = dryRun ? 'Essai à blanc : rien n’a été écrit.' : report.changed ? 'Import terminé.' : 'Déjà à jour : rien n’a changé.';
    process.stdout.write(`Territoire ${validation.bundle.territory.departementNumber} (${validation.bundle.territory.name}) — ${verdict} (${seconds} s)\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}`);
  } catch (error) {
    if (error instanceof BundleRejectedError) reportErrors(error.errors);
    throw error;
  } finally {
    await database.close();
  }
});
