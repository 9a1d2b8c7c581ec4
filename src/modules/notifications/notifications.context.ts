// The delivery dependencies of a process context: its database, mailer, keyring and settings.
import type { AppContext } from '../../platform/context.js';
import { createSecretKeyring, type SecretKeyring } from '../../platform/security/index.js';
import type { DeliveryDependencies, DeliveryLog } from './delivery.js';

const keyrings = new Map<string, SecretKeyring>();

/** One keyring per key (HKDF runs once). */
export function keyringOf(context: AppContext): SecretKeyring {
  let keyring = keyrings.get(context.config.secretsEncryptionKey);
  if (keyring === undefined) {
    keyring = createSecretKeyring(context.config.secretsEncryptionKey);
    keyrings.set(context.config.secretsEncryptionKey, keyring);
  }
  return keyring;
}

/** `Créneau <ne-pas-repondre@x>` → `ne-pas-repondre@x`. */
export function addressOf(mailbox: string): string {
  return /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox.trim();
}

export function deliveryDependencies(context: AppContext, log: DeliveryLog, options: { readonly fetch?: typeof fetch } = {}): DeliveryDependencies {
  return {
    db: context.db,
    mailer: context.mailer,
    keyring: keyringOf(context),
    baseUrl: context.config.baseUrl,
    mailFromAddress: addressOf(context.config.mailFrom),
    production: context.config.nodeEnv === 'production',
    reportSecret: context.config.secretsEncryptionKey,
    log,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
}
