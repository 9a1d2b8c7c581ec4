import { describe, expect, it } from 'vitest';
import { createSmsProvider } from './create-sms-provider.js';

describe('log provider', () => {
  it('sends nothing, answers processed and logs neither the number nor the text nor the sender', async () => {
    const lines: string[] = [];
    const provider = createSmsProvider('log', {}, { logger: { info: (fields, message) => lines.push(JSON.stringify({ fields, message })) } });

    const accepted = await provider.send({ to: '+33612345678', text: 'Rappel RDV secret', sender: 'CD77', reference: 'att1' });

    expect(accepted).toEqual({ result: 'processed', providerMessageId: null, segments: null, remainingCredits: null });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('att1');
    expect(lines[0]).not.toMatch(/612345678|Rappel|CD77/);
    await expect(provider.remainingCredits()).resolves.toBeNull();
  });
});
