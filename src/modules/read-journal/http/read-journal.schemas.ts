// Route schema of the read journal page (structural layer, ADR 0012): one bounded string per
// filter; their meaning is checked by parseJournalFilters (422 with French messages).
import { z } from 'zod';

const filterField = z.string().max(200).optional();

/** `?agent=&usager=&du=&au=&page=` */
export const journalQuery = z.object({ agent: filterField, usager: filterField, du: filterField, au: filterField, page: filterField });
