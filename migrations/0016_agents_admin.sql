-- Reserved for agents administration and teams (issue 11 §1).
-- Replaced by the real migration in the same session; a no-op until then.
SELECT 1;
