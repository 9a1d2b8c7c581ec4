// Public API of the read journal: who read which usagers' records, when and why (ADR 0019), and
// its page for territorial admins (ADR 0021).
export { purgeReadJournal, recordRead, type ReadJournalEntry } from './read-journal.repository.js';
export { readJournalJobs } from './read-journal.jobs.js';
export { readJournalPlugin } from './http/read-journal.plugin.js';
export { journalUsersPort, type JournalUsersPort } from './http/users-port.js';
