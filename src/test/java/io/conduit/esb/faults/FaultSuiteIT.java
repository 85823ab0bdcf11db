package io.conduit.esb.faults;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault suite at CI scale (see {@link FaultSuite}): 300 orders at 5 a second, so the faults fall while orders
 * still arrive, through a Kafka and an Artemis restart, the ERP away for 30 s, a CRM failing 10 % and timing out 5 %
 * of the ESB's calls, and three SIGKILLs of the ESB. Every part is a process of its own from the packaged jar, so this
 * runs in a failsafe execution of its own (group {@code fault-suite}), after the jar is built.
 */
@Tag("fault-suite")
class FaultSuiteIT {

    @Test
    void everyOrderEndsExactlyOnceInTheErpAndLatestInTheCrmThroughBrokerRestartsAnOutageCrmFaultsAndThreeKills()
            throws Exception {
        Path home = Path.of(".").toAbsolutePath().normalize();
        FaultSuite.Options options = FaultSuite.Options.defaults(FaultSuite.jar(home), home,
                home.resolve("target/fault-suite-it")).withOrders(300, 5);

        FaultSuite.Result result = FaultSuite.run(options);

        assertThat(result.line()).isEqualTo("fault-suite: accepted=300 erp-exactly-once=300 crm-latest=300 lost=0 "
                + "duplicated=0 stale=0 parked=0");
        assertThat(result.passed()).isTrue();
    }
}
