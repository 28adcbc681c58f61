PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_reward_decisions` (
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
	`created_at` text NOT NULL,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rule_version_id`) REFERENCES `reward_rule_versions`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reward_decisions_amount_not_negative" CHECK("__new_reward_decisions"."amount" >= 0)
);
--> statement-breakpoint
INSERT INTO `__new_reward_decisions`("id", "evaluation_id", "player_id", "rule_version_id", "outcome", "currency", "amount", "reason", "explanation", "idempotency_key", "created_at") SELECT "id", "evaluation_id", "player_id", "rule_version_id", "outcome", "currency", "amount", "reason", "explanation", "idempotency_key", "created_at" FROM `reward_decisions`;--> statement-breakpoint
DROP TABLE `reward_decisions`;--> statement-breakpoint
ALTER TABLE `__new_reward_decisions` RENAME TO `reward_decisions`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `reward_decisions_key_unique` ON `reward_decisions` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `reward_decisions_player` ON `reward_decisions` (`player_id`);--> statement-breakpoint
CREATE INDEX `reward_decisions_rule_version` ON `reward_decisions` (`rule_version_id`);