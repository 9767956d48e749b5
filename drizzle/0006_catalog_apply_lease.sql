ALTER TABLE "catalog_settings" ADD COLUMN "apply_lease_holder" text;--> statement-breakpoint
ALTER TABLE "catalog_settings" ADD COLUMN "apply_lease_until" timestamp with time zone;