CREATE TABLE "lightspeed_cursors" (
	"store_id" uuid NOT NULL,
	"resource" text NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"last_polled_at" timestamp with time zone,
	"last_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lightspeed_cursors_store_id_resource_pk" PRIMARY KEY("store_id","resource")
);
--> statement-breakpoint
CREATE TABLE "lightspeed_entity_versions" (
	"store_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"entity_id" text NOT NULL,
	"version" bigint NOT NULL,
	"state" jsonb,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lightspeed_entity_versions_store_id_kind_entity_id_pk" PRIMARY KEY("store_id","kind","entity_id")
);
--> statement-breakpoint
ALTER TABLE "lightspeed_cursors" ADD CONSTRAINT "lightspeed_cursors_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lightspeed_entity_versions" ADD CONSTRAINT "lightspeed_entity_versions_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;