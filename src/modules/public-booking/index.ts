// Public API of public booking: the citizen's funnel (address → service → motif → place → week of
// slots → identification → details → confirmation), the prescripteur path and invitation links.
export { publicBookingPlugin, type PublicBookingPluginOptions } from './public-booking.plugin.js';
export type { RenderHome } from './funnel.routes.js';
export { AddressForm, type AddressFormProps } from './views/funnel-pages.js';
export { findOrCreateBeneficiary, type BeneficiaryIdentity, type FindOrCreateBeneficiaryResult } from './beneficiaries.use-cases.js';
export { resolveScope, loadCatalogue, type SearchLocation, type FunnelScope, type Catalogue } from './funnel.use-cases.js';
