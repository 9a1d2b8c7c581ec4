// Public API of the slot search: the plugin, and the use case and page for the benchmark.
export { slotSearchPlugin } from './slot-search.plugin.js';
export { searchAgentSlots, type SlotSearchModel, type SlotSearchQuery } from './slot-search.use-cases.js';
export { SlotSearchPage } from './views/slot-search-page.js';
