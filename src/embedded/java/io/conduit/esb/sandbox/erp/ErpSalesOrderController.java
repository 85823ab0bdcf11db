package io.conduit.esb.sandbox.erp;

import io.conduit.esb.sandbox.SandboxProblems;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * A window into the sandbox ERP for demos and tests (the ESB itself never calls it; it uses the ERP's tables):
 * <ul>
 *   <li>{@code GET /sandbox/erp/sales-orders?extRef=OPP-1001}: staged orders with their lines</li>
 *   <li>{@code GET /sandbox/erp/sales-orders/{soNo}}</li>
 *   <li>{@code POST /sandbox/erp/sales-orders/{soNo}/status} {@code {"statCd":"PRD"}}: what an ERP user would do</li>
 * </ul>
 */
@RestController
@RequestMapping("/sandbox/erp/sales-orders")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class ErpSalesOrderController {

    private final ErpSalesOrders orders;

    public ErpSalesOrderController(ErpSalesOrders orders) {
        this.orders = orders;
    }

    /** The body of a status change. */
    public record StatusChange(String statCd) {
    }

    @GetMapping
    public List<ErpSalesOrder> find(@RequestParam(required = false) String extRef) {
        return orders.find(extRef);
    }

    @GetMapping("/{soNo}")
    public ErpSalesOrder get(@PathVariable String soNo) {
        return orders.findBySoNo(soNo).orElseThrow(() -> SandboxProblems.notFound("Sales order", soNo));
    }

    @PostMapping("/{soNo}/status")
    public ErpSalesOrder changeStatus(@PathVariable String soNo, @RequestBody StatusChange change) {
        if (change == null || change.statCd() == null || change.statCd().isBlank()) {
            throw SandboxProblems.missingFields(List.of("statCd"));
        }
        if (!orders.updateStatus(soNo, ErpOrderStatus.parse(change.statCd()))) {
            throw SandboxProblems.notFound("Sales order", soNo);
        }
        return get(soNo);
    }
}
