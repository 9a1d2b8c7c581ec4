/**
 * How an agent proves who they are (ADR 0015): a port, so that ProConnect (OpenID Connect, the
 * State's identity provider for public agents) can be added later beside the password without
 * touching the sign-in routes or the session. Every provider ends the same way: an agent
 * identified (their id and session generation, handed to `startAgentSession`), or a refusal
 * that the route answers without saying whether the address exists.
 *
 * A ProConnect provider would take `{ code, state }` from its callback route as its proof, check
 * the state and nonce kept in the session, exchange the code, verify the ID token, and find the
 * agent by the e-mail it asserts (refusing addresses without an invitation); it would then be one
 * more `AgentIdentityProvider<ProConnectProof>`.
 */
import { signInAgent, type AgentAccountServices, type AgentSignInResult } from './agents.use-cases.js';

/** The outcome of any provider: the same union as the password sign-in's. */
export type AgentIdentification = AgentSignInResult;

export interface AgentIdentityProvider<Proof> {
  /** A stable name, for logs and for the sign-in page's choice ("password", later "proconnect"). */
  readonly name: string;
  /** Checks the proof and says which agent it identifies. */
  identify(proof: Proof, now: Date): Promise<AgentIdentification>;
}

/** The proof of the password provider: what the sign-in form sends. */
export interface PasswordProof {
  readonly email: string;
  readonly password: string;
}

/** E-mail and password (Argon2id), with the per-address throttle of agent sign-ins. */
export function passwordIdentityProvider(services: AgentAccountServices): AgentIdentityProvider<PasswordProof> {
  return {
    name: 'password',
    identify: (proof, now) => signInAgent(services, { email: proof.email, password: proof.password, now }),
  };
}
