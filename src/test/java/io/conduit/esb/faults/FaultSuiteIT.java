package io.conduit.esb.faults;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault suite at CI scale (see {@link FaultSuite}): 300 orders at 5 a second, with 30 employees through the
 * onboarding and 30 complaints through the complaint routing among them, so the faults fall while all three still
 * arrive: a Kafka and an Artemis restart, the ERP away for 30 s, a CRM failing 10 % and timing out 5 % of the ESB's
 * calls, and three SIGKILLs of the ESB. Every part is a process of its own from the packaged jar, so this runs in a
 * failsafe execution of its own (group {@code fault-suite}), after the jar is built.
 */
@Tag("fault-suite")
class FaultSuiteIT {

    @Test
    void everyOrderEmployeeAndComplaintEndsExactlyOnceAndLatestThroughBrokerRestartsAnOutageCrmFaultsAndThreeKills()
            throws Exception {
        Path home = Path.of(".").toAbsolutePath().normalize();
        FaultSuite.Options options = FaultSuite.Options.defaults(FaultSuite.jar(home), home,
                home.resolve("target/fault-suite-it")).withOrders(300, 5);
        int orders = options.orders();
        int employees = options.onboardings();
        int complaints = options.complaints();

        FaultSuite.Result result = FaultSuite.run(options);

        assertThat(result.lines()).as("findings: %s", result.findings()).containsExactly(
                String.format(Locale.ROOT, "fault-suite: accepted=%d erp-exactly-once=%d crm-latest=%d lost=0 "
                        + "duplicated=0 stale=0 parked=0", orders, orders, orders),
                String.format(Locale.ROOT, "fault-suite onboarding: accepted=%d each-target-once=%d lost=0 "
                        + "duplicated=0 stale=0 parked=0", employees, employees),
                String.format(Locale.ROOT, "fault-suite complaints: accepted=%d one-task=%d crm-final=%d lost=0 "
                        + "duplicated=0 stale=0 parked=0", complaints, complaints, complaints));
        assertThat(result.line()).isEqualTo(result.lines().get(0));
        assertThat(result.passed()).isTrue();
    }
}
