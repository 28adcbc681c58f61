DROP INDEX `abuse_signals_player`;--> statement-breakpoint
CREATE INDEX `abuse_signals_player_evaluation` ON `abuse_signals` (`player_id`,`evaluation_id`);