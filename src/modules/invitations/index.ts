// Public API of the invitations module: a partner (e.g. RDV-Insertion) invites one usager to book
// within a motif category and some organisations; the link is an access token.
export { createInvitation, openInvitation, revokeInvitation, verifyInvitation, type InvitationScope } from './invitations.use-cases.js';
