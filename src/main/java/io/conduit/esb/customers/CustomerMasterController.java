package io.conduit.esb.customers;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/ops/customer-master} (role VIEWER): where the customer master stands - customers given and got
 * each way, the targets' answers, the conflicts parked for a person with their reasons, the customers still waiting
 * ({@link CustomerMasterView}). An initial load's progress is the same report, asked again.
 */
@RestController
public class CustomerMasterController {

    private final CustomerMasterView view;

    public CustomerMasterController(CustomerMasterView view) {
        this.view = view;
    }

    @GetMapping("/api/v1/ops/customer-master")
    public CustomerMasterView.Report report() {
        return view.report();
    }
}
