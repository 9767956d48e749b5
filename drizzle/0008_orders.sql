CREATE TABLE "online_orders" (
	"store_id" uuid NOT NULL,
	"bc_order_id" integer NOT NULL,
	"status_id" integer NOT NULL,
	"channel_id" integer,
	"pickup_location_id" integer,
	"order_address_id" integer,
	"destination" jsonb,
	"shipping_method" text,
	"shipping_cost_ex_tax" text,
	"shipping_cost_inc_tax" text,
	"customer_message" text,
	"total" text,
	"lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"state" text DEFAULT 'recorded' NOT NULL,
	"routing" jsonb,
	"flagged" boolean DEFAULT false NOT NULL,
	"attention" text,
	"placed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "online_orders_store_id_bc_order_id_pk" PRIMARY KEY("store_id","bc_order_id")
);
--> statement-breakpoint
CREATE TABLE "order_refunds" (
	"store_id" uuid NOT NULL,
	"bc_refund_id" integer NOT NULL,
	"bc_order_id" integer NOT NULL,
	"ls_return_sale_ids" text[] DEFAULT '{}' NOT NULL,
	"outcome" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_refunds_store_id_bc_refund_id_pk" PRIMARY KEY("store_id","bc_refund_id")
);
--> statement-breakpoint
CREATE TABLE "order_sales" (
	"store_id" uuid NOT NULL,
	"bc_order_id" integer NOT NULL,
	"ls_outlet_id" text NOT NULL,
	"ls_sale_id" text NOT NULL,
	"state" text DEFAULT 'booking' NOT NULL,
	"backorder" boolean DEFAULT false NOT NULL,
	"lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"shipped" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"booked_at" timestamp with time zone,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_sales_store_id_bc_order_id_ls_outlet_id_pk" PRIMARY KEY("store_id","bc_order_id","ls_outlet_id")
);
--> statement-breakpoint
CREATE TABLE "order_settings" (
	"store_id" uuid PRIMARY KEY NOT NULL,
	"backorder_outlet_id" text,
	"split_policy" text DEFAULT 'split' NOT NULL,
	"shipping_mode" text DEFAULT 'note' NOT NULL,
	"shipping_product_id" text,
	"payment_type_id" text,
	"return_stock_on_refund" boolean DEFAULT true NOT NULL,
	"poll_cursor" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "online_orders" ADD CONSTRAINT "online_orders_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_refunds" ADD CONSTRAINT "order_refunds_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_sales" ADD CONSTRAINT "order_sales_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_settings" ADD CONSTRAINT "order_settings_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "online_orders_store_time_idx" ON "online_orders" USING btree ("store_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "order_sales_sale_uq" ON "order_sales" USING btree ("store_id","ls_sale_id");--> statement-breakpoint
CREATE INDEX "order_sales_outlet_day_idx" ON "order_sales" USING btree ("store_id","ls_outlet_id","created_at");