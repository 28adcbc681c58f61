CREATE INDEX `bonus_lots_status_expiry` ON `bonus_lots` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `bonus_lots_issue_transfer` ON `bonus_lots` (`issue_transfer_id`);--> statement-breakpoint
CREATE INDEX `ledger_transfers_reverses` ON `ledger_transfers` (`reverses_transfer_id`) WHERE "ledger_transfers"."reverses_transfer_id" IS NOT NULL;