CREATE TABLE "catalog_conflicts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"store_id" uuid NOT NULL,
	"ls_item_id" text NOT NULL,
	"reason" text NOT NULL,
	"candidates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "catalog_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"store_id" uuid NOT NULL,
	"ls_item_id" text NOT NULL,
	"name" text NOT NULL,
	"sku" text NOT NULL,
	"barcodes" text[] DEFAULT '{}'::text[] NOT NULL,
	"product_type" text,
	"brand" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"tracks_inventory" boolean DEFAULT true NOT NULL,
	"has_variants" boolean DEFAULT false NOT NULL,
	"price" jsonb,
	"variants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"ls_product_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"ls_version" bigint DEFAULT 0 NOT NULL,
	"online_enabled" boolean DEFAULT false NOT NULL,
	"bc_product_id" integer,
	"bc_variant_ids" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sync_state" text DEFAULT 'not_synced' NOT NULL,
	"sync_reason" text,
	"previous_visibility" boolean,
	"synced_version" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"item_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"results" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "catalog_settings" (
	"store_id" uuid PRIMARY KEY NOT NULL,
	"hidden_category_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalog_conflicts" ADD CONSTRAINT "catalog_conflicts_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_items" ADD CONSTRAINT "catalog_items_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_runs" ADD CONSTRAINT "catalog_runs_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_settings" ADD CONSTRAINT "catalog_settings_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "catalog_conflicts_store_item_idx" ON "catalog_conflicts" USING btree ("store_id","ls_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "catalog_items_store_item_uq" ON "catalog_items" USING btree ("store_id","ls_item_id");--> statement-breakpoint
CREATE INDEX "catalog_items_store_name_idx" ON "catalog_items" USING btree ("store_id",lower("name"));--> statement-breakpoint
CREATE INDEX "catalog_items_store_sku_idx" ON "catalog_items" USING btree ("store_id",lower("sku"));--> statement-breakpoint
CREATE INDEX "catalog_items_barcodes_idx" ON "catalog_items" USING gin ("barcodes");--> statement-breakpoint
CREATE INDEX "catalog_items_product_ids_idx" ON "catalog_items" USING gin ("ls_product_ids");--> statement-breakpoint
CREATE INDEX "catalog_items_store_state_idx" ON "catalog_items" USING btree ("store_id","sync_state");--> statement-breakpoint
CREATE INDEX "catalog_runs_store_time_idx" ON "catalog_runs" USING btree ("store_id","created_at");--> statement-breakpoint
CREATE INDEX "lightspeed_entity_versions_item_idx" ON "lightspeed_entity_versions" USING btree ("store_id","kind",coalesce("state"->>'familyId', "state"->>'variantParentId', "entity_id"));