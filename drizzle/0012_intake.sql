CREATE TABLE "intake_lanes" (
	"store_id" uuid NOT NULL,
	"lane" text NOT NULL,
	"lease_holder" text,
	"lease_until" timestamp with time zone,
	"drained_at" timestamp with time zone,
	"drained" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "intake_lanes_store_id_lane_pk" PRIMARY KEY("store_id","lane")
);
--> statement-breakpoint
ALTER TABLE "webhook_inbox" ADD COLUMN "lane" text;--> statement-breakpoint
ALTER TABLE "intake_lanes" ADD CONSTRAINT "intake_lanes_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_inbox_pending_idx" ON "webhook_inbox" USING btree ("store_id","lane","id") WHERE status = 'received';--> statement-breakpoint
-- Deliveries recorded before lanes: ignored ones end as dropped; any left `received` by a crash
-- between their record and their job joins its lane, where a drain now finds it.
UPDATE "webhook_inbox" SET "status" = 'dropped', "status_reason" = coalesce("status_reason", 'ignored'), "processed_at" = now() WHERE "status" = 'received' AND "payload" ? 'ignored';--> statement-breakpoint
UPDATE "webhook_inbox" SET "lane" = 'bigcommerce' WHERE "status" = 'received' AND "platform" = 'bigcommerce';--> statement-breakpoint
UPDATE "webhook_inbox" SET "lane" = 'lightspeed:' || ("payload"->>'kind') WHERE "status" = 'received' AND "platform" = 'lightspeed' AND "payload"->>'kind' IN ('product', 'inventory', 'sale');
