export { registerHomeRoutes } from './home.routes.js';
