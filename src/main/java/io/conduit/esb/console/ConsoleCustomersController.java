package io.conduit.esb.console;

import io.conduit.esb.customers.CustomerMasterView;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The console's Customers page: the customer master's progress each way (given, got, waiting, the targets' answers),
 * its conflicts parked for a person - each with its reason, one click from the parked message - and the customers
 * still waiting, oldest first. It refreshes itself, so an initial load can be watched. Read only.
 */
@Controller
@RequestMapping("/console/customers")
public class ConsoleCustomersController {

    private final CustomerMasterView view;

    public ConsoleCustomersController(CustomerMasterView view) {
        this.view = view;
    }

    @GetMapping
    public String page(Model model) {
        model.addAttribute("report", view.report());
        return "console/customers";
    }

    /** The figures alone: what the page polls every few seconds. */
    @GetMapping("/report")
    public String report(Model model) {
        model.addAttribute("report", view.report());
        return "console/customers :: report";
    }
}
