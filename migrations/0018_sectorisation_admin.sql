-- Reserved for sectorisation administration — sectors, zones, CSV import (issue 11 §2).
-- Replaced by the real migration in the same session; a no-op until then.
SELECT 1;
