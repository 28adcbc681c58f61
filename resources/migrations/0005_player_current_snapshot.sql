ALTER TABLE `imports` ADD `summary` text;--> statement-breakpoint
ALTER TABLE `players` ADD `current_snapshot_id` integer;--> statement-breakpoint
ALTER TABLE `players` ADD `current_as_of` text;