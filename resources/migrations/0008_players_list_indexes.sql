DROP INDEX `players_segment`;--> statement-breakpoint
DROP INDEX `players_tier`;--> statement-breakpoint
CREATE INDEX `players_segment_external` ON `players` (`segment`,`external_id`);--> statement-breakpoint
CREATE INDEX `players_tier_external` ON `players` (`tier_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `players_abuse_score` ON `players` (`abuse_score`,`external_id`);--> statement-breakpoint
CREATE INDEX `players_risk_score` ON `players` (`risk_score`,`external_id`);