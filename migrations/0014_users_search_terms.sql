-- Reserved for the users directory's search terms (maintainer: users search).
-- Replaced by the real migration in the same session; a no-op until then.
SELECT 1;
