CREATE TABLE "api_calls" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"store_id" uuid NOT NULL,
	"platform" text NOT NULL,
	"method" text NOT NULL,
	"endpoint" text NOT NULL,
	"status" integer NOT NULL,
	"duration_ms" integer NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"error" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "bc_channel_id" integer;--> statement-breakpoint
ALTER TABLE "api_calls" ADD CONSTRAINT "api_calls_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_calls_store_time_idx" ON "api_calls" USING btree ("store_id","at");