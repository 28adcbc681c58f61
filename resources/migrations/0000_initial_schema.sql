CREATE TABLE `abuse_signals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`player_id` integer NOT NULL,
	`evaluation_id` integer,
	`signal` text NOT NULL,
	`score` integer NOT NULL,
	`details` text,
	`detected_at` text NOT NULL,
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `abuse_signals_player` ON `abuse_signals` (`player_id`);--> statement-breakpoint
CREATE TABLE `activity_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`player_id` integer NOT NULL,
	`import_id` integer,
	`occurred_at` text NOT NULL,
	`type` text NOT NULL,
	`amount` integer,
	`game_type` text,
	`ip` text,
	`device_id` text,
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `activity_events_event_id_unique` ON `activity_events` (`event_id`);--> statement-breakpoint
CREATE INDEX `activity_events_player_time` ON `activity_events` (`player_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `activity_events_ip` ON `activity_events` (`ip`);--> statement-breakpoint
CREATE INDEX `activity_events_device` ON `activity_events` (`device_id`);--> statement-breakpoint
CREATE TABLE `bonus_lots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`player_id` integer NOT NULL,
	`issue_transfer_id` integer NOT NULL,
	`amount` integer NOT NULL,
	`wagering_target` integer NOT NULL,
	`wagering_progress` integer DEFAULT 0 NOT NULL,
	`max_bet` integer,
	`contributions` text NOT NULL,
	`expires_at` text,
	`status` text NOT NULL,
	`closed_at` text,
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issue_transfer_id`) REFERENCES `ledger_transfers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "bonus_lots_progress_bounded" CHECK("bonus_lots"."wagering_progress" BETWEEN 0 AND "bonus_lots"."wagering_target")
);
--> statement-breakpoint
CREATE INDEX `bonus_lots_player_status` ON `bonus_lots` (`player_id`,`status`,`expires_at`);--> statement-breakpoint
CREATE TABLE `evaluations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`as_of` text NOT NULL,
	`config_hash` text NOT NULL,
	`status` text NOT NULL,
	`players_evaluated` integer DEFAULT 0 NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text
);
--> statement-breakpoint
CREATE TABLE `import_row_errors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`import_id` integer NOT NULL,
	`sheet` text,
	`row_number` integer NOT NULL,
	`column` text,
	`value` text,
	`message` text NOT NULL,
	`original` text,
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `import_row_errors_import` ON `import_row_errors` (`import_id`,`row_number`);--> statement-breakpoint
CREATE TABLE `imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`file_name` text NOT NULL,
	`content_hash` text NOT NULL,
	`source_profile` text,
	`as_of` text,
	`status` text NOT NULL,
	`rows_total` integer DEFAULT 0 NOT NULL,
	`rows_accepted` integer DEFAULT 0 NOT NULL,
	`rows_rejected` integer DEFAULT 0 NOT NULL,
	`mapping` text,
	`started_at` text NOT NULL,
	`finished_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `imports_content_hash_unique` ON `imports` (`content_hash`);--> statement-breakpoint
CREATE TABLE `ledger_accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`player_id` integer,
	`system_name` text,
	`currency` text NOT NULL,
	`balance` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_accounts_owner" CHECK(("ledger_accounts"."player_id" IS NULL) <> ("ledger_accounts"."system_name" IS NULL)),
	CONSTRAINT "ledger_accounts_player_not_negative" CHECK("ledger_accounts"."player_id" IS NULL OR "ledger_accounts"."balance" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_accounts_player_currency_unique` ON `ledger_accounts` (`player_id`,`currency`);--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_accounts_system_currency_unique` ON `ledger_accounts` (`system_name`,`currency`);--> statement-breakpoint
CREATE TABLE `ledger_transfers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`idempotency_key` text NOT NULL,
	`debit_account_id` integer NOT NULL,
	`credit_account_id` integer NOT NULL,
	`currency` text NOT NULL,
	`amount` integer NOT NULL,
	`kind` text NOT NULL,
	`reason` text NOT NULL,
	`source_type` text NOT NULL,
	`source_id` text NOT NULL,
	`reverses_transfer_id` integer,
	`lot_id` integer,
	`created_at` text NOT NULL,
	`previous_hash` text NOT NULL,
	`hash` text NOT NULL,
	FOREIGN KEY (`debit_account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`credit_account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_transfers_amount_positive" CHECK("ledger_transfers"."amount" > 0),
	CONSTRAINT "ledger_transfers_distinct_accounts" CHECK("ledger_transfers"."debit_account_id" <> "ledger_transfers"."credit_account_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transfers_idempotency_key_unique` ON `ledger_transfers` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `ledger_transfers_debit` ON `ledger_transfers` (`debit_account_id`);--> statement-breakpoint
CREATE INDEX `ledger_transfers_credit` ON `ledger_transfers` (`credit_account_id`);--> statement-breakpoint
CREATE TABLE `metric_snapshots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`player_id` integer NOT NULL,
	`import_id` integer,
	`as_of` text NOT NULL,
	`total_deposited` integer,
	`total_withdrawn` integer,
	`total_wagered` integer,
	`total_won` integer,
	`bonus_received` integer,
	`sessions` integer,
	`playtime_minutes` integer,
	`last_deposit_date` text,
	`registration_date` text,
	`last_active_date` text,
	`country` text,
	`ip` text,
	`device_id` text,
	`game_types` text,
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `metric_snapshots_player_as_of` ON `metric_snapshots` (`player_id`,`as_of`);--> statement-breakpoint
CREATE TABLE `players` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`external_id` text NOT NULL,
	`segment` text,
	`tier_id` integer,
	`risk_score` integer,
	`abuse_score` integer,
	`first_seen_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	FOREIGN KEY (`tier_id`) REFERENCES `tiers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "players_risk_score_range" CHECK("players"."risk_score" IS NULL OR "players"."risk_score" BETWEEN 0 AND 100),
	CONSTRAINT "players_abuse_score_range" CHECK("players"."abuse_score" IS NULL OR "players"."abuse_score" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `players_external_id_unique` ON `players` (`external_id`);--> statement-breakpoint
CREATE INDEX `players_segment` ON `players` (`segment`);--> statement-breakpoint
CREATE INDEX `players_tier` ON `players` (`tier_id`);--> statement-breakpoint
CREATE TABLE `review_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`player_id` integer NOT NULL,
	`abuse_score` integer NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`opened_at` text NOT NULL,
	`decided_at` text,
	`decided_by` text,
	`note` text,
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_items_status` ON `review_items` (`status`,`opened_at`);--> statement-breakpoint
CREATE TABLE `reward_decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`evaluation_id` integer NOT NULL,
	`player_id` integer NOT NULL,
	`rule_version_id` integer NOT NULL,
	`outcome` text NOT NULL,
	`currency` text NOT NULL,
	`amount` integer NOT NULL,
	`reason` text NOT NULL,
	`explanation` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`transfer_id` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rule_version_id`) REFERENCES `reward_rule_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`transfer_id`) REFERENCES `ledger_transfers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reward_decisions_amount_not_negative" CHECK("reward_decisions"."amount" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reward_decisions_key_unique` ON `reward_decisions` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `reward_decisions_player` ON `reward_decisions` (`player_id`);--> statement-breakpoint
CREATE INDEX `reward_decisions_rule_version` ON `reward_decisions` (`rule_version_id`);--> statement-breakpoint
CREATE TABLE `reward_rule_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule_id` integer NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`rule_id`) REFERENCES `reward_rules`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reward_rule_versions_rule_version_unique` ON `reward_rule_versions` (`rule_id`,`version`);--> statement-breakpoint
CREATE TABLE `reward_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`status` text NOT NULL,
	`current_version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reward_rules_code_unique` ON `reward_rules` (`code`);--> statement-breakpoint
CREATE TABLE `segment_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`player_id` integer NOT NULL,
	`evaluation_id` integer,
	`as_of` text NOT NULL,
	`from_segment` text,
	`to_segment` text NOT NULL,
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `segment_history_player` ON `segment_history` (`player_id`,`as_of`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tier_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`player_id` integer NOT NULL,
	`from_tier_id` integer,
	`to_tier_id` integer,
	`as_of` text NOT NULL,
	`reason` text NOT NULL,
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_tier_id`) REFERENCES `tiers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_tier_id`) REFERENCES `tiers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tier_history_player` ON `tier_history` (`player_id`,`as_of`);--> statement-breakpoint
CREATE TABLE `tiers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`rank` integer NOT NULL,
	`qualifying_points` integer NOT NULL,
	`window_days` integer NOT NULL,
	`points_multiplier_bp` integer DEFAULT 10000 NOT NULL,
	`cashback_bp` integer DEFAULT 0 NOT NULL,
	`reward_point_rate_bp` integer DEFAULT 0 NOT NULL,
	`downgrade_grace_days` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tiers_code_unique` ON `tiers` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `tiers_rank_unique` ON `tiers` (`rank`);