package io.conduit.esb.sandbox;

import io.conduit.esb.sandbox.fault.FaultControl;
import io.conduit.esb.sandbox.fault.FaultSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET/PUT /sandbox/{crm|erp|oa}/admin/faults}: reads or changes how a simulated system misbehaves.
 * The body is {@code {"mode":"normal|slow|failing|down","latencyMs":int,"errorRate":0..1,"timeoutRate":0..1}}; the answer is the
 * state in force, with defaults filled in (see {@link FaultSettings#normalized()}).
 */
@RestController
@RequestMapping("/sandbox/{system:crm|erp|oa}/admin/faults")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class SandboxFaultAdminController {

    private final Map<String, FaultControl> controls;

    public SandboxFaultAdminController(List<FaultControl> controls) {
        this.controls = controls.stream().collect(Collectors.toMap(FaultControl::system, Function.identity()));
    }

    @GetMapping
    public FaultSettings current(@PathVariable String system) {
        return control(system).current();
    }

    @PutMapping
    public FaultSettings apply(@PathVariable String system, @RequestBody FaultSettings requested) {
        return control(system).apply(requested);
    }

    private FaultControl control(String system) {
        FaultControl control = controls.get(system);
        if (control == null) {
            throw SandboxProblems.notFound("Simulated system", system);
        }
        return control;
    }
}
