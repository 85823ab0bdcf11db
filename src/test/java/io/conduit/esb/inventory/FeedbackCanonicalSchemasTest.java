package io.conduit.esb.inventory;

import io.conduit.esb.canonical.CanonicalSchemas;
import io.conduit.esb.canonical.EventTypes;
import io.conduit.esb.canonical.InventoryLevel;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.canonical.ProductionStatus;
import io.conduit.esb.canonical.ShipmentStatus;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FeedbackCanonicalSchemasTest {

    private static final OffsetDateTime T = OffsetDateTime.parse("2026-11-23T10:15:02.120Z");

    @Test
    void recordsSerialiseToValidInstances() {
        InventoryLevel level = new InventoryLevel("P-100", "W01", new BigDecimal("120"), new BigDecimal("20.5"),
                new BigDecimal("99.5"), "EA", T, 4711);
        ProductionStatus production = new ProductionStatus("PRD-1", "SO0100001", "OPP-1", "P-100",
                ProductionStatus.Stage.IN_PROGRESS, "WIP", BigDecimal.TEN, new BigDecimal("6"), new BigDecimal("2"),
                new BigDecimal("0.25"), T, null, T, 88);
        ShipmentStatus shipment = new ShipmentStatus("SHP-1", "SO0100001", null, ShipmentStatus.Status.SHIPPED, "FedEx",
                "7946", T, null, T, 120);
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.INVENTORY_LEVEL), level)).isEmpty();
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.PRODUCTION_STATUS), production)).isEmpty();
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.SHIPMENT_STATUS), shipment)).isEmpty();
        assertThat(EventTypes.payloadSchema(EventTypes.INVENTORY_LEVEL_CHANGED)).contains(CanonicalSchemas.INVENTORY_LEVEL);
    }

    @Test
    void aDefectRateAboveOneAndAMissingChangeNumberAreRejected() {
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.PRODUCTION_STATUS), Map.of(
                "productionOrderNumber", "PRD-1", "itemId", "P-1", "stage", "PLANNED", "erpStage", "PLN",
                "plannedQuantity", 1, "quantityProduced", 0, "defectRate", 1.5, "changedAt", "2026-11-23T10:15:02Z",
                "changeNumber", 1))).isNotEmpty();
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.INVENTORY_LEVEL), Map.of(
                "itemId", "P-1", "warehouseId", "W01", "onHand", 1, "reserved", 0, "available", 1,
                "asOf", "2026-11-23T10:15:02Z"))).isNotEmpty();
    }
}
