// Schema of the "shop" example app: organisations sell products to users.
//
// Migrations in ./migrations were generated from this file with drizzle-kit
// (see ../package.json, `npm run db:generate`). Keep both in sync: driftwatch
// compares this file with the live database.
import { randomUUID } from 'node:crypto';
import { relations, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  date,
  datetime,
  decimal,
  double,
  float,
  foreignKey,
  index,
  int,
  json,
  mediumint,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  smallint,
  text,
  time,
  timestamp,
  tinyint,
  unique,
  uniqueIndex,
  varbinary,
  varchar,
  year,
} from 'drizzle-orm/mysql-core';

// ---------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------

export const users = mysqlTable(
  'users',
  {
    id: int('id').autoincrement().primaryKey(),
    publicId: char('public_id', { length: 36 })
      .notNull()
      .unique()
      .$defaultFn(() => randomUUID()),
    email: varchar('email', { length: 255 }).notNull().unique(),
    displayName: varchar('display_name', { length: 120 }).notNull(),
    passwordHash: char('password_hash', { length: 60 }),
    isActive: boolean('is_active').notNull().default(true),
    lastLoginAt: datetime('last_login_at'),
    createdAt: timestamp('created_at').notNull().defaultNow(),
    updatedAt: timestamp('updated_at').notNull().defaultNow().onUpdateNow(),
  },
  (t) => [index('users_last_login_idx').on(t.lastLoginAt)],
);

export const organisations = mysqlTable(
  'organisations',
  {
    id: int().autoincrement().primaryKey(),
    name: varchar({ length: 200 }).notNull(),
    slug: varchar({ length: 100 }).notNull(),
    country: char({ length: 2 }).notNull().default('DE'),
    vatNumber: varchar('vat_number', { length: 32 }),
    createdAt: timestamp('created_at').notNull().defaultNow(),
  },
  (t) => ({
    slugIdx: uniqueIndex('organisations_slug_idx').on(t.slug),
    countryIdx: index('organisations_country_idx').on(t.country),
  }),
);

export const memberships = mysqlTable(
  'memberships',
  {
    userId: int('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organisationId: int('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    role: mysqlEnum('role', ['owner', 'admin', 'member']).notNull().default('member'),
    joinedAt: timestamp('joined_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.organisationId] }),
    index('memberships_organisation_idx').on(t.organisationId),
  ],
);

export const organisationSettings = mysqlTable('organisation_settings', {
  organisationId: int('organisation_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
  settings: json('settings')
    .$type<{ theme: string; notifications: boolean }>()
    .notNull()
    .default({ theme: 'light', notifications: true }),
  featureFlags: json('feature_flags').$type<string[]>().notNull().default([]),
  updatedAt: timestamp('updated_at')
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});

// ---------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------

export const products = mysqlTable(
  'products',
  {
    id: int().autoincrement().primaryKey(),
    organisationId: int('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    sku: varchar({ length: 64 }).notNull(),
    name: varchar('name', { length: 255 }).notNull(),
    description: text('description'),
    price: decimal('price', { precision: 12, scale: 2 }).notNull(),
    compareAtPrice: decimal('compare_at_price', { precision: 12, scale: 2 }),
    status: mysqlEnum('status', ['draft', 'active', 'archived']).notNull().default('draft'),
    isTaxable: boolean('is_taxable').notNull().default(true),
    weightGrams: mediumint('weight_grams', { unsigned: true }),
    createdAt: timestamp('created_at').notNull().defaultNow(),
    updatedAt: timestamp('updated_at').notNull().defaultNow().onUpdateNow(),
  },
  (t) => [
    uniqueIndex('products_sku_idx').on(t.sku),
    index('products_org_status_idx').on(t.organisationId, t.status),
  ],
);

export const productReviews = mysqlTable(
  'product_reviews',
  {
    id: int().autoincrement().primaryKey(),
    productId: int('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    userId: int('user_id').references(() => users.id, { onDelete: 'set null' }),
    rating: tinyint('rating', { unsigned: true }).notNull(),
    title: varchar('title', { length: 200 }),
    body: text('body'),
    isPublished: boolean('is_published').notNull().default(false),
    createdAt: timestamp('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('product_reviews_product_idx').on(t.productId, t.createdAt),
    unique('product_reviews_product_user_uq').on(t.productId, t.userId),
  ],
);

export const warehouses = mysqlTable('warehouses', {
  id: smallint({ unsigned: true }).autoincrement().primaryKey(),
  code: char({ length: 4 }).notNull().unique('warehouses_code_uq'),
  name: varchar({ length: 120 }).notNull(),
  countryCode: char('country_code', { length: 2 }).notNull(),
  latitude: double('latitude'),
  longitude: double('longitude'),
  opensAt: time('opens_at'),
  closesAt: time('closes_at'),
  establishedIn: year('established_in'),
  capacityPallets: mediumint('capacity_pallets', { unsigned: true }).notNull().default(0),
  dockCount: tinyint('dock_count', { unsigned: true }).notNull().default(1),
});

export const inventoryLevels = mysqlTable(
  'inventory_levels',
  {
    warehouseId: smallint('warehouse_id', { unsigned: true })
      .notNull()
      .references(() => warehouses.id, { onDelete: 'cascade' }),
    productId: int('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    onHand: int('on_hand').notNull().default(0),
    reserved: smallint('reserved').notNull().default(0),
    reorderPoint: float('reorder_point'),
    lastCountedOn: date('last_counted_on', { mode: 'string' }),
  },
  (t) => ({
    pk: primaryKey({ columns: [t.warehouseId, t.productId], name: 'inventory_levels_pk' }),
    productIdx: index('inventory_levels_product_idx').on(t.productId),
  }),
);

// ---------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------

export const orders = mysqlTable(
  'orders',
  {
    id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    userId: int('user_id').references(() => users.id, { onDelete: 'set null' }),
    organisationId: int('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    status: mysqlEnum('status', ['pending', 'paid', 'shipped', 'cancelled', 'refunded'])
      .notNull()
      .default('pending'),
    totalAmount: decimal('total_amount', { precision: 14, scale: 2 }).notNull().default('0.00'),
    currency: char({ length: 3 }).notNull().default('EUR'),
    notes: varchar('notes', { length: 1000 }),
    placedAt: timestamp('placed_at').notNull().defaultNow(),
    updatedAt: timestamp('updated_at').notNull().defaultNow().onUpdateNow(),
  },
  (t) => [
    index('orders_user_idx').on(t.userId),
    index('orders_org_placed_idx').on(t.organisationId, t.placedAt),
  ],
);

export const orderItems = mysqlTable(
  'order_items',
  {
    id: int('id').autoincrement().primaryKey(),
    orderId: bigint('order_id', { mode: 'number', unsigned: true }).notNull(),
    productId: int('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    quantity: int('quantity').notNull().default(1),
    unitPrice: decimal('unit_price', { precision: 12, scale: 2 }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.orderId],
      foreignColumns: [orders.id],
      name: 'order_items_order_fk',
    }).onDelete('cascade'),
    unique('order_items_order_product_uq').on(t.orderId, t.productId),
  ],
);

// ---------------------------------------------------------------------------
// Audit log
// ---------------------------------------------------------------------------

export const auditEvents = mysqlTable(
  'audit_events',
  {
    id: bigint({ mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    occurredAt: datetime('occurred_at', { fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    actorUserId: int('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    action: varchar({ length: 64 }).notNull(),
    entityType: varchar('entity_type', { length: 64 }).notNull(),
    entityId: varchar('entity_id', { length: 64 }),
    payload: json('payload'),
    ipAddress: varbinary('ip_address', { length: 16 }),
  },
  (t) => [
    index('audit_events_entity_idx').on(t.entityType, t.entityId),
    index('audit_events_occurred_idx').on(t.occurredAt),
  ],
);

// ---------------------------------------------------------------------------
// Relations (query-builder metadata only: no tables, no DDL)
// ---------------------------------------------------------------------------

export const usersRelations = relations(users, ({ many }) => ({
  memberships: many(memberships),
  orders: many(orders),
}));

export const ordersRelations = relations(orders, ({ one, many }) => ({
  user: one(users, { fields: [orders.userId], references: [users.id] }),
  organisation: one(organisations, {
    fields: [orders.organisationId],
    references: [organisations.id],
  }),
  items: many(orderItems),
}));

export const orderItemsRelations = relations(orderItems, ({ one }) => ({
  order: one(orders, { fields: [orderItems.orderId], references: [orders.id] }),
  product: one(products, { fields: [orderItems.productId], references: [products.id] }),
}));
