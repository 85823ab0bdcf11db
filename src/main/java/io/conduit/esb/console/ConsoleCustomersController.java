package io.conduit.esb.console;

import io.conduit.esb.customers.CustomerMasterView;
import io.conduit.esb.customers.CustomerReconciliation;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's Customers page: the customer master's progress each way (given, got, waiting, the targets' answers),
 * its conflicts parked for a person - each with its reason, one click from the parked message - and the customers
 * still waiting, oldest first. It refreshes itself, so an initial load can be watched. Below, the latest customer
 * reconciliation (what the CRM and the ERP hold differently, read from both systems): its counts and first
 * differences, and for operators a button that starts one.
 */
@Controller
@RequestMapping("/console/customers")
public class ConsoleCustomersController {

    /** Differences shown on the page (the API gives them all). */
    static final int SHOWN = 20;

    private final CustomerMasterView view;
    private final CustomerReconciliation reconciliation;

    public ConsoleCustomersController(CustomerMasterView view, CustomerReconciliation reconciliation) {
        this.view = view;
        this.reconciliation = reconciliation;
    }

    @GetMapping
    public String page(Model model) {
        figures(model);
        return "console/customers";
    }

    /** The figures alone: what the page polls every few seconds. */
    @GetMapping("/report")
    public String report(Model model) {
        figures(model);
        return "console/customers :: report";
    }

    /** Starts a reconciliation (OPERATOR); one at a time. */
    @PostMapping("/reconciliation")
    public String reconcile(Authentication user, RedirectAttributes redirect) {
        ConsoleAccess.requireOperator(user);
        try {
            reconciliation.start(ConsoleAccess.actor(user));
            redirect.addFlashAttribute("notice", "Reconciliation started: the CRM and the ERP are being read.");
        } catch (CustomerReconciliation.AlreadyRunning e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/console/customers";
    }

    private void figures(Model model) {
        model.addAttribute("report", view.report());
        model.addAttribute("reconciliation", reconciliation.latest().orElse(null));
        model.addAttribute("shown", SHOWN);
    }
}
