/**
 * The development provider: sends nothing. It may log one line per message that says which
 * attempt it was and how long the text is — never the number, the text or the sender.
 */
import type { SmsAccepted, SmsMessage, SmsProvider } from './sms-provider.js';

/** The subset of a pino logger this provider uses. */
export interface SmsLogSink {
  info(fields: Readonly<Record<string, unknown>>, message: string): void;
}

export function createLogProvider(options: { logger?: SmsLogSink | undefined } = {}): SmsProvider {
  return {
    name: 'log',
    send(message: SmsMessage): Promise<SmsAccepted> {
      options.logger?.info({ smsProvider: 'log', reference: message.reference, characters: message.text.length }, 'SMS non envoyé (fournisseur « log » de développement)');
      return Promise.resolve({ result: 'processed', providerMessageId: null, segments: null, remainingCredits: null });
    },
    remainingCredits(): Promise<number | null> {
      return Promise.resolve(null);
    },
    close(): Promise<void> {
      return Promise.resolve();
    },
  };
}
