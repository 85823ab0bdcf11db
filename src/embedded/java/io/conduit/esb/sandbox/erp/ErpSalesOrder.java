package io.conduit.esb.sandbox.erp;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A row of {@code erp.so_stage_hdr} with its lines, as the demo view {@code /sandbox/erp/sales-orders} shows it
 * (ERP column names in camel case).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ErpSalesOrder(long stgId, String extRef, int extRev, String srcSys, String custNo, String custName,
                            LocalDate ordDate, LocalDate reqDlvDate, String currCd, BigDecimal totAmt, String soNo,
                            String statCd, Instant crtTs, Instant updTs, List<Line> lines) {

    /** A row of {@code erp.so_stage_line}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Line(int lineNo, String itemNo, String itemDesc, BigDecimal ordQty, BigDecimal unitPrc,
                       BigDecimal lineAmt) {
    }

    ErpSalesOrder withLines(List<Line> newLines) {
        return new ErpSalesOrder(stgId, extRef, extRev, srcSys, custNo, custName, ordDate, reqDlvDate, currCd, totAmt,
                soNo, statCd, crtTs, updTs, List.copyOf(newLines));
    }
}
