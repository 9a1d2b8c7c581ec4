import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { contrastRatio, isHexColour } from './shared/color/contrast.js';

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
  EMBEDDED_DATABASE: z.enum(['0', '1'], 'doit valoir 1 ou 0').optional(),
  DEV_OUTBOX: z.enum(['0', '1'], 'doit valoir 1 ou 0').optional(),
  TRUST_PROXY: z.string().optional(),
  WORKER: z.enum(['inline', 'off'], 'doit valoir inline ou off').optional(),
  AGENT_SESSION_IDLE_MINUTES: z.coerce.number().int().min(5, 'doit valoir au moins 5').max(720, 'doit valoir au plus 720').default(60),
  AGENT_SESSION_MAX_HOURS: z.coerce.number().int().min(1, 'doit valoir au moins 1').max(12, 'doit valoir au plus 12 (durée maximale de toute session)').default(12),
  IMPERSONATION_MINUTES: z.coerce.number().int().min(1, 'doit valoir au moins 1').max(240, 'doit valoir au plus 240').default(30),
  NOTIFICATION_LEASE_SECONDS: z.coerce.number().int().min(1, 'doit valoir au moins 1').max(3600, 'doit valoir au plus 3600').default(300),
  SMS_REPORT_WAIT_SECONDS: z.coerce.number().int().min(0, 'doit être positif').max(86_400, 'doit valoir au plus 86400').default(600),
  NOTIFICATION_CONCURRENCY: z.coerce.number().int().min(1, 'doit valoir au moins 1').max(200, 'doit valoir au plus 200').default(32),
  READ_JOURNAL_RETENTION_DAYS: z.coerce.number().int().min(30, 'doit valoir au moins 30').max(3650, 'doit valoir au plus 3650').default(365),
  THEME: z.enum(['dsfr', 'neutral'], 'doit valoir dsfr ou neutral').default('dsfr'),
  THEME_SERVICE_NAME: z.string().trim().min(2, 'doit contenir au moins 2 caractères').max(60, 'doit contenir au plus 60 caractères').optional(),
  THEME_TAGLINE: z.string().trim().min(2).max(140, 'doit contenir au plus 140 caractères').optional(),
  THEME_OPERATOR_NAME: z.string().trim().min(2).max(120, 'doit contenir au plus 120 caractères').optional(),
  THEME_LOGO_PATH: z.string().regex(/\.(svg|png|jpe?g|webp)$/i, 'doit être un fichier .svg, .png, .jpg ou .webp').optional(),
  THEME_LOGO_ALT: z.string().trim().min(2).max(120).optional(),
  THEME_PRIMARY_COLOR: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'doit être une couleur #rrggbb').optional(),
  EXPORT_RETENTION_HOURS: z.coerce.number().int().min(1, 'doit valoir au moins 1').max(720, 'doit valoir au plus 720').default(24),
});

/**
 * Which proxies may set the client's address through X-Forwarded-For: `false` trusts none (the
 * socket's address is the client's), a number trusts that many hops in front of the app, a list
 * trusts those addresses and networks only. Passed as is to Fastify's `trustProxy`.
 */
export type TrustProxy = false | number | string[];

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
  /** `auto`: seed the demo territory on the first start of an empty embedded database; always `never` in production. */
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
  /** Whether the `/dev/outbox` pages are served (never in production). */
  devOutbox: boolean;
  trustProxy: TrustProxy;
  /**
   * `inline`: the web process also runs the jobs (pg-boss); `off`: a separate `worker` process
   * does. The embedded database can be opened by one process only, so it requires `inline`.
   */
  worker: 'inline' | 'off';
  /** An agent session unused for this long ends (default 60 minutes). */
  agentSessionIdleMinutes: number;
  /** An agent session ends this long after sign-in, however active (default 12 hours). */
  agentSessionMaxHours: number;
  /** « Se connecter en tant que » (super admins, ADR 0032) lasts this long (default 30 minutes). */
  impersonationMinutes: number;
  /**
   * Delivery of notifications (worker): how long a claimed message stays `sending` before another
   * worker treats it as interrupted, how long to wait for an SMS provider's delivery report before
   * sending an interrupted SMS again, and how many messages are in flight at once.
   */
  notifications: { leaseSeconds: number; reportWaitSeconds: number; concurrency: number };
  /** How long the read journal keeps its rows before the purge (default 365 days). */
  readJournalRetentionDays: number;
  /** How long an export stays downloadable by the agent who asked for it (default 24 hours). */
  exportRetentionHours: number;
  /** The look of the pages (ADR 0026): the State's DSFR, or a neutral theme for a collectivité. */
  theme: ThemeConfig;
}

/**
 * `dsfr`: the State's design system with its brand block (State services only, per its terms of
 * use). `neutral`: the same markup and components without the State's brand (no Marianne block,
 * no Marianne font), with the operator's name, logo and main colour.
 */
export interface ThemeConfig {
  kind: 'dsfr' | 'neutral';
  serviceName: string;
  tagline: string;
  operatorName: string;
  /** A file served at /theme/logo (neutral only). */
  logoPath: string | null;
  logoAlt: string | null;
  /** The main colour of buttons, links and active items (neutral only); ≥ 4.5:1 against white. */
  primaryColor: string | null;
}

/** Text on the primary colour (buttons) and the primary colour on white (links) both need this. */
export const MIN_THEME_CONTRAST = 4.5;
const DEFAULT_NEUTRAL_COLOR = '#1f4e79';

function themeOf(values: z.infer<typeof schema>): ThemeConfig {
  const common = {
    serviceName: values.THEME_SERVICE_NAME ?? 'Créneau',
    tagline: values.THEME_TAGLINE ?? 'Prendre rendez-vous avec les services sociaux de votre département',
    operatorName: values.THEME_OPERATOR_NAME ?? 'Créneau — commun numérique des départements',
  };
  if (values.THEME === 'dsfr') {
    for (const variable of ['THEME_LOGO_PATH', 'THEME_LOGO_ALT', 'THEME_PRIMARY_COLOR'] as const) {
      if (values[variable] !== undefined) invalid(`${variable} ne s’applique qu’au thème neutre (THEME=neutral) : le DSFR impose sa marque et ses couleurs`);
    }
    return { kind: 'dsfr', ...common, logoPath: null, logoAlt: null, primaryColor: null };
  }
  const primaryColor = (values.THEME_PRIMARY_COLOR ?? DEFAULT_NEUTRAL_COLOR).toLowerCase();
  if (!isHexColour(primaryColor)) invalid('THEME_PRIMARY_COLOR doit être une couleur #rrggbb');
  const ratio = contrastRatio(primaryColor, '#ffffff');
  if (ratio < MIN_THEME_CONTRAST) {
    invalid(
      `THEME_PRIMARY_COLOR ${primaryColor} n’a qu’un contraste de ${ratio.toFixed(2).replace('.', ',')}:1 avec le blanc ; il faut au moins 4,5:1 (RGAA, critère 3.2) : choisissez une teinte plus foncée`,
    );
  }
  if (values.THEME_LOGO_PATH !== undefined && values.THEME_LOGO_ALT === undefined) {
    invalid('THEME_LOGO_ALT est obligatoire avec THEME_LOGO_PATH : le texte du logo, lu par les lecteurs d’écran (par exemple « Département du Calvados »)');
  }
  return { kind: 'neutral', ...common, logoPath: values.THEME_LOGO_PATH ?? null, logoAlt: values.THEME_LOGO_ALT ?? null, primaryColor };
}

/**
 * Minimum estimated strength of a production secret. The estimate is the string's Shannon
 * entropy (from its own character frequencies) times its length: it rejects placeholders,
 * repeated characters and words typed by hand, not every weak secret — generate secrets with
 * `openssl rand -base64 48`. 128 bits is the ANSSI's minimum for symmetric keys.
 */
export const MIN_SECRET_BITS = 128;
export const MIN_SECRET_DISTINCT_CHARACTERS = 10;
const MIN_SECRET_LENGTH = 32;

/** Shannon entropy of the string's characters, times its length, in bits. */
export function estimateSecretBits(secret: string): number {
  const characters = Array.from(secret); // code points: an accented letter counts once
  const counts = new Map<string, number>();
  for (const character of characters) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bitsPerCharacter = 0;
  for (const count of counts.values()) {
    const probability = count / characters.length;
    bitsPerCharacter -= probability * Math.log2(probability);
  }
  return bitsPerCharacter * characters.length;
}

/** Why a production secret is refused, or null when it is acceptable. */
function weakSecretReason(secret: string, developmentValue: string): string | null {
  if (secret === developmentValue) return 'est la valeur de développement ; générez un secret (openssl rand -base64 48)';
  if (Array.from(secret).length < MIN_SECRET_LENGTH) return `doit contenir au moins ${MIN_SECRET_LENGTH} caractères`;
  const distinct = new Set(secret).size;
  if (distinct < MIN_SECRET_DISTINCT_CHARACTERS) {
    return `est trop prévisible (${distinct} caractères différents, ${MIN_SECRET_DISTINCT_CHARACTERS} au moins) ; générez-le (openssl rand -base64 48)`;
  }
  const bits = estimateSecretBits(secret);
  if (bits < MIN_SECRET_BITS) {
    return `est trop prévisible (environ ${Math.floor(bits)} bits d’entropie, ${MIN_SECRET_BITS} au moins) ; générez-le (openssl rand -base64 48)`;
  }
  return null;
}

/** `a.b.c.d`, `a.b.c.d/n` (n ≤ 32), an IPv6 address or `address/n` (n ≤ 128). */
function isAddressOrNetwork(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  if (rest.length > 0) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** TRUST_PROXY: unset = trust nobody; a hop count ≥ 1; or a comma-separated list of addresses/CIDRs. */
function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined) return false;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    if (hops < 1 || hops > 10) {
      throw new ConfigError(
        'Configuration invalide : TRUST_PROXY doit être un nombre de proxys entre 1 et 10 (laissez la variable vide pour n’en croire aucun)',
      );
    }
    return hops;
  }
  const entries = trimmed.split(',').map((entry) => entry.trim());
  const invalid = entries.find((entry) => !isAddressOrNetwork(entry));
  if (invalid !== undefined) {
    throw new ConfigError(
      `Configuration invalide : TRUST_PROXY doit être un nombre de proxys ou une liste d’adresses IP ou de réseaux CIDR séparés par des virgules (« ${invalid} » n’en est pas un)`,
    );
  }
  return entries;
}

function invalid(message: string): never {
  throw new ConfigError(`Configuration invalide : ${message}`);
}

/** Production fails closed: what a development default would silently allow is refused here. */
function checkProduction(values: z.infer<typeof schema>): void {
  for (const variable of ['SESSION_SECRET', 'SMTP_URL', 'SECRETS_ENCRYPTION_KEY', 'BASE_URL'] as const) {
    if (values[variable] === undefined) invalid(`${variable} est obligatoire en production`);
  }
  const secrets = [
    ['SESSION_SECRET', values.SESSION_SECRET ?? '', DEVELOPMENT_SESSION_SECRET],
    ['SECRETS_ENCRYPTION_KEY', values.SECRETS_ENCRYPTION_KEY ?? '', DEVELOPMENT_ENCRYPTION_KEY],
  ] as const;
  for (const [variable, secret, developmentValue] of secrets) {
    const reason = weakSecretReason(secret, developmentValue);
    if (reason !== null) invalid(`${variable} ${reason}`);
  }
  // One leaked value must not give both the sessions and the secrets stored in the database.
  if (values.SESSION_SECRET === values.SECRETS_ENCRYPTION_KEY) {
    invalid('SECRETS_ENCRYPTION_KEY doit être différent de SESSION_SECRET');
  }
  if (values.DATABASE_URL === undefined && values.EMBEDDED_DATABASE !== '1') {
    invalid(
      'DATABASE_URL est obligatoire en production (ou EMBEDDED_DATABASE=1 pour utiliser sciemment la base embarquée, un seul processus)',
    );
  }
  // Créneau does not terminate TLS: an https BASE_URL means a proxy in front. Unnamed, it is not
  // believed about X-Forwarded-Proto either, and @fastify/session refuses to set its Secure cookie
  // on what it takes for plain http: no session, no form would pass the CSRF check.
  if (values.BASE_URL?.startsWith('https://') === true && values.TRUST_PROXY === undefined) {
    invalid('TRUST_PROXY est obligatoire en production avec un BASE_URL en https : nommez le proxy qui termine TLS (adresses ou réseaux)');
  }
  if (values.SEED_DEMO === 'always') invalid('SEED_DEMO=always est interdit en production (données de démonstration)');
  if (values.DEV_OUTBOX === '1') invalid('DEV_OUTBOX=1 est interdit en production (les e-mails seraient lisibles sur /dev/outbox)');
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
  const production = values.NODE_ENV === 'production';
  if (production) checkProduction(values);
  const trustProxy = parseTrustProxy(values.TRUST_PROXY);
  const embedded = values.DATABASE_URL === undefined;
  if (embedded && values.WORKER === 'off') {
    invalid('WORKER=off est impossible avec la base embarquée : un seul processus peut l’ouvrir, le processus web exécute donc les tâches (WORKER=inline)');
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
    // `auto` never seeds in production, even on an empty embedded database.
    seedDemo: production ? 'never' : values.SEED_DEMO,
    dbPoolSize: values.DB_POOL_SIZE,
    geocoderUrl: values.GEOCODER_URL?.replace(/\/$/, ''),
    smtpUrl: values.SMTP_URL,
    mailFrom: values.MAIL_FROM,
    secretsEncryptionKey: values.SECRETS_ENCRYPTION_KEY ?? DEVELOPMENT_ENCRYPTION_KEY,
    feedbackUrl:
      values.JDMA_PRODUCT_ID === undefined
        ? null
        : `https://jedonnemonavis.numerique.gouv.fr/Demarches/${values.JDMA_PRODUCT_ID}${values.JDMA_BUTTON_ID === undefined ? '' : `?button=${values.JDMA_BUTTON_ID}`}`,
    devOutbox: values.DEV_OUTBOX === undefined ? !production : values.DEV_OUTBOX === '1',
    trustProxy,
    worker: values.WORKER ?? (embedded ? 'inline' : 'off'),
    agentSessionIdleMinutes: values.AGENT_SESSION_IDLE_MINUTES,
    agentSessionMaxHours: values.AGENT_SESSION_MAX_HOURS,
    impersonationMinutes: values.IMPERSONATION_MINUTES,
    notifications: {
      leaseSeconds: values.NOTIFICATION_LEASE_SECONDS,
      reportWaitSeconds: values.SMS_REPORT_WAIT_SECONDS,
      concurrency: values.NOTIFICATION_CONCURRENCY,
    },
    readJournalRetentionDays: values.READ_JOURNAL_RETENTION_DAYS,
    exportRetentionHours: values.EXPORT_RETENTION_HOURS,
    theme: themeOf(values),
  };
}
