/**
 * Low-credit alerts: when a provider reports fewer credits than the territory's threshold, or
 * answers that the account has none left, the territory's admins get an e-mail — at most one a
 * day per territory (the conditional update lets one worker win).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { encryptSecret } from '../../platform/security/index.js';
import { accountMailAssociatedData, type DeliveryDependencies } from './delivery.js';
import { insertNotifications, type NewNotification } from './notifications.repository.js';

const ALERT_INTERVAL_MS = 24 * 60 * 60 * 1000;

export async function alertOnCredit(
  deps: DeliveryDependencies,
  input: { readonly now: Date; readonly credits: readonly { readonly territoryId: number; readonly remaining: number }[]; readonly outOfCredit: readonly number[] },
): Promise<number> {
  const low = new Map<number, number | null>();
  for (const territoryId of input.outOfCredit) low.set(territoryId, 0);
  for (const { territoryId, remaining } of input.credits) {
    if (low.has(territoryId)) continue;
    const settings = await deps.db.selectFrom('territory_sms_settings').select('low_credit_threshold').where('territory_id', '=', territoryId).executeTakeFirst();
    if (settings?.low_credit_threshold !== null && settings?.low_credit_threshold !== undefined && remaining < settings.low_credit_threshold) low.set(territoryId, remaining);
  }
  let alerts = 0;
  for (const [territoryId, remaining] of low) {
    const claimed = await deps.db
      .updateTable('territory_sms_settings')
      .set({ low_credit_alerted_at: input.now })
      .where('territory_id', '=', territoryId)
      .where((eb) => eb.or([eb('low_credit_alerted_at', 'is', null), eb('low_credit_alerted_at', '<', new Date(input.now.getTime() - ALERT_INTERVAL_MS))]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    const admins = await sql<{ email: string; name: string }>`
      SELECT a.email, t.name FROM agent_territorial_roles r
        JOIN agents a ON a.id = r.agent_id
        JOIN territories t ON t.id = r.territory_id
       WHERE r.territory_id = ${territoryId} AND a.deleted_at IS NULL AND a.email IS NOT NULL`.execute(deps.db);
    const rows: NewNotification[] = admins.rows.map((admin) => {
      const idempotencyKey = `account:${randomUUID()}`;
      const text = [
        'Bonjour,',
        '',
        remaining === 0
          ? `Le fournisseur SMS du territoire ${admin.name} indique que le crédit est épuisé : les SMS passent par le fournisseur de secours s’il y en a un, sinon ils attendent.`
          : `Le crédit SMS du territoire ${admin.name} passe sous le seuil d’alerte : il reste ${String(remaining)} crédits.`,
        '',
        'Rechargez le compte auprès du fournisseur, ou configurez un fournisseur de secours dans « Paramètres SMS » du territoire.',
        '',
        'Créneau',
      ].join('\n');
      const message = { to: admin.email, subject: remaining === 0 ? 'Crédit SMS épuisé' : 'Crédit SMS bientôt épuisé', text };
      return {
        idempotencyKey,
        event: 'account',
        channel: 'mail',
        appointmentId: null,
        userId: null,
        agentId: null,
        territoryId,
        outboxEventId: null,
        details: { kind: 'low-credit' },
        contentEncrypted: encryptSecret(JSON.stringify(message), deps.keyring, accountMailAssociatedData(idempotencyKey)),
        notBefore: input.now,
        notAfter: null,
      };
    });
    alerts += await insertNotifications(deps.db, rows);
    deps.log.warn({ territoryId, remaining }, 'crédit SMS bas : administrateurs prévenus');
  }
  return alerts;
}
