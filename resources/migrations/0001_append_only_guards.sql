-- Transfers and rule versions are append-only: history is corrected by new rows, never rewritten.
CREATE TRIGGER ledger_transfers_no_update BEFORE UPDATE ON ledger_transfers
BEGIN SELECT RAISE(ABORT, 'ledger_transfers is append-only: post a reversing transfer instead'); END;
--> statement-breakpoint
CREATE TRIGGER ledger_transfers_no_delete BEFORE DELETE ON ledger_transfers
BEGIN SELECT RAISE(ABORT, 'ledger_transfers is append-only: post a reversing transfer instead'); END;
--> statement-breakpoint
CREATE TRIGGER reward_rule_versions_no_update BEFORE UPDATE ON reward_rule_versions
BEGIN SELECT RAISE(ABORT, 'reward_rule_versions are immutable: save a new version instead'); END;
--> statement-breakpoint
CREATE TRIGGER reward_rule_versions_no_delete BEFORE DELETE ON reward_rule_versions
BEGIN SELECT RAISE(ABORT, 'reward_rule_versions are immutable: save a new version instead'); END;
