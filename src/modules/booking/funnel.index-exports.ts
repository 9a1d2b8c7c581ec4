// Exports of the public funnel, re-exported by index.ts.
export { registerFunnelRoutes, type RenderHome } from './funnel.routes.js';
export { AddressForm, type AddressFormProps } from './views/funnel-pages.js';
export { registerConfirmRoutes } from './confirm.routes.js';
export { createInvitation, openInvitation, type InvitationScope } from './invitations.use-cases.js';
