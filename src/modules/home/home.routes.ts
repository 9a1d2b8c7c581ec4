import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { csrfToken } from '../../platform/security/index.js';
import type { Html } from '../../platform/views/jsx.js';
import { AddressForm, type AddressFormProps } from '../public-booking/index.js';
import { listTerritorySummaries } from './home.repository.js';
import { HomePage } from './views/home-page.js';

/** Renders the home page, with the address form's kept value and error when re-rendered (422). */
export function createHomeRenderer(context: AppContext) {
  return async (request: FastifyRequest, form: Omit<AddressFormProps, 'csrfToken'> = {}): Promise<Html> => {
    const territories = await listTerritorySummaries(context.db);
    return HomePage({ territories, searchForm: AddressForm({ ...form, csrfToken: csrfToken(request) }) });
  };
}
