// Public API of the home module: the landing page plugin, and its renderer (the funnel re-renders
// the address form with an error).
export { homePlugin } from './home.plugin.js';
export { createHomeRenderer } from './home.routes.js';
