/**
 * `npm run super-admin -- nommer ADRESSE [PRÉNOM NOM]`: makes an agent a super admin (the first one
 * of a fresh instance included); someone without a password gets an invitation link, printed here
 * only (shell access is the root of trust), to choose a password and then enrol the TOTP second
 * factor at the first sign-in.
 * `npm run super-admin -- reinitialiser-totp ADRESSE`: forgets a super admin's second factor (lost
 * phone); the next sign-in enrols a new one. Both end the agent's sessions and are audited.
 */
import { appointSuperAdmin, resetSecondFactor } from '../modules/super-admin/index.js';
import { openMigratedDatabase } from '../platform/db/bootstrap.js';
import { CliError, runCli } from './run-cli.js';

const USAGE = 'Usage : npm run super-admin -- nommer ADRESSE [PRÉNOM NOM]\n        npm run super-admin -- reinitialiser-totp ADRESSE';

runCli(async (config, logger) => {
  const [command, email, ...names] = process.argv.slice(2);
  const valid = email !== undefined && ((command === 'nommer' && (names.length === 0 || names.length === 2)) || (command === 'reinitialiser-totp' && names.length === 0));
  if (!valid) throw new CliError(USAGE);
  const database = await openMigratedDatabase(config, logger);
  try {
    const now = new Date();
    if (command === 'reinitialiser-totp') {
      const reset = await resetSecondFactor(database.db, { email, now });
      if (!reset.ok) throw new CliError(reset.message);
      process.stdout.write('Double authentification réinitialisée : la prochaine connexion en activera une nouvelle. Les sessions ouvertes sont fermées.\n');
      return;
    }
    const [firstName, lastName] = names;
    const result = await appointSuperAdmin(database.db, {
      email,
      names: firstName === undefined || lastName === undefined ? undefined : { firstName, lastName },
      baseUrl: config.baseUrl,
      now,
    });
    if (!result.ok) throw new CliError(result.message);
    process.stdout.write(`${result.created ? 'Compte créé' : 'Compte existant'} : super admin nommé.\n`);
    if (result.invitationLink === undefined) {
      process.stdout.write('Il se connecte avec son mot de passe ; la double authentification (TOTP) lui sera demandée.\n');
    } else {
      process.stdout.write(
        `Lien pour choisir son mot de passe (valable 7 jours, une seule fois ; à transmettre à cette personne seulement) :\n${result.invitationLink}\nÀ la première connexion, il activera la double authentification (TOTP).\n`,
      );
    }
  } finally {
    await database.close();
  }
});
