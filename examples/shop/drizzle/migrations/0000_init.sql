CREATE TABLE `audit_events` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`occurred_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`actor_user_id` int,
	`action` varchar(64) NOT NULL,
	`entity_type` varchar(64) NOT NULL,
	`entity_id` varchar(64),
	`payload` json,
	`ip_address` varbinary(16),
	CONSTRAINT `audit_events_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `inventory_levels` (
	`warehouse_id` smallint unsigned NOT NULL,
	`product_id` int NOT NULL,
	`on_hand` int NOT NULL DEFAULT 0,
	`reserved` smallint NOT NULL DEFAULT 0,
	`reorder_point` float,
	`last_counted_on` date,
	CONSTRAINT `inventory_levels_pk` PRIMARY KEY(`warehouse_id`,`product_id`)
);
--> statement-breakpoint
CREATE TABLE `memberships` (
	`user_id` int NOT NULL,
	`organisation_id` int NOT NULL,
	`role` enum('owner','admin','member') NOT NULL DEFAULT 'member',
	`joined_at` timestamp NOT NULL DEFAULT (now()),
	CONSTRAINT `memberships_user_id_organisation_id_pk` PRIMARY KEY(`user_id`,`organisation_id`)
);
--> statement-breakpoint
CREATE TABLE `order_items` (
	`id` int AUTO_INCREMENT NOT NULL,
	`order_id` bigint unsigned NOT NULL,
	`product_id` int NOT NULL,
	`quantity` int NOT NULL DEFAULT 1,
	`unit_price` decimal(12,2) NOT NULL,
	CONSTRAINT `order_items_id` PRIMARY KEY(`id`),
	CONSTRAINT `order_items_order_product_uq` UNIQUE(`order_id`,`product_id`)
);
--> statement-breakpoint
CREATE TABLE `orders` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` int,
	`organisation_id` int NOT NULL,
	`status` enum('pending','paid','shipped','cancelled','refunded') NOT NULL DEFAULT 'pending',
	`total_amount` decimal(14,2) NOT NULL DEFAULT '0.00',
	`currency` char(3) NOT NULL DEFAULT 'EUR',
	`notes` varchar(1000),
	`placed_at` timestamp NOT NULL DEFAULT (now()),
	`updated_at` timestamp NOT NULL DEFAULT (now()) ON UPDATE CURRENT_TIMESTAMP,
	CONSTRAINT `orders_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `organisation_settings` (
	`organisation_id` int NOT NULL,
	`settings` json NOT NULL DEFAULT ('{"theme":"light","notifications":true}'),
	`feature_flags` json NOT NULL DEFAULT ('[]'),
	`updated_at` timestamp NOT NULL DEFAULT (now()),
	CONSTRAINT `organisation_settings_organisation_id` PRIMARY KEY(`organisation_id`)
);
--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` int AUTO_INCREMENT NOT NULL,
	`name` varchar(200) NOT NULL,
	`slug` varchar(100) NOT NULL,
	`country` char(2) NOT NULL DEFAULT 'DE',
	`vat_number` varchar(32),
	`created_at` timestamp NOT NULL DEFAULT (now()),
	CONSTRAINT `organisations_id` PRIMARY KEY(`id`),
	CONSTRAINT `organisations_slug_idx` UNIQUE(`slug`)
);
--> statement-breakpoint
CREATE TABLE `products` (
	`id` int AUTO_INCREMENT NOT NULL,
	`organisation_id` int NOT NULL,
	`sku` varchar(64) NOT NULL,
	`name` varchar(255) NOT NULL,
	`description` text,
	`price` decimal(12,2) NOT NULL,
	`compare_at_price` decimal(12,2),
	`status` enum('draft','active','archived') NOT NULL DEFAULT 'draft',
	`is_taxable` boolean NOT NULL DEFAULT true,
	`weight_grams` mediumint unsigned,
	`created_at` timestamp NOT NULL DEFAULT (now()),
	`updated_at` timestamp NOT NULL DEFAULT (now()) ON UPDATE CURRENT_TIMESTAMP,
	CONSTRAINT `products_id` PRIMARY KEY(`id`),
	CONSTRAINT `products_sku_idx` UNIQUE(`sku`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` int AUTO_INCREMENT NOT NULL,
	`public_id` char(36) NOT NULL,
	`email` varchar(255) NOT NULL,
	`display_name` varchar(120) NOT NULL,
	`password_hash` char(60),
	`is_active` boolean NOT NULL DEFAULT true,
	`created_at` timestamp NOT NULL DEFAULT (now()),
	`updated_at` timestamp NOT NULL DEFAULT (now()) ON UPDATE CURRENT_TIMESTAMP,
	CONSTRAINT `users_id` PRIMARY KEY(`id`),
	CONSTRAINT `users_public_id_unique` UNIQUE(`public_id`),
	CONSTRAINT `users_email_unique` UNIQUE(`email`)
);
--> statement-breakpoint
CREATE TABLE `warehouses` (
	`id` smallint unsigned AUTO_INCREMENT NOT NULL,
	`code` char(4) NOT NULL,
	`name` varchar(120) NOT NULL,
	`country_code` char(2) NOT NULL,
	`latitude` double,
	`longitude` double,
	`opens_at` time,
	`closes_at` time,
	`established_in` year,
	`capacity_pallets` mediumint unsigned NOT NULL DEFAULT 0,
	`dock_count` tinyint unsigned NOT NULL DEFAULT 1,
	CONSTRAINT `warehouses_id` PRIMARY KEY(`id`),
	CONSTRAINT `warehouses_code_uq` UNIQUE(`code`)
);
--> statement-breakpoint
ALTER TABLE `audit_events` ADD CONSTRAINT `audit_events_actor_user_id_users_id_fk` FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `inventory_levels` ADD CONSTRAINT `inventory_levels_warehouse_id_warehouses_id_fk` FOREIGN KEY (`warehouse_id`) REFERENCES `warehouses`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `inventory_levels` ADD CONSTRAINT `inventory_levels_product_id_products_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memberships` ADD CONSTRAINT `memberships_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memberships` ADD CONSTRAINT `memberships_organisation_id_organisations_id_fk` FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `order_items` ADD CONSTRAINT `order_items_product_id_products_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `order_items` ADD CONSTRAINT `order_items_order_fk` FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `orders` ADD CONSTRAINT `orders_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `orders` ADD CONSTRAINT `orders_organisation_id_organisations_id_fk` FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `organisation_settings` ADD CONSTRAINT `organisation_settings_organisation_id_organisations_id_fk` FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE `products` ADD CONSTRAINT `products_organisation_id_organisations_id_fk` FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `audit_events_entity_idx` ON `audit_events` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_events_occurred_idx` ON `audit_events` (`occurred_at`);--> statement-breakpoint
CREATE INDEX `inventory_levels_product_idx` ON `inventory_levels` (`product_id`);--> statement-breakpoint
CREATE INDEX `memberships_organisation_idx` ON `memberships` (`organisation_id`);--> statement-breakpoint
CREATE INDEX `orders_user_idx` ON `orders` (`user_id`);--> statement-breakpoint
CREATE INDEX `orders_org_placed_idx` ON `orders` (`organisation_id`,`placed_at`);--> statement-breakpoint
CREATE INDEX `organisations_country_idx` ON `organisations` (`country`);--> statement-breakpoint
CREATE INDEX `products_org_status_idx` ON `products` (`organisation_id`,`status`);