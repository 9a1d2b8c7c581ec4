// Public API of the merge of two usagers (ADR 0021): its pages, and the URL the users directory links to.
export { userMergePlugin } from './user-merge.plugin.js';
export { mergePath } from './views/user-merge-pages.js';
