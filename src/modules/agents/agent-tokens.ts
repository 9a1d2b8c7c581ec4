// Link tokens of agent e-mails (invitation, password reset): 32 random bytes in base64url for the
// link, and only their SHA-256 in agent_tokens, so a copy of the table opens nothing.
import { createHash, randomBytes } from 'node:crypto';

/** The SHA-256 (hex) under which a link token is stored and looked up. */
export function hashAgentToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new link token and its hash. */
export function newAgentToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashAgentToken(token) };
}
