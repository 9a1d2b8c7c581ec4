/**
 * `npm run territory:export -- CODE DIR [--with-users] [--with-appointments]`: writes a territory
 * in the bundle format (docs/territory-bundles.md) into an empty directory.
 */
import { openMigratedDatabase } from '../platform/db/bootstrap.js';
import { AmbiguousKeyError, BundleDirectoryError, exportTerritoryBundle, UnknownTerritoryError, writeBundleDirectory } from '../modules/territory-bundles/index.js';
import { CliError, runCli } from './run-cli.js';

const USAGE = 'Usage : npm run territory:export -- NUMERO_DEPARTEMENT DOSSIER [--with-users] [--with-appointments]';
const FLAGS = ['--with-users', '--with-appointments'];

runCli(async (config, logger) => {
  const args = process.argv.slice(2);
  const positional = args.filter((arg) => !arg.startsWith('--'));
  const unknown = args.filter((arg) => arg.startsWith('--') && !FLAGS.includes(arg));
  const [code, directory] = positional;
  if (code === undefined || directory === undefined || positional.length > 2 || unknown.length > 0) throw new CliError(USAGE);

  const database = await openMigratedDatabase(config, logger);
  try {
    const { files } = await exportTerritoryBundle(database.db, code.toUpperCase(), {
      withUsers: args.includes('--with-users'),
      withAppointments: args.includes('--with-appointments'),
    });
    await writeBundleDirectory(directory, files);
    process.stdout.write(`Territoire ${code} exporté dans ${directory} : ${[...files.keys()].join(', ')}\n`);
  } catch (error) {
    if (error instanceof UnknownTerritoryError || error instanceof AmbiguousKeyError || error instanceof BundleDirectoryError) throw new CliError(error.message);
    throw error;
  } finally {
    await database.close();
  }
});
