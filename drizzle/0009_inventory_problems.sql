CREATE TABLE "inventory_problems" (
	"store_id" uuid NOT NULL,
	"ls_product_id" text NOT NULL,
	"bc_variant_id" integer NOT NULL,
	"bc_product_id" integer NOT NULL,
	"bc_location_id" integer,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"fix" text NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_problems_store_id_ls_product_id_kind_pk" PRIMARY KEY("store_id","ls_product_id","kind")
);
--> statement-breakpoint
ALTER TABLE "inventory_problems" ADD CONSTRAINT "inventory_problems_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;