-- Reserved for super admin back office — TOTP, impersonation (issue 11 §3).
-- Replaced by the real migration in the same session; a no-op until then.
SELECT 1;
