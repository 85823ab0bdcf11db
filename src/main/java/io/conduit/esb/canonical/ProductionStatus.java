package io.conduit.esb.canonical;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * Progress of one ERP production order (schema {@code urn:conduit:schema:production-status:1}): the sales order and
 * CRM order it produces for (absent when it produces to stock), stage, quantities, defect rate (0..1) and the
 * planned and actual completion.
 */
public record ProductionStatus(String productionOrderNumber,
                               String erpOrderNumber,
                               String crmOrderRef,
                               String itemId,
                               Stage stage,
                               String erpStage,
                               BigDecimal plannedQuantity,
                               BigDecimal quantityProduced,
                               BigDecimal quantityScrapped,
                               BigDecimal defectRate,
                               @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime plannedCompletion,
                               @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime actualCompletion,
                               @JsonFormat(shape = JsonFormat.Shape.STRING) OffsetDateTime changedAt,
                               long changeNumber) {

    /** Canonical production stage; UNKNOWN for an ERP code the mapping does not know. */
    public enum Stage { PLANNED, RELEASED, IN_PROGRESS, QUALITY_CHECK, FINISHED, CLOSED, UNKNOWN }
}
