package io.conduit.esb.canonical;

import java.util.Map;
import java.util.Optional;

/**
 * The CloudEvents {@code type} of each canonical event, and the canonical schema its payload follows.
 */
public final class EventTypes {

    /** A source system has a new order or a new revision of one; payload: {@link Order}. */
    public static final String ORDER_RECEIVED = "io.conduit.order.received";
    /** The ERP has processed an order; payload: {@link OrderAcknowledgement}. */
    public static final String ORDER_ACKNOWLEDGED = "io.conduit.order.acknowledged";
    /** HR hired a person; payload: {@link Employee}. */
    public static final String EMPLOYEE_HIRED = "io.conduit.employee.hired";
    /** HR changed a person's data (e.g. a department transfer); payload: {@link Employee}. */
    public static final String EMPLOYEE_CHANGED = "io.conduit.employee.changed";
    /** A person leaves on their end date; payload: {@link Employee}. */
    public static final String EMPLOYEE_LEFT = "io.conduit.employee.left";
    /** Every target system applied an HR event; payload: {@link EmployeeSyncCompleted}. */
    public static final String EMPLOYEE_SYNC_COMPLETED = "io.conduit.employee.sync-completed";
    /** A customer complaint came in; payload: {@link Complaint}. */
    public static final String COMPLAINT_RECEIVED = "io.conduit.complaint.received";
    /** A complaint was routed to a department's OA queue; payload: {@link ComplaintStatusUpdate}. */
    public static final String COMPLAINT_ROUTED = "io.conduit.complaint.routed";
    /** A complaint's OA task moved forward (assigned, in progress, resolved); payload: {@link ComplaintStatusUpdate}. */
    public static final String COMPLAINT_STATUS_CHANGED = "io.conduit.complaint.status-changed";
    /** Nobody acted on a complaint within its SLA: escalated to the department manager; payload: {@link ComplaintStatusUpdate}. */
    public static final String COMPLAINT_ESCALATED = "io.conduit.complaint.escalated";

    /** The ERP's stock of an item in a warehouse changed; payload: {@link InventoryLevel}. */
    public static final String INVENTORY_LEVEL_CHANGED = "io.conduit.inventory.level-changed";
    /** An ERP production order changed (stage, quantities, completion); payload: {@link ProductionStatus}. */
    public static final String PRODUCTION_STATUS_CHANGED = "io.conduit.production.status-changed";
    /** An ERP shipment changed (shipped, tracking, delivered); payload: {@link ShipmentStatus}. */
    public static final String SHIPMENT_STATUS_CHANGED = "io.conduit.shipment.status-changed";

    /** A source system asks for an approval, or changed or withdrew what it asked; payload: {@link ApprovalRequest}. */
    public static final String APPROVAL_REQUESTED = "io.conduit.approval.requested";
    /** Every step of an approval was decided (or one rejected it); payload: {@link ApprovalDecision}. */
    public static final String APPROVAL_DECIDED = "io.conduit.approval.decided";

    private static final Map<String, CanonicalSchemas.Schema> PAYLOADS = Map.ofEntries(
            Map.entry(ORDER_RECEIVED, CanonicalSchemas.ORDER),
            Map.entry(ORDER_ACKNOWLEDGED, CanonicalSchemas.ORDER_ACKNOWLEDGEMENT),
            Map.entry(EMPLOYEE_HIRED, CanonicalSchemas.EMPLOYEE),
            Map.entry(EMPLOYEE_CHANGED, CanonicalSchemas.EMPLOYEE),
            Map.entry(EMPLOYEE_LEFT, CanonicalSchemas.EMPLOYEE),
            Map.entry(EMPLOYEE_SYNC_COMPLETED, CanonicalSchemas.EMPLOYEE_SYNC_COMPLETED),
            Map.entry(COMPLAINT_RECEIVED, CanonicalSchemas.COMPLAINT),
            Map.entry(COMPLAINT_ROUTED, CanonicalSchemas.COMPLAINT_STATUS_UPDATE),
            Map.entry(COMPLAINT_STATUS_CHANGED, CanonicalSchemas.COMPLAINT_STATUS_UPDATE),
            Map.entry(COMPLAINT_ESCALATED, CanonicalSchemas.COMPLAINT_STATUS_UPDATE),
            Map.entry(INVENTORY_LEVEL_CHANGED, CanonicalSchemas.INVENTORY_LEVEL),
            Map.entry(PRODUCTION_STATUS_CHANGED, CanonicalSchemas.PRODUCTION_STATUS),
            Map.entry(SHIPMENT_STATUS_CHANGED, CanonicalSchemas.SHIPMENT_STATUS),
            Map.entry(APPROVAL_REQUESTED, CanonicalSchemas.APPROVAL_REQUEST),
            Map.entry(APPROVAL_DECIDED, CanonicalSchemas.APPROVAL_DECISION));

    private EventTypes() {
    }

    /** The canonical schema of the payload of events of this type, if the type is known. */
    public static Optional<CanonicalSchemas.Schema> payloadSchema(String type) {
        return Optional.ofNullable(type).map(PAYLOADS::get);
    }
}
