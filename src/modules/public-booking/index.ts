// Public API of public booking: the citizen's funnel (address → service → motif → place → week of
// slots → identification → details → confirmation), the prescripteur path and invitation links.
export { registerFunnelRoutes, type RenderHome } from './funnel.routes.js';
export { registerConfirmRoutes } from './confirm.routes.js';
export { AddressForm, type AddressFormProps } from './views/funnel-pages.js';
export { findOrCreateBeneficiary, type BeneficiaryIdentity, type FindOrCreateBeneficiaryResult } from './beneficiaries.use-cases.js';
