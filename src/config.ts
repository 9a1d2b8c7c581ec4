import path from 'node:path';
import { z } from 'zod';

z.config(z.locales.fr());

/** Thrown when an environment variable is invalid; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const DEVELOPMENT_SESSION_SECRET = 'dev-only-secret-change-me-dev-only-secret-change-me';
const DEVELOPMENT_ENCRYPTION_KEY = 'dev-only-encryption-key-change-me-dev-only-key';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'doit commencer par postgres:// ou postgresql://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SESSION_SECRET: z.string().min(32, 'doit contenir au moins 32 caractères').optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  SEED_DEMO: z.enum(['auto', 'always', 'never']).default('auto'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  GEOCODER_URL: z.url({ protocol: /^https?$/ }).optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'doit commencer par smtp:// ou smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Créneau <ne-pas-repondre@creneau.localhost>'),
  SECRETS_ENCRYPTION_KEY: z.string().min(32, 'doit contenir au moins 32 caractères').optional(),
  JDMA_PRODUCT_ID: z.string().regex(/^\d+$/, 'doit être un nombre').optional(),
  JDMA_BUTTON_ID: z.string().regex(/^\d+$/, 'doit être un nombre').optional(),
});

export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  baseUrl: string;
  /** PostgreSQL connection string; undefined means embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  sessionSecret: string;
  logLevel: (typeof logLevels)[number];
  /** `auto`: seed the demo territory on the first start of an empty embedded database. */
  seedDemo: 'auto' | 'always' | 'never';
  dbPoolSize: number;
  /** Géoplateforme geocoding base URL (https://data.geopf.fr/geocodage); undefined = offline geocoder. */
  geocoderUrl: string | undefined;
  /** SMTP server; undefined = development outbox (/dev/outbox), refused in production. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Key of secrets encrypted at rest (SMS credentials, webhook secrets). */
  secretsEncryptionKey: string;
  /** "Je donne mon avis" link after a booking; null hides the button. */
  feedbackUrl: string | null;
}

/** Reads and validates the configuration; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path.join('.') ?? 'environnement';
    throw new ConfigError(`Configuration invalide : ${variable} ${issue?.message ?? ''}`.trim());
  }
  const values = parsed.data;
  if (values.NODE_ENV === 'production' && values.SESSION_SECRET === undefined) {
    throw new ConfigError('Configuration invalide : SESSION_SECRET est obligatoire en production');
  }
  if (values.NODE_ENV === 'production' && values.SMTP_URL === undefined) {
    throw new ConfigError('Configuration invalide : SMTP_URL est obligatoire en production');
  }
  if (values.NODE_ENV === 'production' && values.SECRETS_ENCRYPTION_KEY === undefined) {
    throw new ConfigError('Configuration invalide : SECRETS_ENCRYPTION_KEY est obligatoire en production');
  }
  if (values.NODE_ENV === 'production' && values.BASE_URL === undefined) {
    throw new ConfigError('Configuration invalide : BASE_URL est obligatoire en production');
  }
  return {
    nodeEnv: values.NODE_ENV,
    host: values.HOST,
    port: values.PORT,
    baseUrl: (values.BASE_URL ?? `http://localhost:${values.PORT}`).replace(/\/$/, ''),
    databaseUrl: values.DATABASE_URL,
    dataDir: path.resolve(values.DATA_DIR),
    sessionSecret: values.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET,
    logLevel: values.LOG_LEVEL,
    seedDemo: values.SEED_DEMO,
    dbPoolSize: values.DB_POOL_SIZE,
    geocoderUrl: values.GEOCODER_URL?.replace(/\/$/, ''),
    smtpUrl: values.SMTP_URL,
    mailFrom: values.MAIL_FROM,
    secretsEncryptionKey: values.SECRETS_ENCRYPTION_KEY ?? DEVELOPMENT_ENCRYPTION_KEY,
    feedbackUrl:
      values.JDMA_PRODUCT_ID === undefined
        ? null
        : `https://jedonnemonavis.numerique.gouv.fr/Demarches/${values.JDMA_PRODUCT_ID}${values.JDMA_BUTTON_ID === undefined ? '' : `?button=${values.JDMA_BUTTON_ID}`}`,
  };
}
