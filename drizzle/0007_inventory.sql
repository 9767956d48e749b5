CREATE TABLE "inventory_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"store_id" uuid NOT NULL,
	"ls_product_id" text NOT NULL,
	"bc_variant_id" integer NOT NULL,
	"bc_location_id" integer NOT NULL,
	"from_level" integer,
	"to_level" integer NOT NULL,
	"cause" text NOT NULL,
	"details" jsonb,
	"caused_at" timestamp with time zone,
	"written_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text DEFAULT 'applied' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory_commitments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"store_id" uuid NOT NULL,
	"bc_order_id" integer NOT NULL,
	"bc_order_line_id" integer NOT NULL,
	"part" integer DEFAULT 0 NOT NULL,
	"ls_product_id" text NOT NULL,
	"bc_variant_id" integer NOT NULL,
	"quantity" integer NOT NULL,
	"ls_outlet_id" text,
	"bc_location_id" integer,
	"state" text DEFAULT 'open' NOT NULL,
	"ledger_state" text DEFAULT 'take-pending' NOT NULL,
	"ls_sale_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inventory_dirty" (
	"store_id" uuid NOT NULL,
	"ls_product_id" text NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	"not_before" timestamp with time zone DEFAULT now() NOT NULL,
	"cause" text NOT NULL,
	CONSTRAINT "inventory_dirty_store_id_ls_product_id_pk" PRIMARY KEY("store_id","ls_product_id")
);
--> statement-breakpoint
CREATE TABLE "inventory_ledger" (
	"store_id" uuid NOT NULL,
	"bc_variant_id" integer NOT NULL,
	"bc_location_id" integer NOT NULL,
	"expected" integer,
	"unexplained" integer DEFAULT 0 NOT NULL,
	"unexplained_since" timestamp with time zone,
	"published" integer,
	"published_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_ledger_store_id_bc_variant_id_bc_location_id_pk" PRIMARY KEY("store_id","bc_variant_id","bc_location_id")
);
--> statement-breakpoint
CREATE TABLE "inventory_settings" (
	"store_id" uuid PRIMARY KEY NOT NULL,
	"sweep_interval_minutes" integer DEFAULT 60 NOT NULL,
	"last_sweep_at" timestamp with time zone,
	"orders_known_until" timestamp with time zone,
	"orders_cursor" bigint,
	"engine_lease_holder" text,
	"engine_lease_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory_sweeps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"changed" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "item_reserves" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"store_id" uuid NOT NULL,
	"ls_item_id" text NOT NULL,
	"ls_outlet_id" text,
	"kind" text NOT NULL,
	"value" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outlet_mappings" (
	"store_id" uuid NOT NULL,
	"ls_outlet_id" text NOT NULL,
	"name" text NOT NULL,
	"address" jsonb,
	"bc_location_id" integer,
	"location_created_by_app" boolean DEFAULT false NOT NULL,
	"publishes" boolean DEFAULT true NOT NULL,
	"fulfils" boolean DEFAULT true NOT NULL,
	"rank" integer DEFAULT 100 NOT NULL,
	"daily_capacity" integer,
	"reserve_kind" text,
	"reserve_value" integer DEFAULT 0 NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"retired" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outlet_mappings_store_id_ls_outlet_id_pk" PRIMARY KEY("store_id","ls_outlet_id")
);
--> statement-breakpoint
ALTER TABLE "inventory_changes" ADD CONSTRAINT "inventory_changes_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_commitments" ADD CONSTRAINT "inventory_commitments_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_dirty" ADD CONSTRAINT "inventory_dirty_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_ledger" ADD CONSTRAINT "inventory_ledger_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_settings" ADD CONSTRAINT "inventory_settings_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_sweeps" ADD CONSTRAINT "inventory_sweeps_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_reserves" ADD CONSTRAINT "item_reserves_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outlet_mappings" ADD CONSTRAINT "outlet_mappings_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inventory_changes_variant_idx" ON "inventory_changes" USING btree ("store_id","ls_product_id","written_at");--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_commitments_line_uq" ON "inventory_commitments" USING btree ("store_id","bc_order_id","bc_order_line_id","part");--> statement-breakpoint
CREATE INDEX "inventory_commitments_open_idx" ON "inventory_commitments" USING btree ("store_id","ls_product_id") WHERE "inventory_commitments"."state" = 'open';--> statement-breakpoint
CREATE INDEX "inventory_dirty_due_idx" ON "inventory_dirty" USING btree ("store_id","not_before");--> statement-breakpoint
CREATE INDEX "inventory_sweeps_store_idx" ON "inventory_sweeps" USING btree ("store_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "item_reserves_item_outlet_uq" ON "item_reserves" USING btree ("store_id","ls_item_id",coalesce("ls_outlet_id", ''));--> statement-breakpoint
CREATE INDEX "lightspeed_entity_versions_product_idx" ON "lightspeed_entity_versions" USING btree ("store_id","kind",("state"->>'productId'));