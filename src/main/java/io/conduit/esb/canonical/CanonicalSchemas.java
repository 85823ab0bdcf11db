package io.conduit.esb.canonical;

import java.util.List;
import java.util.Optional;

/**
 * Where the JSON Schema of each canonical type is, and its id. The schemas are on the classpath under
 * {@code schemas/canonical/}, so a route validates with e.g.
 * {@code json-validator:schemas/canonical/order.schema.json}, and the id
 * ({@code urn:conduit:schema:order:1}) is what an event's {@code ce_dataschema} header names.
 */
public final class CanonicalSchemas {

    /** The version every canonical schema is at. */
    public static final int CURRENT_VERSION = 1;

    public static final Schema ORDER = new Schema("order", CURRENT_VERSION, Order.class);
    public static final Schema CUSTOMER = new Schema("customer", CURRENT_VERSION, Customer.class);
    public static final Schema SUPPLIER = new Schema("supplier", CURRENT_VERSION, Supplier.class);
    public static final Schema PRODUCT = new Schema("product", CURRENT_VERSION, Product.class);
    public static final Schema PRICE_LIST = new Schema("price-list", CURRENT_VERSION, PriceList.class);
    public static final Schema INVOICE = new Schema("invoice", CURRENT_VERSION, Invoice.class);
    public static final Schema ORDER_ACKNOWLEDGEMENT =
            new Schema("order-acknowledgement", CURRENT_VERSION, OrderAcknowledgement.class);
    public static final Schema EMPLOYEE = new Schema("employee", CURRENT_VERSION, Employee.class);
    public static final Schema EMPLOYEE_SYNC_COMPLETED =
            new Schema("employee-sync-completed", CURRENT_VERSION, EmployeeSyncCompleted.class);
    public static final Schema COMPLAINT = new Schema("complaint", CURRENT_VERSION, Complaint.class);
    public static final Schema COMPLAINT_STATUS_UPDATE =
            new Schema("complaint-status-update", CURRENT_VERSION, ComplaintStatusUpdate.class);

    public static final Schema INVENTORY_LEVEL = new Schema("inventory-level", CURRENT_VERSION, InventoryLevel.class);
    public static final Schema PRODUCTION_STATUS =
            new Schema("production-status", CURRENT_VERSION, ProductionStatus.class);
    public static final Schema SHIPMENT_STATUS = new Schema("shipment-status", CURRENT_VERSION, ShipmentStatus.class);

    public static final Schema APPROVAL_REQUEST = new Schema("approval-request", CURRENT_VERSION, ApprovalRequest.class);
    public static final Schema APPROVAL_DECISION =
            new Schema("approval-decision", CURRENT_VERSION, ApprovalDecision.class);
    /** The subject of an approval of journey BUSINESS_TRIP (approval-request.schema.json refers to it). */
    public static final Schema TRIP_REQUEST = new Schema("trip-request", CURRENT_VERSION, TripRequest.class);

    /** The envelope: the CloudEvents {@code ce_*} headers every canonical event carries (see {@link Envelope}). */
    public static final Schema ENVELOPE = new Schema("envelope", CURRENT_VERSION, Envelope.class);

    /** The payload schemas. */
    private static final List<Schema> ALL = List.of(ORDER, CUSTOMER, SUPPLIER, PRODUCT, PRICE_LIST, INVOICE, ORDER_ACKNOWLEDGEMENT,
            EMPLOYEE, EMPLOYEE_SYNC_COMPLETED, COMPLAINT, COMPLAINT_STATUS_UPDATE, INVENTORY_LEVEL, PRODUCTION_STATUS, SHIPMENT_STATUS,
            APPROVAL_REQUEST, APPROVAL_DECISION, TRIP_REQUEST);

    private CanonicalSchemas() {
    }

    /**
     * One canonical schema.
     *
     * @param name    the schema's short name, also its file name ({@code order} is {@code order.schema.json})
     * @param version the schema version
     * @param type    the Java record that serialises to instances of it
     */
    public record Schema(String name, int version, Class<?> type) {

        /** The schema's {@code $id}, e.g. {@code urn:conduit:schema:order:1}. */
        public String id() {
            return idOf(name, version);
        }

        /** The classpath location, e.g. {@code schemas/canonical/order.schema.json}. */
        public String location() {
            return "schemas/canonical/" + name + ".schema.json";
        }
    }

    public static List<Schema> all() {
        return ALL;
    }

    /** The schema with the given {@code $id}, if it is a canonical one. */
    public static Optional<Schema> byId(String id) {
        return ALL.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The schema of a canonical record type, e.g. {@code Order.class}. */
    public static Optional<Schema> byType(Class<?> type) {
        return ALL.stream().filter(s -> s.type().equals(type)).findFirst();
    }

    /** The id of a canonical schema by name and version: {@code urn:conduit:schema:<name>:<version>}. */
    public static String idOf(String name, int version) {
        return "urn:conduit:schema:" + name + ":" + version;
    }
}
