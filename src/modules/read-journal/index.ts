// Public API of the read journal: who read which usagers' records, when and why (ADR 0019).
export { purgeReadJournal, recordRead, type ReadJournalEntry } from './read-journal.repository.js';
export { readJournalJobs } from './read-journal.jobs.js';
