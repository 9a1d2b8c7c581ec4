// Public API of the exports (ADR 0024): the plugin, the worker loop the processes start, one
// round of it (tests, benchmark), and the purge job.
export { exportsPlugin } from './exports.plugin.js';
export { runExportRound, startExportWorker, MAX_ATTEMPTS, type ExportLog, type ExportWorker, type ExportWorkerOptions, type RoundOutcome } from './export-worker.js';
export { exportJobs } from './exports.jobs.js';
