CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`action` text NOT NULL,
	`actor` text NOT NULL,
	`subject` text NOT NULL,
	`reason` text NOT NULL,
	`details` text,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_subject` ON `audit_log` (`subject`,`at`);--> statement-breakpoint
CREATE TABLE `lot_wagers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`lot_id` integer NOT NULL,
	`counted` integer NOT NULL,
	`over_max_bet` integer DEFAULT false NOT NULL,
	`applied_at` text NOT NULL,
	FOREIGN KEY (`lot_id`) REFERENCES `bonus_lots`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lot_wagers_event_unique` ON `lot_wagers` (`event_id`);--> statement-breakpoint
CREATE INDEX `lot_wagers_lot` ON `lot_wagers` (`lot_id`);--> statement-breakpoint
CREATE TABLE `payout_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`transfer_id` integer NOT NULL,
	`player_id` integer NOT NULL,
	`currency` text NOT NULL,
	`amount` integer NOT NULL,
	`reference` text NOT NULL,
	`status` text NOT NULL,
	`export_batch` text,
	`exported_at` text,
	`confirmed_at` text,
	`note` text,
	FOREIGN KEY (`transfer_id`) REFERENCES `ledger_transfers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payout_items_transfer_unique` ON `payout_items` (`transfer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `payout_items_reference_unique` ON `payout_items` (`reference`);--> statement-breakpoint
CREATE INDEX `payout_items_status` ON `payout_items` (`status`);