package io.conduit.esb.complaints;

import io.conduit.esb.canonical.CanonicalSchemas;
import io.conduit.esb.canonical.Complaint;
import io.conduit.esb.canonical.ComplaintStatus;
import io.conduit.esb.canonical.ComplaintStatusUpdate;
import io.conduit.esb.canonical.EventTypes;
import io.conduit.esb.canonical.JsonSchemas;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The canonical complaint records serialise to instances of their schemas, and the event types name them. */
class ComplaintSchemasTest {

    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 11, 21, 8, 30, 0, 125_000_000, ZoneOffset.UTC);

    @Test
    void complaintRecordsAreValid() throws Exception {
        Complaint full = new Complaint("CS-10001", "crm", new Complaint.CustomerInfo("ACC-204", "Acme GmbH", Complaint.Tier.GOLD),
                new Complaint.OrderReference("OPP-4711", "SO0100001", "SHP", "SH-1"), "DAMAGED_GOODS", "DMG",
                new Complaint.Product("P-100", "Pump", "PUMPS"), Complaint.Severity.CRITICAL, "Cracked", "Two cracked",
                Complaint.Channel.PHONE, ComplaintStatus.OPEN, AT, AT);
        Complaint minimal = new Complaint("CS-10002", "crm", new Complaint.CustomerInfo("ACC-1", "A", null), null,
                "PKG_WASTE", "PKG_WASTE", null, Complaint.Severity.LOW, null, "x", Complaint.Channel.OTHER,
                ComplaintStatus.OPEN, AT, null);
        ComplaintStatusUpdate update = new ComplaintStatusUpdate("CS-10001", ComplaintStatus.RESOLVED, "LOGISTICS",
                "OA.TASKS.LOGISTICS", "TSK-1", "m.berg", "done", true, false, null, AT);
        for (Object record : new Object[]{full, minimal, update}) {
            CanonicalSchemas.Schema schema = CanonicalSchemas.byType(record.getClass()).orElseThrow();
            assertThat(JsonSchemas.validate(JsonSchemas.canonical(schema), record)).as("%s", record).isEmpty();
            assertThat(JsonSchemas.JSON.readValue(JsonSchemas.JSON.writeValueAsString(record), record.getClass()))
                    .isEqualTo(record);
        }
    }

    @Test
    void textsAreBoundedAndFreeOfNul() throws Exception {
        Complaint valid = new Complaint("CS-10001", "crm", new Complaint.CustomerInfo("ACC-204", "Acme GmbH", null), null,
                "DAMAGED_GOODS", "DMG", null, Complaint.Severity.LOW, null, "line one\n\tline two",
                Complaint.Channel.OTHER, ComplaintStatus.OPEN, AT, null);
        var schema = JsonSchemas.canonical(CanonicalSchemas.COMPLAINT);
        assertThat(JsonSchemas.validate(schema, valid)).isEmpty();

        var node = (com.fasterxml.jackson.databind.node.ObjectNode) JsonSchemas.JSON.valueToTree(valid);
        node.put("description", "x".repeat(10001));
        ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("customer")).put("name", "x".repeat(2001));
        node.put("complaintId", "../../etc/passwd");
        node.put("subject", "two\nlines");
        var violations = JsonSchemas.validate(schema, node).stream()
                .map(v -> v.getInstanceLocation() + " " + v.getMessage()).toList();
        for (String field : new String[]{"description", "/customer/name", "complaintId", "subject"}) {
            assertThat(violations).anySatisfy(v -> assertThat(v).contains(field));
        }
        node = JsonSchemas.JSON.valueToTree(valid);
        node.put("description", "NUL\u0000inside");
        assertThat(JsonSchemas.validate(schema, node)).anySatisfy(v -> assertThat(v.getInstanceLocation().toString())
                .contains("description"));
    }

    @Test
    void statusesRankInTheirOrderAndEventTypesNameTheirSchemas() {
        assertThat(ComplaintStatus.OPEN.rank()).isLessThan(ComplaintStatus.ASSIGNED.rank());
        assertThat(ComplaintStatus.IN_PROGRESS.rank()).isLessThan(ComplaintStatus.RESOLVED.rank());
        assertThat(EventTypes.payloadSchema(EventTypes.COMPLAINT_RECEIVED)).contains(CanonicalSchemas.COMPLAINT);
        assertThat(EventTypes.payloadSchema(EventTypes.COMPLAINT_ESCALATED)).contains(CanonicalSchemas.COMPLAINT_STATUS_UPDATE);
    }
}
