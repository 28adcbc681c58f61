ALTER TABLE `players` ADD `tier_since` text;--> statement-breakpoint
ALTER TABLE `players` ADD `tier_qualified_on` text;